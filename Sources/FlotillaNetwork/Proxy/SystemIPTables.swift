import FlotillaCore
import Foundation

/// The host's `iptables`, `iptables-restore` and `iptables-save` (whichever backend they use),
/// each run with `-w` so that concurrent writers wait for the lock instead of failing.
public struct SystemIPTables: IPTables {
    public init() {}

    public func restore(_ input: String) async throws {
        _ = try await NetworkCommand.execute("iptables-restore", ["--noflush", "-w", "5"], input: input)
    }

    public func save(_ table: ProxyRules.Table) async throws -> String {
        try await NetworkCommand.execute("iptables-save", ["-t", table.rawValue], input: nil).output
    }

    public func run(_ arguments: [String]) async throws -> Bool {
        let result = try await NetworkCommand.execute("iptables", ["-w", "5"] + arguments, input: nil, tolerating: [1])
        return result.status == 0
    }
}
