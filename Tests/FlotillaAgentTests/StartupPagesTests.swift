import Foundation
import Testing

@testable import FlotillaAgent

/// Releasing the pages a process touched only while starting.
@Suite struct StartupPagesTests {
    @Test func mapsLinesAreRead() throws {
        let mapping = try #require(StartupPages.Mapping("55d0c0a00000-55d0c3a00000 r-xp 00a00000 08:01 1234      /usr/local/bin/flotilla"))
        #expect(mapping.start == 0x55d0_c0a0_0000)
        #expect(mapping.end == 0x55d0_c3a0_0000)
        #expect(mapping.permissions == "r-xp")
        #expect(mapping.path == "/usr/local/bin/flotilla")
        // Anonymous mappings have no path and are never the executable's.
        #expect(StartupPages.Mapping("7ffd1000-7ffd2000 rw-p 00000000 00:00 0") == nil)
        #expect(StartupPages.Mapping("not a mapping") == nil)
    }

    @Test func onlyPresentPagesOfTheFileAreDropped() {
        let present: UInt64 = 1 << 63, file: UInt64 = 1 << 61
        #expect(StartupPages.isResidentFilePage(present | file | 0x1234))
        // A private copy (written, or relocated and then made read-only) is not the file's.
        #expect(!StartupPages.isResidentFilePage(present | 0x1234))
        #expect(!StartupPages.isResidentFilePage(file))
        #expect(!StartupPages.isResidentFilePage(0))
    }

    @Test func releaseDropsTheExecutablesCodeAndTheProcessGoesOn() throws {
        let before = try residentKiB(permissions: "r-xp")
        let release = StartupPages.release()
        let after = try residentKiB(permissions: "r-xp")
        #expect(release.code > 0)
        #expect(after < before, "code resident: \(before) KiB before, \(after) KiB after")
        // Code and read-only data come back from the file on use, unchanged.
        let encoded = try JSONEncoder().encode(["node": "n1", "pods": "3"])
        #expect(try JSONDecoder().decode([String: String].self, from: encoded) == ["node": "n1", "pods": "3"])
        #expect(StartupPages.Mapping("1000-2000 r--p 00000000 08:01 7 /bin/x")?.path == "/bin/x")
    }

    /// The resident size of this executable's mappings with `permissions`, from `/proc/self/smaps`.
    private func residentKiB(permissions: String) throws -> Int {
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        var counting = false
        var total = 0
        for line in try String(contentsOfFile: "/proc/self/smaps", encoding: .utf8).split(separator: "\n") {
            let isHeader = line.split(separator: " ").first.map { $0.contains("-") && !$0.hasSuffix(":") } ?? false
            if isHeader {
                counting = StartupPages.Mapping(line).map { $0.path == executable && $0.permissions == permissions } ?? false
            } else if counting, line.hasPrefix("Rss:") {
                total += Int(line.split(separator: " ")[1]) ?? 0
            }
        }
        return total
    }
}
