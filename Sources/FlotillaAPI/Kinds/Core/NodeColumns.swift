import FlotillaCore
import Foundation

/// The `kubectl get nodes` columns: STATUS, ROLES, AGE, VERSION, and with `-o wide` the
/// addresses, OS image, kernel and container runtime.
public enum NodeColumns {
    /// The columns after NAME.
    public static let all: [TableColumn] = [
        TableColumn("Status", description: "Ready or NotReady, and SchedulingDisabled when cordoned.") { node, _ in
            .string(status(node))
        },
        TableColumn("Roles", description: "The node's roles, from its node-role labels.") { node, _ in
            .string(roles(node))
        },
        .age,
        TableColumn("Version", description: "The node agent's version.") { node, _ in
            TableCells.text(node["status"]["nodeInfo"]["kubeletVersion"])
        },
        TableColumn("Internal-IP", description: "The node's first internal IP.", priority: 1) { node, _ in
            .string(address(node, type: "InternalIP"))
        },
        TableColumn("External-IP", description: "The node's first external IP.", priority: 1) { node, _ in
            .string(address(node, type: "ExternalIP"))
        },
        TableColumn("OS-Image", description: "The node's operating system image.", priority: 1) { node, _ in
            TableCells.text(node["status"]["nodeInfo"]["osImage"], or: "<unknown>")
        },
        TableColumn("Kernel-Version", description: "The node's kernel version.", priority: 1) { node, _ in
            TableCells.text(node["status"]["nodeInfo"]["kernelVersion"], or: "<unknown>")
        },
        TableColumn("Container-Runtime", description: "The node's container runtime and version.", priority: 1) { node, _ in
            TableCells.text(node["status"]["nodeInfo"]["containerRuntimeVersion"], or: "<unknown>")
        },
    ]

    /// "Ready", "NotReady" or "Unknown", with ",SchedulingDisabled" for an unschedulable node.
    static func status(_ node: JSON) -> String {
        var parts: [String] = []
        if let ready = (node["status"]["conditions"].array ?? []).first(where: { $0["type"].string == "Ready" }) {
            parts.append(ready["status"].string == "True" ? "Ready" : "NotReady")
        } else {
            parts.append("Unknown")
        }
        if node["spec"]["unschedulable"].bool == true { parts.append("SchedulingDisabled") }
        return parts.joined(separator: ",")
    }

    /// Roles from `node-role.kubernetes.io/<role>` and `kubernetes.io/role=<role>` labels.
    static func roles(_ node: JSON) -> String {
        var roles = Set<String>()
        for (key, value) in node["metadata"]["labels"].object ?? [:] {
            if key.hasPrefix("node-role.kubernetes.io/") {
                let role = String(key.dropFirst("node-role.kubernetes.io/".count))
                if !role.isEmpty { roles.insert(role) }
            } else if key == "kubernetes.io/role", let role = value.string, !role.isEmpty {
                roles.insert(role)
            }
        }
        return roles.isEmpty ? "<none>" : roles.sorted().joined(separator: ",")
    }

    static func address(_ node: JSON, type: String) -> String {
        let match = (node["status"]["addresses"].array ?? []).first { $0["type"].string == type }
        return match?["address"].string ?? "<none>"
    }
}
