import FlotillaCore
import FlotillaNetwork
import Testing

/// iptables in memory: `restore` inputs are recorded, `-C` finds the rules `-A`/`-I` added;
/// `iptables-save` prints the table's text in `savedTables`, else `saved`.
final class RecordingIPTables: IPTables, @unchecked Sendable {
    let state = Locked((restores: [String](), rules: [[String]](), saved: "", savedTables: [ProxyRules.Table: String](), deleted: [[String]]()))

    func restore(_ input: String) async throws { state.withLock { $0.restores.append(input) } }
    func save(_ table: ProxyRules.Table) async throws -> String { state.withLock { $0.savedTables[table] ?? $0.saved } }
    func run(_ arguments: [String]) async throws -> Bool {
        state.withLock { s in
            let table = arguments[1], operation = arguments[2], chain = arguments[3]
            switch operation {
            case "-C": return s.rules.contains([table, chain] + arguments.dropFirst(4))
            case "-A": s.rules.append([table, chain] + arguments.dropFirst(4))
            case "-I": s.rules.append([table, chain] + arguments.dropFirst(5))
            case "-D": s.deleted.append([table, chain, arguments[4]])
            default: break
            }
            return true
        }
    }
}

@Suite struct ProxyRuleApplierTests {
    let names = ProxyChainNames(nodeName: "node-a")

    func rules(endpoints: [String]) -> ProxyRules {
        let port = ProxiedServicePort(
            namespace: "default", serviceName: "web", clusterIP: IPv4Address("10.96.0.20")!, port: 80,
            endpoints: endpoints.map { .init(address: IPv4Address($0)!, port: 8080) })
        return ProxyRuleGenerator(names: names, podNetwork: IPv4Subnet("10.244.0.0/16")!).rules(for: [port])
    }

    @Test func firstApplyWritesEverythingRemovesLeftoversAndAddsJumpsOnce() async throws {
        let iptables = RecordingIPTables()
        iptables.state.withLock {
            $0.saved = "*nat\n:PREROUTING ACCEPT [0:0]\n:\(names.prefix)-SVC-OLD - [0:0]\n:FLOTILLA-POD-EGRESS - [0:0]\n:FLTZZZZZ-SERVICES - [0:0]\nCOMMIT\n"
        }
        let jumps = ProxyJump.all(names: names, podInterface: "br0")
        let applier = ProxyRuleApplier(iptables: iptables, names: names, jumps: jumps)
        #expect(try await applier.apply(rules(endpoints: ["10.244.1.2"])))
        #expect(try await !applier.apply(rules(endpoints: ["10.244.1.2"])))
        #expect(try await applier.apply(rules(endpoints: ["10.244.1.2", "10.244.1.3"])))
        let (restores, added) = iptables.state.withLock { ($0.restores, $0.rules) }
        #expect(restores.count == 2)
        #expect(restores[0].contains("-X \(names.prefix)-SVC-OLD\n"))
        #expect(!restores[0].contains("FLOTILLA-POD-EGRESS") && !restores[0].contains("FLTZZZZZ"))
        #expect(!restores[1].contains(":\(names.prefix)-MARK-MASQ"))
        #expect(added.count == jumps.count)
        #expect(added.contains(["nat", "PREROUTING", "-i", "br0", "-m", "comment", "--comment", "flotilla service portals \(names.prefix)", "-j", names.services]))

        let p = names.prefix
        iptables.state.withLock {
            $0.saved = """
                *nat
                :OUTPUT ACCEPT [0:0]
                :FLOTILLA-POD-EGRESS - [0:0]
                :\(p)-SERVICES - [0:0]
                -A OUTPUT -m comment --comment "flotilla service portals FLTZZZZZ" -j FLTZZZZZ-SERVICES
                -A OUTPUT -m comment --comment "flotilla service portals \(p)" -j \(p)-SERVICES
                -A OUTPUT -j FLOTILLA-POD-EGRESS
                -A OUTPUT -i other0 -m comment --comment "flotilla service portals \(p)" -j \(p)-SERVICES
                COMMIT

                """
        }
        try await applier.cleanup()
        let (deleted, last) = iptables.state.withLock { ($0.deleted, $0.restores.last!) }
        #expect(deleted == [["nat", "OUTPUT", "4"], ["nat", "OUTPUT", "2"], ["filter", "OUTPUT", "4"], ["filter", "OUTPUT", "2"]])
        #expect(last == "*nat\n:\(p)-SERVICES - [0:0]\n-X \(p)-SERVICES\nCOMMIT\n*filter\n:\(p)-SERVICES - [0:0]\n-X \(p)-SERVICES\nCOMMIT\n")
    }

    /// What `iptables-save` prints for each table holding `rules`.
    func kernel(holding rules: ProxyRules) -> [ProxyRules.Table: String] {
        let text = rules.restoreText(from: nil)
        let filter = text.range(of: "*filter\n")!.lowerBound
        return [.nat: String(text[..<filter]), .filter: String(text[filter...])]
    }

    @Test func rulesChangedOutsideAreFoundAndRewrittenByTheNextApply() async throws {
        let iptables = RecordingIPTables()
        let jumps = ProxyJump.all(names: names, podInterface: "br0")
        let applier = ProxyRuleApplier(iptables: iptables, names: names, jumps: jumps)
        let wanted = rules(endpoints: ["10.244.1.2"])
        #expect(try await applier.holdsAppliedRules())
        try await applier.apply(wanted)
        iptables.state.withLock { $0.savedTables = kernel(holding: wanted) }
        #expect(try await applier.holdsAppliedRules())

        var flushed = wanted
        flushed.nat[0].rules = []
        iptables.state.withLock { $0.savedTables = kernel(holding: flushed) }
        #expect(try await !applier.holdsAppliedRules())
        #expect(try await applier.apply(wanted))
        let rewritten = iptables.state.withLock { $0.restores.last! }
        #expect(rewritten.contains(":\(names.markMasquerade) - [0:0]\n") && rewritten.contains(":\(names.services) - [0:0]\n"))

        iptables.state.withLock {
            $0.savedTables = kernel(holding: wanted)
            $0.rules.removeFirst()
        }
        #expect(try await !applier.holdsAppliedRules())
        try await applier.apply(wanted)
        #expect(iptables.state.withLock { $0.rules.count } == jumps.count)
        #expect(try await applier.holdsAppliedRules())
    }
}
