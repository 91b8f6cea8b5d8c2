import FlotillaAPIServer
import FlotillaStore
import Logging
import ServiceLifecycle

/// The API server's background services, run between the store and the HTTP listener.
enum BackgroundServices {
    static func make(store: any Store, apiServer: APIServer, logger: Logger) -> [any Service] {
        []
    }
}
