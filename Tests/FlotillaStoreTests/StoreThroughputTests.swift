import FlotillaCore
import FlotillaStore
import Foundation
import Testing

/// Throughput and latency of the SQLite store, printed rather than asserted (machines are
/// noisy). Runs only with `FLOTILLA_STORE_BENCH=1` in the environment.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["FLOTILLA_STORE_BENCH"] != nil), .serialized)
struct StoreThroughputTests {
    @Test
    func concurrentCreates() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(path: directory.path("bench.db"))
        let tasks = 32, perTask = 1_500
        let value = [UInt8](repeating: 0x61, count: 1_024)
        let clock = ContinuousClock()
        let elapsed = try await clock.measure {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<tasks {
                    group.addTask {
                        for index in 0..<perTask {
                            _ = try await store.create("/registry/core/pods/ns\(task)/pod-\(index)", value: value)
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = Double(tasks * perTask) / seconds
        print("bench sqlite.creates tasks=\(tasks) total=\(tasks * perTask) seconds=\(String(format: "%.3f", seconds)) per_second=\(Int(rate))")
        #expect(try await store.currentRevision() == Int64(tasks * perTask))
        try await store.close()
    }

    @Test
    func latencyAtAThousandWritesPerSecond() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(path: directory.path("bench.db"))
        let watch = try await store.watch(prefix: "/", afterRevision: 0)
        let watcher = Task { for try await _ in watch {} }
        let clock = ContinuousClock()
        let total = 3_000
        let start = clock.now
        let latencies = try await withThrowingTaskGroup(of: Duration.self) { group in
            for index in 0..<total {
                let due = start + .milliseconds(index)
                try await clock.sleep(until: due)
                group.addTask {
                    let begin = clock.now
                    _ = try await store.create("/paced/\(index)", value: [UInt8](repeating: 0x62, count: 1_024))
                    return clock.now - begin
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }.sorted()
        func millis(_ d: Duration) -> String {
            String(format: "%.2f", Double(d.components.attoseconds) / 1e15 + Double(d.components.seconds) * 1e3)
        }
        let p50 = latencies[latencies.count / 2], p90 = latencies[latencies.count * 9 / 10]
        let p99 = latencies[latencies.count * 99 / 100]
        print("bench sqlite.paced rate=1000/s writes=\(total) p50_ms=\(millis(p50)) p90_ms=\(millis(p90)) p99_ms=\(millis(p99)) max_ms=\(millis(latencies.last!))")
        watcher.cancel()
        try await store.close()
    }
}
