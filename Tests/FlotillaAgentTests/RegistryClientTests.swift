@testable import FlotillaAgent
import FlotillaCore
import Foundation
import Testing

/// The process runtime's registry client against a registry on loopback that wants a Bearer
/// token from its token server, which wants a Basic login.
@Suite struct RegistryClientTests {
    static let manifest = Array(#"{"schemaVersion":2,"config":{"digest":"sha256:c"},"layers":[]}"#.utf8)

    /// A registry and token server in one: `/token` gives `tok-1` for `user:pw`, the manifest
    /// of `team/app:v1` wants that token.
    func registry() throws -> LoopbackHTTPServer {
        let port = Locked(0)
        let server = try LoopbackHTTPServer { path, headers in
            if path.hasPrefix("/token?") {
                let expected = "Basic " + Data("user:pw".utf8).base64EncodedString()
                guard headers["authorization"] == expected, path.contains("service=test-registry"),
                    path.contains("scope=repository:team/app:pull")
                else { return .init(status: 401) }
                return .init(status: 200, body: Array(#"{"token":"tok-1"}"#.utf8))
            }
            guard path == "/v2/team/app/manifests/v1" else { return .init(status: 404) }
            guard headers["authorization"] == "Bearer tok-1" else {
                let realm = "http://127.0.0.1:\(port.withLock { $0 })/token"
                return .init(status: 401, headers: [
                    ("WWW-Authenticate", #"Bearer realm="\#(realm)",service="test-registry",scope="repository:team/app:pull""#),
                ])
            }
            return .init(status: 200, headers: [("Content-Type", "application/vnd.oci.image.manifest.v1+json")], body: Self.manifest)
        }
        port.withLock { $0 = server.port }
        return server
    }

    @Test func getsABearerTokenWithTheLogin() async throws {
        let server = try registry()
        defer { server.stop() }
        let reference = try ImageReference("127.0.0.1:\(server.port)/team/app:v1")
        let client = RegistryClient(reference: reference, credentials: RegistryCredentials(username: "user", password: "pw"), insecureRegistries: [])
        let (body, mediaType, digest) = try await client.manifest("v1")
        #expect(body == Self.manifest)
        #expect(mediaType == "application/vnd.oci.image.manifest.v1+json")
        #expect(digest == RegistryClient.sha256(Self.manifest))

        let anonymous = RegistryClient(reference: reference, credentials: nil, insecureRegistries: [])
        await #expect(throws: FlotillaError.self) { try await anonymous.manifest("v1") }
        let missing = RegistryClient(reference: reference, credentials: RegistryCredentials(username: "user", password: "pw"), insecureRegistries: [])
        let error = await #expect(throws: FlotillaError.self) { try await missing.manifest("v2") }
        #expect(error?.code == .notFound)
    }
}
