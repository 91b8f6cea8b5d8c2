import FlotillaAPI
import FlotillaAPIServer
import FlotillaClient
import FlotillaCore
import FlotillaStore
import Foundation
import Logging
import Testing

@testable import FlotillaControllers

/// The real API server over SQLite with the resource quota controller running in-process.
final class QuotaCluster: Sendable {
    let base: ControllerTestServer
    var client: KubernetesClient { base.client }

    init() async throws {
        base = try ControllerTestServer(label: "quota") { controllers, logger in
            let pods = Informer(client: controllers, resource: .pods, logger: logger)
            let services = Informer(client: controllers, resource: .services, logger: logger)
            let quotas = Informer(client: controllers, resource: ResourceQuotaController.resource, logger: logger)
            let controller = ResourceQuotaController(
                client: controllers, quotas: quotas, informers: [pods, services], resyncPeriod: .milliseconds(500), logger: logger)
            return .init(informers: [pods, services, quotas], events: nil, controllers: [{ await controller.run(workers: 2) }])
        }
    }

    func close() async { await base.close() }

    func used(_ name: String) async throws -> JSON {
        try await client.get(ResourceQuotaController.resource, namespace: "default", name: name)["status"]["used"]
    }

    /// Waits up to ten seconds for the quota's `status.used` to be `expected`.
    func waitForUsed(_ name: String, _ expected: JSON) async throws -> Bool {
        for _ in 0..<100 {
            if try await used(name) == expected { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    static func pod(_ name: String, cpu: String) -> JSON {
        [
            "apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name), "namespace": "default"],
            "spec": ["containers": [["name": "app", "image": "busybox", "resources": ["requests": ["cpu": .string(cpu)]]]]],
        ]
    }
}

@Suite("ResourceQuota controller", .serialized)
struct ResourceQuotaControllerTests {
    @Test("status follows spec.hard and the pods that exist, run and finish")
    func followsPods() async throws {
        let cluster = try await QuotaCluster()
        let quota: JSON = [
            "apiVersion": "v1", "kind": "ResourceQuota", "metadata": ["name": "compute", "namespace": "default"],
            "spec": ["hard": ["pods": "5", "requests.cpu": "2", "count/pods": "10"]],
        ]
        _ = try await cluster.client.create(ResourceQuotaController.resource, quota)
        #expect(try await cluster.waitForUsed("compute", ["count/pods": "0", "pods": "0", "requests.cpu": "0"]))
        let hard = try await cluster.client.get(ResourceQuotaController.resource, namespace: "default", name: "compute")["status"]["hard"]
        #expect(hard == ["count/pods": "10", "pods": "5", "requests.cpu": "2"])
        _ = try await cluster.client.create(.pods, QuotaCluster.pod("a", cpu: "300m"))
        _ = try await cluster.client.create(.pods, QuotaCluster.pod("b", cpu: "200m"))
        #expect(try await cluster.waitForUsed("compute", ["count/pods": "2", "pods": "2", "requests.cpu": "500m"]))
        // A finished pod keeps counting as an object but no longer holds compute resources.
        _ = try await cluster.client.patch(.pods, namespace: "default", name: "a", ["status": ["phase": "Succeeded"]], type: .merge, subresource: "status")
        #expect(try await cluster.waitForUsed("compute", ["count/pods": "2", "pods": "1", "requests.cpu": "200m"]))
        _ = try await cluster.client.delete(.pods, namespace: "default", name: "b")
        #expect(try await cluster.waitForUsed("compute", ["count/pods": "1", "pods": "0", "requests.cpu": "0"]))
        // Raising the limit shows at once in status.hard.
        _ = try await cluster.client.patch(
            ResourceQuotaController.resource, namespace: "default", name: "compute", ["spec": ["hard": ["pods": "7"]]], type: .merge)
        var raised = false
        for _ in 0..<100 where !raised {
            raised = try await cluster.client.get(ResourceQuotaController.resource, namespace: "default", name: "compute")["status"]["hard"]["pods"] == "7"
            if !raised { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(raised)
        await cluster.close()
    }

    @Test("the periodic resync gives back what admission charged for a write that never happened")
    func resyncCorrectsCharges() async throws {
        let cluster = try await QuotaCluster()
        let quota: JSON = [
            "apiVersion": "v1", "kind": "ResourceQuota", "metadata": ["name": "svc", "namespace": "default"],
            "spec": ["hard": ["services": "3"]],
        ]
        _ = try await cluster.client.create(ResourceQuotaController.resource, quota)
        #expect(try await cluster.waitForUsed("svc", ["services": "0"]))
        // Usage charged without an object, as when a write fails after admission.
        _ = try await cluster.client.patch(
            ResourceQuotaController.resource, namespace: "default", name: "svc", ["status": ["used": ["services": "2"]]], type: .merge,
            subresource: "status")
        #expect(try await cluster.used("svc") == ["services": "2"])
        #expect(try await cluster.waitForUsed("svc", ["services": "0"]))
        await cluster.close()
    }
}
