#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import Foundation
import Logging

/// Flag values from the environment (`--data-dir` → `FLOTILLA_DATA_DIR`) and the defaults that
/// depend on who runs the command.
enum EnvironmentDefaults {
    /// The value of a flag: given on the command line, else `FLOTILLA_<FLAG>`, else nil.
    static func value(_ given: String?, flag: String) -> String? {
        if let given { return given }
        let name = "FLOTILLA_" + flag.uppercased().replacingOccurrences(of: "-", with: "_")
        guard let raw = getenv(name) else { return nil }
        let value = String(cString: raw)
        return value.isEmpty ? nil : value
    }

    /// Whether a boolean flag is set in the environment (`FLOTILLA_<FLAG>` is `true` or `1`).
    static func flag(flag: String) -> Bool {
        guard let text = value(nil, flag: flag) else { return false }
        return ["true", "1", "yes"].contains(text.lowercased())
    }

    /// `/var/lib/flotilla` for root, else `~/.flotilla`.
    static var dataDirectory: String {
        if geteuid() == 0 { return "/var/lib/flotilla" }
        let home = getenv("HOME").map { String(cString: $0) } ?? NSHomeDirectory()
        return home + "/.flotilla"
    }

    /// The data directory from `--data-dir`, `FLOTILLA_DATA_DIR` or the default.
    static func dataDirectory(_ given: String?) -> String {
        value(given, flag: "data-dir") ?? dataDirectory
    }

    /// The level from `--log-level` or `FLOTILLA_LOG_LEVEL` (`trace` … `critical`, `warn` too;
    /// default `info`); an unknown name is a usage error.
    static func logLevel(_ given: String?) throws -> Logger.Level {
        let text = value(given, flag: "log-level") ?? "info"
        let lower = text.lowercased()
        guard let level = lower == "warn" ? .warning : Logger.Level(rawValue: lower) else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical; got \(text)")
        }
        return level
    }
}
