import FlotillaCore
import FlotillaStore
import Foundation
import Testing

/// A backend the contract suite runs against.
enum StoreBackend: String, Sendable, CaseIterable, CustomTestStringConvertible {
    case sqlite
    case etcd

    var testDescription: String { rawValue }

    /// Runs `body` with a fresh store and closes the store afterwards, also when `body` throws.
    func withStore(_ body: (OpenedStore) async throws -> Void) async throws {
        let opened = try await open()
        do {
            try await body(opened)
        } catch {
            try? await opened.close()
            throw error
        }
        try await opened.close()
    }

    /// A fresh store (SQLite: a new database file; etcd: the suite's server) and a key prefix
    /// that no other test uses.
    private func open() async throws -> OpenedStore {
        let prefix = "/t\(UUID().uuidString.prefix(8).lowercased())/"
        switch self {
        case .sqlite:
            let directory = try TemporaryDirectory()
            let store = try SQLiteStore(path: directory.path("store.db"))
            return OpenedStore(store: store, prefix: prefix, directory: directory)
        case .etcd:
            let server = try #require(EtcdTestServer.current, "the suite needs the .etcdServer trait")
            let store = try await EtcdStore(endpoints: [server.endpoint])
            return OpenedStore(store: store, prefix: prefix, directory: nil)
        }
    }
}

/// A store opened for one test; ``close()`` releases it and its files.
struct OpenedStore: Sendable {
    let store: any Store
    /// Every key of the test starts with it.
    let prefix: String
    let directory: TemporaryDirectory?

    /// The test's key for `name`.
    func key(_ name: String) -> String { prefix + name }

    func close() async throws {
        try await store.close()
        directory?.remove()
    }
}

/// A directory under the system's temporary directory.
struct TemporaryDirectory: Sendable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("flotilla-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    func remove() { try? FileManager.default.removeItem(at: url) }
}
