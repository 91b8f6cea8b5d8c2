import FlotillaCore

/// A container's probe (`livenessProbe`, `readinessProbe` or `startupProbe`): what to check and
/// how often, with Kubernetes' defaults (every 10 s, 1 s timeout, 1 success, 3 failures).
public struct Probe: Sendable, Equatable {
    /// What one check does.
    public enum Action: Sendable, Equatable {
        /// `GET http(s)://<pod IP or host>:<port><path>`; a status from 200 to 399 passes.
        case httpGet(scheme: String, host: String?, port: Int, path: String, headers: [(String, String)])
        /// A TCP connection to the port opens.
        case tcpSocket(host: String?, port: Int)
        /// The command, run in the container, exits 0.
        case exec([String])

        public static func == (lhs: Action, rhs: Action) -> Bool {
            switch (lhs, rhs) {
            case let (.httpGet(s1, h1, p1, path1, headers1), .httpGet(s2, h2, p2, path2, headers2)):
                return s1 == s2 && h1 == h2 && p1 == p2 && path1 == path2 && headers1.elementsEqual(headers2, by: ==)
            case let (.tcpSocket(h1, p1), .tcpSocket(h2, p2)): return h1 == h2 && p1 == p2
            case let (.exec(c1), .exec(c2)): return c1 == c2
            default: return false
            }
        }
    }

    public var action: Action
    public var initialDelay: Duration
    public var period: Duration
    public var timeout: Duration
    public var successThreshold: Int
    public var failureThreshold: Int

    public init(
        action: Action, initialDelay: Duration = .zero, period: Duration = .seconds(10), timeout: Duration = .seconds(1),
        successThreshold: Int = 1, failureThreshold: Int = 3
    ) {
        self.action = action
        self.initialDelay = initialDelay
        self.period = period
        self.timeout = timeout
        self.successThreshold = successThreshold
        self.failureThreshold = failureThreshold
    }

    /// Reads a probe of a container (`ports` names its `ports[]`, for a port given by name);
    /// nil when `json` is null or has no action this agent runs.
    init?(json: JSON, ports: JSON) {
        guard let action = Action(json: json, ports: ports) else { return nil }
        self.action = action
        func seconds(_ key: String, _ fallback: Int64, minimum: Int64) -> Duration {
            .seconds(max(minimum, json[key].int ?? fallback))
        }
        initialDelay = seconds("initialDelaySeconds", 0, minimum: 0)
        period = seconds("periodSeconds", 10, minimum: 1)
        timeout = seconds("timeoutSeconds", 1, minimum: 1)
        successThreshold = Int(max(1, json["successThreshold"].int ?? 1))
        failureThreshold = Int(max(1, json["failureThreshold"].int ?? 3))
    }
}

extension Probe.Action {
    /// Reads the `httpGet`, `tcpSocket` or `exec` member of a probe or lifecycle hook (`ports`
    /// names the container's `ports[]`, for a port given by name); nil when it has none of them.
    init?(json: JSON, ports: JSON) {
        func port(_ value: JSON) -> Int? {
            if let number = value.int { return Int(number) }
            guard let name = value.string else { return nil }
            return (ports.array ?? []).first { $0["name"].string == name }?["containerPort"].int.map(Int.init) ?? Int(name)
        }
        let http = json["httpGet"], tcp = json["tcpSocket"]
        if !http.isNull, let number = port(http["port"]) {
            let headers = (http["httpHeaders"].array ?? []).compactMap { header in
                header["name"].string.map { ($0, header["value"].string ?? "") }
            }
            self = .httpGet(
                scheme: (http["scheme"].string ?? "HTTP").lowercased(), host: http["host"].string.flatMap { $0.isEmpty ? nil : $0 },
                port: number, path: http["path"].string ?? "/", headers: headers)
        } else if !tcp.isNull, let number = port(tcp["port"]) {
            self = .tcpSocket(host: tcp["host"].string.flatMap { $0.isEmpty ? nil : $0 }, port: number)
        } else if let command = json["exec"]["command"].array {
            self = .exec(command.compactMap(\.string))
        } else {
            return nil
        }
    }
}
