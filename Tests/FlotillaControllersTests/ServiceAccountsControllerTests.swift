import FlotillaClient
import FlotillaCore
import Foundation
import Testing

@testable import FlotillaControllers

@Suite(.serialized, .timeLimit(.minutes(1))) struct ServiceAccountsControllerTests {
    private func cluster() throws -> ControllerTestServer {
        try ControllerTestServer(label: "serviceaccounts") { controllers, logger in
            let namespaces = Informer(client: controllers, resource: .namespaces, logger: logger)
            let accounts = Informer(client: controllers, resource: .serviceAccounts, logger: logger)
            let controller = ServiceAccountsController(client: controllers, namespaces: namespaces, serviceAccounts: accounts, logger: logger)
            return .init(informers: [namespaces, accounts], events: nil, controllers: [{ await controller.run(workers: 1) }])
        }
    }

    private func hasDefault(_ cluster: ControllerTestServer, _ namespace: String) async throws -> Bool {
        do {
            _ = try await cluster.client.get(.serviceAccounts, namespace: namespace, name: "default")
            return true
        } catch let error as FlotillaError where error.code == .notFound {
            return false
        }
    }

    @Test func everyNamespaceGetsADefaultAccountBackWhenItIsDeleted() async throws {
        let cluster = try cluster()
        try await eventually {
            let system = try await hasDefault(cluster, "kube-system")
            let namespace = try await hasDefault(cluster, "default")
            return system && namespace
        }
        _ = try await cluster.client.create(.namespaces, ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "team"]])
        try await eventually { try await hasDefault(cluster, "team") }
        let first = try await cluster.client.get(.serviceAccounts, namespace: "team", name: "default")["metadata"]["uid"]

        _ = try await cluster.client.delete(.serviceAccounts, namespace: "team", name: "default")
        try await eventually {
            guard let again = try? await cluster.client.get(.serviceAccounts, namespace: "team", name: "default") else { return false }
            return again["metadata"]["uid"] != first
        }
        // Other accounts are the users' own.
        _ = try await cluster.client.create(.serviceAccounts, ["apiVersion": "v1", "kind": "ServiceAccount", "metadata": ["name": "robot", "namespace": "team"]])
        _ = try await cluster.client.delete(.serviceAccounts, namespace: "team", name: "robot")
        try await Task.sleep(for: .milliseconds(300))
        #expect(try await cluster.client.list(.serviceAccounts, namespace: "team").items.count == 1)
        await cluster.close()
    }

    @Test func aNamespaceBeingDeletedGetsNone() async throws {
        let cluster = try cluster()
        _ = try await cluster.client.create(.namespaces, ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "going"]])
        try await eventually { try await hasDefault(cluster, "going") }
        // The server sets the deletion timestamp and the Terminating phase; nothing here empties
        // the namespace, so it stays that way.
        _ = try await cluster.client.delete(.namespaces, name: "going")
        _ = try await cluster.client.delete(.serviceAccounts, namespace: "going", name: "default")
        try await Task.sleep(for: .milliseconds(500))
        #expect(try await hasDefault(cluster, "going") == false)
        await cluster.close()
    }
}
