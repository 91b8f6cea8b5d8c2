import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Gives back the memory a process touched only while it started.
///
/// Starting an agent runs much code once (argument parsing, TLS setup, registration, the first
/// lists), and the kernel maps code in 64 KiB windows around each page touched, so after start
/// most of the executable's code stays mapped although an idle agent uses about a third of it.
/// This drops the mappings of those pages that are unmodified copies of the executable file,
/// its code and its read-only data, and returns the allocator's free memory to the kernel. A
/// page used later is mapped again from the page cache on first touch. Pages the process wrote
/// (relocated read-only data, all writable data) are never dropped.
public enum StartupPages {
    /// What one release gave back, in bytes of resident memory.
    public struct Release: Sendable, Equatable {
        public var code: Int
        public var readOnlyData: Int
    }

    /// Drops the resident file pages of the executable's code and read-only data, then trims
    /// the heap. Returns what was dropped (zero when `/proc` cannot be read).
    @discardableResult
    public static func release() -> Release {
        var release = Release(code: 0, readOnlyData: 0)
        defer { trimHeap() }
        guard let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"),
            let maps = try? String(contentsOfFile: "/proc/self/maps", encoding: .utf8)
        else { return release }
        let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
        let pagemap = open("/proc/self/pagemap", O_RDONLY)
        defer { if pagemap >= 0 { close(pagemap) } }
        for mapping in maps.split(separator: "\n").compactMap(Mapping.init) where mapping.path == executable {
            switch mapping.permissions {
            case "r-xp":
                release.code += drop(mapping.start..<mapping.end, pageSize: pageSize, pagemap: pagemap)
            case "r--p":
                release.readOnlyData += drop(mapping.start..<mapping.end, pageSize: pageSize, pagemap: pagemap)
            default:
                continue
            }
        }
        return release
    }

    /// One line of `/proc/self/maps`.
    struct Mapping {
        var start: Int
        var end: Int
        var permissions: String
        var path: String

        init?(_ line: Substring) {
            let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
            guard fields.count == 6 else { return nil }
            let range = fields[0].split(separator: "-")
            guard range.count == 2, let start = Int(range[0], radix: 16), let end = Int(range[1], radix: 16) else { return nil }
            self.start = start
            self.end = end
            permissions = String(fields[1])
            path = fields[5].trimmingCharacters(in: .whitespaces)
        }
    }

    /// Drops, in runs, the pages of `range` that are resident and still the file's own (not
    /// copied on write); returns the bytes dropped. Only for mappings nobody writes to.
    private static func drop(_ range: Range<Int>, pageSize: Int, pagemap: Int32) -> Int {
        guard pagemap >= 0 else { return 0 }
        let pages = range.count / pageSize
        var entries = [UInt64](repeating: 0, count: pages)
        let wanted = pages * MemoryLayout<UInt64>.size
        let read = entries.withUnsafeMutableBytes { pread(pagemap, $0.baseAddress, wanted, off_t(range.lowerBound / pageSize * 8)) }
        guard read == wanted else { return 0 }
        var dropped = 0
        var runStart: Int?
        for index in 0...pages {
            let filePage = index < pages && isResidentFilePage(entries[index])
            if filePage, runStart == nil { runStart = index }
            if !filePage, let first = runStart {
                let address = UnsafeMutableRawPointer(bitPattern: range.lowerBound + first * pageSize)
                if madvise(address, (index - first) * pageSize, MADV_DONTNEED) == 0 { dropped += (index - first) * pageSize }
                runStart = nil
            }
        }
        return dropped
    }

    /// glibc's `malloc_trim(0)`: returns the free memory of every heap arena to the kernel. The
    /// C library module does not declare it, so it is looked up by name.
    private static func trimHeap() {
        typealias MallocTrim = @convention(c) (Int) -> Int32
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "malloc_trim") else { return }
        _ = unsafeBitCast(symbol, to: MallocTrim.self)(0)
    }

    /// Whether a pagemap entry is a present page that belongs to the file (bit 63: present;
    /// bit 61: file page or shared; a private page copied on write has bit 61 clear).
    static func isResidentFilePage(_ entry: UInt64) -> Bool {
        entry & (1 << 63) != 0 && entry & (1 << 61) != 0
    }
}
