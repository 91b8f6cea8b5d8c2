import FlotillaAPIServer
import FlotillaClient
import FlotillaStore
import Foundation
import Logging

@testable import FlotillaControllers

/// The real API server over SQLite in a temporary folder, with controllers running against it
/// in-process as the controller manager's user: the informers are run and synced first, then
/// the controllers, and the event recorder (if any) alongside.
final class ControllerTestServer: Sendable {
    /// What a test cluster runs: the informers, an event recorder, and each controller's run.
    struct Wiring: Sendable {
        var informers: [Informer]
        var events: EventRecorder?
        var controllers: [@Sendable () async -> Void]
    }

    let directory: String
    let store: SQLiteStore
    let server: APIServer
    /// The test's own client (an administrator).
    let client: KubernetesClient
    /// The informers the controllers read.
    let informers: [Informer]
    let running: Task<Void, Never>

    /// Starts the server in a folder named after `label`, then what `wire` makes with the
    /// controller manager's client and a logger.
    init(label: String, wire: (KubernetesClient, Logger) -> Wiring) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("flotilla-\(label)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        store = try SQLiteStore(path: directory + "/state.db")
        server = APIServer(store: store)
        client = KubernetesClient(transport: InProcessTransport(handler: server, user: "admin"))
        let wiring = wire(KubernetesClient(transport: InProcessTransport(handler: server, user: ControllerManager.user)), Logger(label: "test.\(label)"))
        informers = wiring.informers
        running = Task {
            await withTaskGroup(of: Void.self) { group in
                for informer in wiring.informers { group.addTask { try? await informer.run() } }
                if let events = wiring.events {
                    group.addTask { await withTaskCancellationHandler { await events.run() } onCancel: { events.close() } }
                }
                group.addTask {
                    for informer in wiring.informers { try? await informer.waitForSync() }
                    await withTaskGroup(of: Void.self) { controllers in
                        for run in wiring.controllers { controllers.addTask { await run() } }
                    }
                }
            }
        }
    }

    /// The cache of the controllers' informer of `resource`.
    func cache(of resource: ResourceRef) -> ObjectCache? {
        informers.first { $0.resource == resource }?.cache
    }

    func close() async {
        running.cancel()
        _ = await running.value
        server.shutdown()
        try? await store.close()
        try? FileManager.default.removeItem(atPath: directory)
    }
}
