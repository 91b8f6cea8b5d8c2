import FlotillaAPI
import FlotillaAPIServer
import FlotillaClient
import FlotillaStore
import Foundation

/// Runs `body` with a client of a fresh API server over SQLite in a temporary directory,
/// reached in-process as `user`; shuts the server down and removes the directory afterwards.
func withInProcessAPIServer(
    user: String = "system:admin", network: ClusterNetwork = .standard, _ body: (KubernetesClient) async throws -> Void
) async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("flotilla-agent-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let store = try SQLiteStore(path: directory + "/state.db")
    let server = APIServer(store: store, network: network)
    await server.ready()
    do {
        try await body(KubernetesClient(transport: InProcessTransport(handler: server, user: user)))
    } catch {
        server.shutdown()
        try? await store.close()
        throw error
    }
    server.shutdown()
    try await store.close()
}
