import FlotillaAPI
import FlotillaCore
@testable import FlotillaAPIServer
import Testing

@Suite("Namespace deletion")
struct NamespaceCleanerTests {
    /// Creates namespace `name` with `count` config maps and two secrets, then deletes it.
    func terminatingNamespace(_ s: TestServer, _ name: String, configMaps count: Int) async {
        #expect(await s.send("POST", "/api/v1/namespaces", body: ["metadata": ["name": .string(name)]]).status == 201)
        for i in 0..<count {
            #expect(await s.send("POST", "/api/v1/namespaces/\(name)/configmaps", body: Objects.configMap("c\(i)")).status == 201)
        }
        for secret in ["s1", "s2"] {
            let body: JSON = ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": .string(secret)], "stringData": ["k": "v"]]
            #expect(await s.send("POST", "/api/v1/namespaces/\(name)/secrets", body: body).status == 201)
        }
        #expect(await s.send("DELETE", "/api/v1/namespaces/\(name)").status == 200)
    }

    func count(_ s: TestServer, _ path: String) async -> Int? {
        await s.send("GET", path).json["items"].array?.count
    }

    @Test func everyObjectGoesThenTheNamespace() async throws {
        try await TestServer.with { s in
            // More objects than are deleted at once.
            let many = APIServer.namespaceDeletionWidth * 3 + 5
            await terminatingNamespace(s, "bulk", configMaps: many)
            #expect(await count(s, "/api/v1/namespaces/bulk/configmaps") == many)
            let gone = try await s.server.finishNamespaceDeletion("bulk")
            #expect(gone)
            #expect(await count(s, "/api/v1/namespaces/bulk/configmaps") == 0)
            #expect(await count(s, "/api/v1/namespaces/bulk/secrets") == 0)
            #expect(await s.send("GET", "/api/v1/namespaces/bulk").status == 404)
        }
    }

    @Test func aStoppingServerLeavesTheRestForItsNextRound() async throws {
        try await TestServer.with { s in
            await terminatingNamespace(s, "later", configMaps: 10)
            let server = s.server
            let stopped = Task {
                withUnsafeCurrentTask { $0?.cancel() }
                return try await server.finishNamespaceDeletion("later")
            }
            let goneWhileStopping = try await stopped.value
            #expect(!goneWhileStopping)
            let namespace = await s.send("GET", "/api/v1/namespaces/later")
            #expect(namespace.status == 200)
            #expect(namespace.json["status"]["phase"] == "Terminating")
            #expect(await count(s, "/api/v1/namespaces/later/configmaps") == 10)
            let goneNextRound = try await s.server.finishNamespaceDeletion("later")
            #expect(goneNextRound)
            #expect(await s.send("GET", "/api/v1/namespaces/later").status == 404)
        }
    }
}
