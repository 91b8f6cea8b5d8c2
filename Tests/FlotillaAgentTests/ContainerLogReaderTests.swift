import FlotillaAgent
import FlotillaCore
import Foundation
import Synchronization
import Testing

@Suite struct ContainerLogReaderTests {
    static let log = """
        2026-01-02T03:04:05.100000000Z stdout F one
        2026-01-02T03:04:06.100000000Z stderr P two-
        2026-01-02T03:04:06.200000000Z stderr F joined
        2026-01-02T03:04:07.100000000Z stdout F three
        garbage that is skipped

        """

    /// A log file holding `text`; the caller removes it.
    func logFile(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("log-\(UUID().uuidString).log").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func text(_ stream: AsyncThrowingStream<[UInt8], any Error>) async throws -> String {
        var bytes: [UInt8] = []
        for try await chunk in stream { bytes += chunk }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func readsWholeLinesWithTailSinceLimitAndTimestamps() async throws {
        let path = try logFile(Self.log)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reader = ContainerLogReader(path: path)
        #expect(try await text(reader.read(.init())) == "one\ntwo-joined\nthree\n")
        #expect(try await text(reader.read(.init(tailLines: 2))) == "two-joined\nthree\n")
        #expect(try await text(reader.read(.init(tailLines: 0))) == "")
        #expect(try await text(reader.read(.init(limitBytes: 6))) == "one\ntw")
        let since = try #require(Timestamp.parse("2026-01-02T03:04:06Z"))
        #expect(try await text(reader.read(.init(since: since))) == "two-joined\nthree\n")
        #expect(try await text(reader.read(.init(tailLines: 1, timestamps: true))) == "2026-01-02T03:04:07.100000000Z three\n")
    }

    @Test func followsNewEntriesUntilTheContainerStops() async throws {
        let path = try logFile("2026-01-02T03:04:05.1Z stdout F first\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            var reader = ContainerLogReader(path: path)
            reader.pollInterval = .milliseconds(20)
            let running = Atomic<Bool>(true)
            let stream = reader.read(.init(follow: true)) { running.load(ordering: .relaxed) }
            let collected = Task { try await text(stream) }
            try await Task.sleep(for: .milliseconds(100))
            let handle = try #require(FileHandle(forWritingAtPath: path))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data("2026-01-02T03:04:06.1Z stdout P sec".utf8))
            try await Task.sleep(for: .milliseconds(100))
            try handle.write(contentsOf: Data("\n2026-01-02T03:04:06.2Z stdout F ond\n".utf8))
            try handle.close()
            try await Task.sleep(for: .milliseconds(100))
            running.store(false, ordering: .relaxed)
            #expect(try await collected.value == "first\nsecond\n")
        }
    }

    @Test func aMissingFileIsNotFound() async throws {
        let stream = ContainerLogReader(path: "/nonexistent/flotilla.log").read(.init())
        await #expect(throws: FlotillaError.self) { _ = try await text(stream) }
    }
}
