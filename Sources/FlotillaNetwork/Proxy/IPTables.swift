/// The iptables programs the service proxy drives; ``SystemIPTables`` runs the host's.
public protocol IPTables: Sendable {
    /// Feeds `input` to `iptables-restore --noflush`: one transaction per table.
    func restore(_ input: String) async throws
    /// What `iptables-save -t <table>` prints.
    func save(_ table: ProxyRules.Table) async throws -> String
    /// Runs `iptables` with `arguments`; false when it exits with status 1 (a rule `-C` does
    /// not find), throws on any other failure.
    func run(_ arguments: [String]) async throws -> Bool
}

extension IPTables {
    /// The chains of `table` that `names` own, from `iptables-save`.
    public func chains(in table: ProxyRules.Table, ownedBy names: ProxyChainNames) async throws -> Set<String> {
        var found: Set<String> = []
        for line in try await save(table).split(separator: "\n") where line.hasPrefix(":") {
            let name = String(line.dropFirst().prefix { $0 != " " })
            if names.owns(name) { found.insert(name) }
        }
        return found
    }
}
