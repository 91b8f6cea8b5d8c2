import FlotillaAPIServer
import FlotillaStore
import ServiceLifecycle

/// Holds the store open until graceful shutdown, then closes it. It comes first in the server's
/// `ServiceGroup`, so it shuts down last.
struct StoreLifetime: Service, CustomStringConvertible {
    let store: any Store

    var description: String { "StoreLifetime" }

    func run() async throws {
        try? await gracefulShutdown()
        try await store.close()
    }
}

/// Stops the API server's background work (namespace following) and closes its connections to
/// remote agents on graceful shutdown.
struct APIServerLifetime: Service, CustomStringConvertible {
    let server: APIServer

    var description: String { "APIServerLifetime" }

    func run() async throws {
        try? await gracefulShutdown()
        server.shutdown()
        await server.nodes.shutdown()
    }
}
