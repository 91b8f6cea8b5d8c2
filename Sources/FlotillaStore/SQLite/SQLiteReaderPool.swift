import FlotillaCore

/// Read-only work for an SQLite store, run on dedicated threads that each own one connection
/// (WAL lets them read while the writer commits).
final class SQLiteReaderPool: Sendable {
    private typealias Job = @Sendable (SQLiteConnection) -> Void
    private let queue = ThreadJobQueue<Job>()
    private let completions: [ThreadCompletion]

    /// Opens `threads` connections to the database at `path`, each on its own thread.
    init(path: String, threads: Int) throws {
        let queue = queue
        var completions: [ThreadCompletion] = []
        for index in 0..<threads {
            let connection = try SQLiteConnection(path: path)
            completions.append(startDedicatedThread(named: "flotilla-sqlite-reader-\(index)") {
                while true {
                    let jobs = queue.take(max: 1)
                    guard let job = jobs.first else { break }
                    job(connection)
                }
            })
        }
        self.completions = completions
    }

    /// Runs `body` on a reader thread and returns its result.
    func read<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let accepted = queue.append { connection in
                let result = Result { try body(connection) }
                connection.resetStatements()
                continuation.resume(with: result)
            }
            if !accepted { continuation.resume(throwing: FlotillaError(.serviceUnavailable, "the store is closed")) }
        }
    }

    /// Runs `body` inside one read transaction, so all its queries see one snapshot.
    func snapshot<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        try await read { db in
            try SQLiteLog.beginRead(db)
            do {
                let value = try body(db)
                db.resetStatements()
                try SQLiteLog.commit(db)
                return value
            } catch {
                db.resetStatements()
                SQLiteLog.rollback(db)
                throw error
            }
        }
    }

    /// Finishes queued reads, then stops the threads.
    func close() async {
        queue.close()
        for completion in completions { await completion.wait() }
    }
}
