import FlotillaAPI
import FlotillaCore

/// The container a pod connection (log, exec, attach) is for: the one named, or the pod's only
/// container, with the API server's messages when the name is missing or unknown.
enum PodContainerName {
    static func resolve(_ name: String?, in pod: JSON, podName: String) throws -> String {
        let containers = (pod["spec"]["containers"].array ?? []).compactMap { $0["name"].string }
        let initContainers = (pod["spec"]["initContainers"].array ?? []).compactMap { $0["name"].string }
        guard let name, !name.isEmpty else {
            if containers.count == 1 { return containers[0] }
            var message = "a container name must be specified for pod \(podName), choose one of: [\(containers.joined(separator: " "))]"
            if !initContainers.isEmpty { message += " or one of the init containers: [\(initContainers.joined(separator: " "))]" }
            throw FlotillaError(.badRequest, message)
        }
        guard containers.contains(name) || initContainers.contains(name) else {
            throw FlotillaError(.badRequest, "container \(name) is not valid for pod \(podName)")
        }
        return name
    }
}
