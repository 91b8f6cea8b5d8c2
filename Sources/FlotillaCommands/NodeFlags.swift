import ArgumentParser
import FlotillaAPI
import FlotillaAPIServer
import FlotillaCore
import Foundation

/// Parsing of the agent's node flags: `--labels`, `--taints`, `--pod-cidr`, `--cluster-cidr`, `--bridge`, and the node's default name.
enum NodeFlags {
    /// The host's name in lower case, as a node name must be.
    static func hostNodeName() -> String {
        (HostIdentity.hostname() ?? "flotilla").lowercased()
    }

    /// A network interface name: 1 to 15 characters, none of them `/` or white space.
    static func bridge(_ name: String) throws -> String {
        guard !name.isEmpty, name.utf8.count <= 15, !name.contains(where: { $0 == "/" || $0.isWhitespace }) else {
            throw ValidationError("--bridge must be an interface name of 1 to 15 characters; got \(name)")
        }
        return name
    }

    /// An IPv4 subnet `A.B.C.D/N` with N from 8 to 30 and no host bits set (the pods' addresses come from it).
    static func podSubnet(_ text: String) throws -> String {
        guard let subnet = IPv4Subnet(text), (8...30).contains(subnet.prefixLength) else {
            throw ValidationError("--pod-cidr must be an IPv4 subnet like 10.244.1.0/24; got \(text)")
        }
        return subnet.description
    }

    /// `--cluster-cidr`: the cluster's pod network, an IPv4 subnet; ``ClusterNetwork/standard``'s when not given.
    static func clusterSubnet(_ text: String?) throws -> IPv4Subnet {
        guard let text else { return ClusterNetwork.standard.podNetwork }
        guard let subnet = IPv4Subnet(text), (8...30).contains(subnet.prefixLength) else {
            throw ValidationError("--cluster-cidr must be an IPv4 subnet like 10.244.0.0/16; got \(text)")
        }
        return subnet
    }

    /// `key=value,key=value` → labels; an entry without `=` is an error naming it.
    static func labels(_ text: String?) throws -> [String: String] {
        var labels: [String: String] = [:]
        for entry in entries(text) {
            guard let equals = entry.firstIndex(of: "="), equals != entry.startIndex else {
                throw ValidationError("--labels entries must be key=value; got \(entry)")
            }
            labels[String(entry[..<equals])] = String(entry[entry.index(after: equals)...])
        }
        return labels
    }

    /// `key=value:Effect,key:Effect` → `spec.taints` entries.
    static func taints(_ text: String?) throws -> [JSON] {
        try entries(text).map { entry in
            guard let colon = entry.lastIndex(of: ":") else {
                throw ValidationError("--taints entries must be key=value:Effect or key:Effect; got \(entry)")
            }
            let effect = String(entry[entry.index(after: colon)...])
            guard ["NoSchedule", "PreferNoSchedule", "NoExecute"].contains(effect) else {
                throw ValidationError("--taints effect must be NoSchedule, PreferNoSchedule or NoExecute; got \(effect) in \(entry)")
            }
            let keyValue = entry[..<colon]
            var taint: JSONObject = [:]
            if let equals = keyValue.firstIndex(of: "=") {
                taint["key"] = .string(String(keyValue[..<equals]))
                taint["value"] = .string(String(keyValue[keyValue.index(after: equals)...]))
            } else {
                taint["key"] = .string(String(keyValue))
            }
            guard !(taint["key"]?.string ?? "").isEmpty else {
                throw ValidationError("--taints entries need a key; got \(entry)")
            }
            taint["effect"] = .string(effect)
            return .object(taint)
        }
    }

    private static func entries(_ text: String?) -> [String] {
        (text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
