import FlotillaAPIServer
import FlotillaStore
import Logging
import ServiceLifecycle

/// The API server's background services, run between the store and the HTTP listener:
/// namespace cleanup and store compaction.
enum BackgroundServices {
    static func make(store: any Store, apiServer: APIServer) -> [any Service] {
        [
            NamespaceCleaner(server: apiServer),
            APIEndpointReconciler(server: apiServer),
            Compactor(store: store, logger: Logger(label: "flotilla.compactor")),
        ]
    }
}
