import FlotillaCore

/// A host port a pod's container asks for (`ports[].hostPort`, non-zero): a protocol, a port,
/// and a host address (`0.0.0.0`, every address, when none is given).
public struct HostPort: Hashable, Sendable, CustomStringConvertible {
    public var hostIP: String
    public var `protocol`: String
    public var port: Int64

    public static let anyAddress = "0.0.0.0"

    public init(hostIP: String = anyAddress, protocol: String = "TCP", port: Int64) {
        self.hostIP = hostIP.isEmpty ? Self.anyAddress : hostIP
        self.protocol = `protocol`.isEmpty ? "TCP" : `protocol`
        self.port = port
    }

    /// The host ports of a pod spec's containers and sidecars (init containers that keep
    /// running); ports with `hostPort` 0 or absent ask for nothing on the host.
    public static func ofPodSpec(_ spec: JSON) -> [HostPort] {
        var ports: [HostPort] = []
        let sidecars = (spec["initContainers"].array ?? []).filter { $0["restartPolicy"].string == "Always" }
        for containers in [spec["containers"].array ?? [], sidecars] {
            for container in containers {
                for port in container["ports"].array ?? [] {
                    guard let number = port["hostPort"].int, number > 0 else { continue }
                    let hostPort = HostPort(
                        hostIP: port["hostIP"].string ?? "", protocol: port["protocol"].string ?? "TCP", port: number)
                    if !ports.contains(hostPort) { ports.append(hostPort) }
                }
            }
        }
        return ports
    }

    /// Whether two host ports cannot both be bound: same protocol and port, and the same
    /// address or either one on every address.
    public func conflicts(with other: HostPort) -> Bool {
        port == other.port && `protocol` == other.protocol
            && (hostIP == other.hostIP || hostIP == Self.anyAddress || other.hostIP == Self.anyAddress)
    }

    /// `8080/TCP`, or `10.0.0.1:8080/TCP` for one address.
    public var description: String {
        hostIP == Self.anyAddress ? "\(port)/\(`protocol`)" : "\(hostIP):\(port)/\(`protocol`)"
    }
}
