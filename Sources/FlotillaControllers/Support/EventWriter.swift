import FlotillaClient
import FlotillaCore
import Foundation
import Logging

/// Writes core/v1 Events about the objects a controller manages, in the background and best
/// effort (a failed write is logged, never retried), as `kubectl describe` shows them.
final class EventWriter: Sendable {
    private let client: KubernetesClient
    private let component: String
    private let logger: Logger

    init(client: KubernetesClient, component: String, logger: Logger) {
        self.client = client
        self.component = component
        self.logger = logger
    }

    /// Records `reason` and `message` about `object` (of `kind` in `apiVersion`); `type` is
    /// `Normal` or `Warning`.
    func record(_ object: JSON, apiVersion: String, kind: String, type: String = "Normal", reason: String, message: String) {
        let meta = object["metadata"]
        guard let name = meta["name"].string, let namespace = meta["namespace"].string else { return }
        let now = Timestamp.now()
        let event: JSON = [
            "apiVersion": "v1", "kind": "Event",
            "metadata": ["name": .string("\(name).\(String(UInt64.random(in: 0...UInt64.max), radix: 16))"), "namespace": .string(namespace)],
            "involvedObject": [
                "apiVersion": .string(apiVersion), "kind": .string(kind), "name": .string(name),
                "namespace": .string(namespace), "uid": meta["uid"], "resourceVersion": meta["resourceVersion"],
            ],
            "reason": .string(reason), "message": .string(message), "type": .string(type),
            "source": ["component": .string(component)], "reportingComponent": .string(component),
            "firstTimestamp": .string(now), "lastTimestamp": .string(now), "count": 1,
        ]
        let client = self.client
        let logger = self.logger
        Task {
            do {
                _ = try await client.create(.events, namespace: namespace, event)
            } catch {
                logger.debug("cannot record an event", metadata: ["reason": .string(reason), "error": .string("\(error)")])
            }
        }
    }
}
