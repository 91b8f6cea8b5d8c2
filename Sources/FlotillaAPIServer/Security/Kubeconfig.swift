import Foundation

/// A kubeconfig with one cluster, one token user and one context, all named alike, as
/// `kubectl --kubeconfig` reads it.
public struct Kubeconfig: Sendable, Equatable {
    /// The name of the cluster, the user and the context (never `y`/`n`: YAML booleans).
    public var name: String
    /// `https://127.0.0.1:6443`.
    public var server: String
    /// The CA certificate, PEM; written base64-encoded as `certificate-authority-data`.
    public var caCertificatePEM: String
    public var token: String

    public init(name: String = "flotilla", server: String, caCertificatePEM: String, token: String) {
        self.name = name
        self.server = server
        self.caCertificatePEM = caCertificatePEM
        self.token = token
    }

    /// The URL clients use for a listen address: a wildcard host becomes loopback, IPv6 gets brackets.
    public static func serverURL(host: String, port: Int) -> String {
        let reachable: String
        switch host {
        case "", "0.0.0.0": reachable = "127.0.0.1"
        case "::", "[::]": reachable = "[::1]"
        default: reachable = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        }
        return "https://\(reachable):\(port)"
    }

    /// The kubeconfig as YAML.
    public var yaml: String {
        let n = Self.quoted(name)
        return """
            apiVersion: v1
            kind: Config
            clusters:
            - name: \(n)
              cluster:
                server: \(Self.quoted(server))
                certificate-authority-data: \(Data(caCertificatePEM.utf8).base64EncodedString())
            users:
            - name: \(n)
              user:
                token: \(Self.quoted(token))
            contexts:
            - name: \(n)
              context:
                cluster: \(n)
                user: \(n)
            current-context: \(n)
            preferences: {}

            """
    }

    /// A YAML double-quoted scalar.
    static func quoted(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }
}
