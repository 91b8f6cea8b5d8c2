import FlotillaAPI
import FlotillaAPIServer
import FlotillaClient
import FlotillaCore
import FlotillaStore
import Foundation
import Logging
import Testing

@testable import FlotillaControllers

/// The real API server over SQLite in a temporary folder, with the daemon set and stateful set
/// controllers running against it in-process (as the controller manager's user). There are no
/// nodes, so daemon sets make no pods, and stateful set pods stay Pending unless a test sets
/// their status.
final class WorkloadCluster: Sendable {
    let base: ControllerTestServer
    /// The test's own client (an administrator).
    var client: KubernetesClient { base.client }

    init() async throws {
        base = try ControllerTestServer(label: "workloads") { controllers, logger in
            let informer = { (resource: ResourceRef) in Informer(client: controllers, resource: resource, logger: logger) }
            let (daemonSets, statefulSets, pods, revisions, nodes) = (
                informer(.daemonSets), informer(.statefulSets), informer(.pods), informer(.controllerRevisions), informer(.nodes)
            )
            ControllerIndexes.register(on: pods)
            ControllerIndexes.register(on: revisions)
            let events = EventRecorder(client: controllers, component: "controllermanager", instance: "test", capacity: 1000, logger: logger)
            let daemonSetController = DaemonSetController(
                client: controllers, daemonSets: daemonSets, pods: pods, revisions: revisions, nodes: nodes, events: events, logger: logger)
            let statefulSetController = StatefulSetController(
                client: controllers, statefulSets: statefulSets, pods: pods, revisions: revisions, events: events, logger: logger)
            return .init(
                informers: [daemonSets, statefulSets, pods, revisions, nodes], events: events,
                controllers: [{ await daemonSetController.run(workers: 2) }, { await statefulSetController.run(workers: 2) }])
        }
    }

    func close() async { await base.close() }

    // MARK: - Making objects

    /// A pod template labelled `app: <app>` with one container running `image`.
    static func template(app: String, image: String) -> JSON {
        ["metadata": ["labels": ["app": .string(app)]], "spec": ["containers": [["name": "c", "image": .string(image)]]]]
    }

    /// Creates daemon set `name` running `image`, with `spec` members added (with `dryRun`,
    /// only returns it as the server would store it).
    @discardableResult
    func daemonSet(
        _ name: String, image: String, spec extra: JSON = .emptyObject, annotations: JSON = .emptyObject, dryRun: Bool = false
    ) async throws -> JSON {
        var spec: JSON = ["selector": ["matchLabels": ["app": .string(name)]], "template": Self.template(app: name, image: image)]
        for (key, value) in extra.object ?? [:] { spec[key] = value }
        let metadata: JSON = ["name": .string(name), "namespace": "default", "annotations": annotations]
        return try await client.create(.daemonSets, ["metadata": metadata, "spec": spec], dryRun: dryRun)
    }

    /// Creates stateful set `name` of `replicas` pods running `image`, with `spec` members added.
    @discardableResult
    func statefulSet(_ name: String, image: String, replicas: Int64, spec extra: JSON = .emptyObject) async throws -> JSON {
        var spec: JSON = [
            "replicas": .int(replicas), "serviceName": .string(name), "selector": ["matchLabels": ["app": .string(name)]],
            "template": Self.template(app: name, image: image),
        ]
        for (key, value) in extra.object ?? [:] { spec[key] = value }
        return try await client.create(.statefulSets, ["metadata": ["name": .string(name), "namespace": "default"], "spec": spec])
    }

    /// Sends `patch` to the set as `kubectl` does: a strategic merge patch.
    @discardableResult
    func patch(_ resource: ResourceRef, _ name: String, _ patch: JSON) async throws -> JSON {
        try await client.patch(resource, namespace: "default", name: name, patch, type: .strategic)
    }

    /// Makes the set's pods `image` (a strategic merge patch of its container).
    @discardableResult
    func setImage(_ resource: ResourceRef, _ name: String, _ image: String) async throws -> JSON {
        try await patch(resource, name, ["spec": ["template": ["spec": ["containers": [["name": "c", "image": .string(image)]]]]]])
    }

    /// Marks pod `name` Running and Ready.
    func makeReady(_ name: String) async throws {
        let status: JSON = ["phase": "Running", "conditions": [["type": "Ready", "status": "True"]]]
        _ = try await client.patch(.pods, namespace: "default", name: name, ["status": status], type: .merge, subresource: "status")
    }

    // MARK: - Reading what the controllers wrote

    /// The revisions labelled `app: <app>`, by revision number.
    func revisions(_ app: String) async throws -> [JSON] {
        try await client.list(.controllerRevisions, namespace: "default", labelSelector: "app=\(app)").items.sorted {
            ControllerHistory.number($0) < ControllerHistory.number($1)
        }
    }

    /// The images of the revisions of `app`, in revision order.
    func revisionImages(_ app: String) async throws -> [String] {
        try await revisions(app).map { ControllerHistory.template(of: $0)["spec"]["containers"][0]["image"].string ?? "" }
    }

    func get(_ resource: ResourceRef, _ name: String) async throws -> JSON {
        try await client.get(resource, namespace: "default", name: name)
    }
}
