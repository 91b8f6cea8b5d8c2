/// The complete chains of the service proxy in the nat and filter tables, as
/// ``ProxyRuleGenerator`` makes them, and the `iptables-restore` input that brings the tables
/// from what was applied before to them.
public struct ProxyRules: Sendable, Equatable {
    /// One chain and its rules, each an `-A CHAIN …` line.
    public struct Chain: Sendable, Equatable {
        public var name: String
        public var rules: [String]

        public init(name: String, rules: [String] = []) {
            self.name = name
            self.rules = rules
        }
    }

    /// The tables the proxy writes, in the order they are restored.
    public enum Table: String, Sendable, CaseIterable {
        case nat, filter
    }

    public var nat: [Chain]
    public var filter: [Chain]

    public init(nat: [Chain] = [], filter: [Chain] = []) {
        self.nat = nat
        self.filter = filter
    }

    public func chains(in table: Table) -> [Chain] {
        table == .nat ? nat : filter
    }

    /// The `iptables-restore --noflush` input that turns the tables from `previous` into these
    /// rules: each chain that is new or changed is declared (which flushes it) and written;
    /// chains that are unchanged are left alone; chains in `previous` or in `existing` that
    /// are no longer wanted are flushed and deleted. With no `previous`, every chain is written.
    public func restoreText(from previous: ProxyRules?, existing: [Table: Set<String>] = [:]) -> String {
        var text = ""
        for table in Table.allCases {
            let before = Dictionary((previous?.chains(in: table) ?? []).map { ($0.name, $0.rules) }, uniquingKeysWith: { a, _ in a })
            let chains = chains(in: table)
            let wanted = Set(chains.map(\.name))
            let changed = chains.filter { previous == nil || before[$0.name] != $0.rules }
            let stale = Set(before.keys).union(existing[table] ?? []).subtracting(wanted).sorted()
            text += "*\(table.rawValue)\n"
            for chain in changed { text += ":\(chain.name) - [0:0]\n" }
            for name in stale { text += ":\(name) - [0:0]\n" }
            for chain in changed {
                for rule in chain.rules {
                    text += rule
                    text += "\n"
                }
            }
            for name in stale { text += "-X \(name)\n" }
            text += "COMMIT\n"
        }
        return text
    }
}
