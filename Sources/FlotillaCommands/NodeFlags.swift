import ArgumentParser
import FlotillaAPIServer
import FlotillaCore
import Foundation

/// Parsing of the agent's node flags: `--labels`, `--taints`, `--pod-cidr`, `--bridge`, and the node's default name.
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

    /// An IPv4 subnet `A.B.C.D/N` with N from 8 to 30 (the pods' addresses come from it).
    static func podSubnet(_ text: String) throws -> String {
        let parts = text.split(separator: "/")
        let octets = parts.first?.split(separator: ".", omittingEmptySubsequences: false).compactMap { UInt8($0) } ?? []
        guard parts.count == 2, octets.count == 4, let bits = Int(parts[1]), (8...30).contains(bits) else {
            throw ValidationError("--pod-cidr must be an IPv4 subnet like 10.244.1.0/24; got \(text)")
        }
        return text
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
