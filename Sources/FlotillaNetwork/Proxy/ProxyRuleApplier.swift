/// Writes the service proxy's rules into the kernel and keeps them in step, as kube-proxy's
/// sync does: each ``apply(_:)`` is one `iptables-restore --noflush` transaction per table
/// that rewrites the chains that changed since the last one (declaring a chain flushes it),
/// leaves unchanged chains alone and deletes chains no longer wanted, so no packet ever sees
/// a half-written table. Rules equal to the last applied are not written again. The first
/// apply (and the first after a failure) rewrites every chain, deletes leftovers of the
/// agent's earlier runs that `iptables-save` shows, and adds the jumps from the built-in
/// chains that are missing (checked with `iptables -C`, so they are added once).
///
/// ``holdsAppliedRules()`` finds out whether something else (an administrator, a firewall
/// reloading) changed what was applied, so that the next apply repairs it.
///
/// Only chains ``ProxyChainNames/owns(_:)`` accepts are ever flushed or deleted.
public actor ProxyRuleApplier {
    private let iptables: any IPTables
    private let names: ProxyChainNames
    private let jumps: [ProxyJump]
    /// What the kernel holds, as far as known; nil before the first apply and after a failure.
    private var applied: ProxyRules?

    public init(iptables: any IPTables = SystemIPTables(), names: ProxyChainNames, jumps: [ProxyJump]) {
        self.iptables = iptables
        self.names = names
        self.jumps = jumps
    }

    /// Brings the tables to `rules`; returns false when they already were.
    @discardableResult
    public func apply(_ rules: ProxyRules) async throws -> Bool {
        if let applied, applied == rules { return false }
        let previous = applied
        applied = nil
        var existing: [ProxyRules.Table: Set<String>] = [:]
        if previous == nil {
            for table in ProxyRules.Table.allCases {
                existing[table] = try await iptables.chains(in: table, ownedBy: names)
            }
        }
        try await iptables.restore(rules.restoreText(from: previous, existing: existing))
        if previous == nil {
            for jump in jumps { try await ensure(jump) }
        }
        applied = rules
        return true
    }

    /// Whether the kernel still holds the rules last applied: every jump (checked with `-C`),
    /// every chain with as many rules as were written (from `iptables-save`). When it does not,
    /// the applied rules are forgotten, so the next ``apply(_:)`` rewrites every chain and
    /// adds the missing jumps. Nothing applied yet (or a failed apply) counts as held.
    public func holdsAppliedRules() async throws -> Bool {
        guard let expected = applied else { return true }
        var held = true
        for jump in jumps where held {
            held = try await iptables.run(["-t", jump.table.rawValue, "-C", jump.chain] + jump.rule)
        }
        for table in ProxyRules.Table.allCases where held {
            var declared: Set<String> = [], counts: [String: Int] = [:]
            for line in try await iptables.save(table).split(separator: "\n") {
                if line.hasPrefix(":") {
                    declared.insert(String(line.dropFirst().prefix { $0 != " " }))
                } else if line.hasPrefix("-A ") {
                    counts[String(line.dropFirst(3).prefix { $0 != " " }), default: 0] += 1
                }
            }
            held = expected.chains(in: table).allSatisfy { declared.contains($0.name) && counts[$0.name, default: 0] == $0.rules.count }
        }
        if !held, applied == expected { applied = nil }
        return held
    }

    /// Removes every rule that jumps to one of this agent's chains (whatever interface it was
    /// installed for) and every chain of this agent's from the nat and filter tables: traffic
    /// to services is no longer carried on this host.
    public func cleanup() async throws {
        var existing: [ProxyRules.Table: Set<String>] = [:]
        for table in ProxyRules.Table.allCases {
            var numbers: [String: Int] = [:], jumps: [(chain: String, number: Int)] = []
            for line in try await iptables.save(table).split(separator: "\n") where line.hasPrefix("-A ") {
                let words = line.split(separator: " ")
                let chain = String(words[1])
                numbers[chain, default: 0] += 1
                if let target = words.lastIndex(of: "-j").map({ words.index(after: $0) }), target < words.endIndex,
                   !names.owns(chain), names.owns(String(words[target])) {
                    jumps.append((chain, numbers[chain]!))
                }
            }
            for jump in jumps.reversed() {
                _ = try await iptables.run(["-t", table.rawValue, "-D", jump.chain, String(jump.number)])
            }
            existing[table] = try await iptables.chains(in: table, ownedBy: names)
        }
        try await iptables.restore(ProxyRules().restoreText(from: ProxyRules(), existing: existing))
        applied = nil
    }

    private func ensure(_ jump: ProxyJump) async throws {
        let table = jump.table.rawValue
        if try await iptables.run(["-t", table, "-C", jump.chain] + jump.rule) { return }
        let add = jump.inserted ? ["-t", table, "-I", jump.chain, "1"] : ["-t", table, "-A", jump.chain]
        _ = try await iptables.run(add + jump.rule)
    }
}
