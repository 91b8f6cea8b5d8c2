import FlotillaClient
import FlotillaCore
import Foundation
import Testing

@testable import FlotillaAgent

@Suite struct ServiceAccountTokenSourceTests {
    @Test func aPodsTokenIsBoundToItAndKeptUntilFourFifthsOfItsLifetime() async throws {
        try await withInProcessAPIServer { client in
            _ = try await client.create(.serviceAccounts, ["apiVersion": "v1", "kind": "ServiceAccount", "metadata": ["name": "robot", "namespace": "default"]])
            let pod = try await client.create(.pods, [
                "apiVersion": "v1", "kind": "Pod", "metadata": ["name": "web", "namespace": "default"],
                "spec": ["serviceAccountName": "robot", "containers": [["name": "app", "image": "busybox"]]],
            ])
            let source: JSON = ["expirationSeconds": 3600, "path": "token"]
            let tokens = ServiceAccountTokenSource(client: client)
            let now = Date()
            let first = try await tokens.token(for: pod, source: source, now: now)
            #expect(try await tokens.token(for: pod, source: source, now: now.addingTimeInterval(2000)) == first)
            let renewed = try await tokens.token(for: pod, source: source, now: now.addingTimeInterval(2900))
            #expect(renewed != first)

            let review = try await client.call(
                "POST", "/apis/authentication.k8s.io/v1/tokenreviews",
                body: ["apiVersion": "authentication.k8s.io/v1", "kind": "TokenReview", "spec": ["token": .string(renewed)]])
            #expect(review["status"]["user"]["username"] == "system:serviceaccount:default:robot")
            let claims = try #require(renewed.split(separator: ".").dropFirst().first)
            var encoded = claims.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            while encoded.count % 4 != 0 { encoded += "=" }
            let payload = try JSONParser.parse(Array(try #require(Data(base64Encoded: encoded))))
            #expect(payload["kubernetes.io"]["pod"]["uid"] == pod["metadata"]["uid"])

            let other: JSON = ["expirationSeconds": 3600, "path": "token", "audience": "vault"]
            #expect(try await tokens.token(for: pod, source: other, now: now) != renewed, "each audience has its own token")

            var orphan = pod
            orphan["spec"]["serviceAccountName"] = "ghost"
            orphan["metadata"]["uid"] = "another"
            await #expect(throws: FlotillaError.self) { try await tokens.token(for: orphan, source: source, now: now) }
        }
    }
}
