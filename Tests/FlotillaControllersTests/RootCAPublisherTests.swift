import FlotillaClient
import FlotillaCore
import Foundation
import Testing

@testable import FlotillaControllers

@Suite(.serialized, .timeLimit(.minutes(1))) struct RootCAPublisherTests {
    static let certificate = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"

    @Test func everyNamespaceHoldsTheClusterCAWhateverIsDoneToIt() async throws {
        let cluster = try ControllerTestServer(label: "rootca") { controllers, logger in
            let namespaces = Informer(client: controllers, resource: .namespaces, logger: logger)
            let configMaps = Informer(client: controllers, resource: .configMaps, logger: logger)
            let publisher = RootCAPublisher(
                client: controllers, namespaces: namespaces, configMaps: configMaps, certificatePEM: Self.certificate, logger: logger)
            return .init(informers: [namespaces, configMaps], events: nil, controllers: [{ await publisher.run(workers: 1) }])
        }
        func published(_ namespace: String) async -> JSON? {
            try? await cluster.client.get(.configMaps, namespace: namespace, name: "kube-root-ca.crt")
        }
        _ = try await cluster.client.create(.namespaces, ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "team"]])
        try await eventually { await published("team")?["data"]["ca.crt"].string == Self.certificate }
        #expect(await published("default")?["data"] == ["ca.crt": .string(Self.certificate)])
        #expect(await published("team")?["metadata"]["annotations"]["kubernetes.io/description"].string?.hasPrefix("Contains a CA bundle") == true)

        var changed = try #require(await published("team"))
        changed["data"] = ["ca.crt": "forged"]
        _ = try await cluster.client.update(.configMaps, changed)
        try await eventually { await published("team")?["data"]["ca.crt"].string == Self.certificate }

        _ = try await cluster.client.delete(.configMaps, namespace: "team", name: "kube-root-ca.crt")
        try await eventually { await published("team") != nil }
        await cluster.close()
    }
}
