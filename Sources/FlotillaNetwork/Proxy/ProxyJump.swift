/// A rule in a built-in chain that sends packets into one of the proxy's chains.
///
/// nat PREROUTING jumps to the services chain only for packets from the node's own pod
/// interface (when it has one), so that several agents on one host each capture their own
/// pods' traffic even when their clusters use the same cluster IPs; packets from elsewhere
/// reach only the node ports chain. nat OUTPUT (the host's own traffic) jumps for every
/// packet: with several agents on one host, the jump appended first sees the host's traffic
/// first, so for a cluster IP two clusters share, the agent that started first wins. The
/// nat jumps are appended; the filter table's REJECT jumps (new connections only) are
/// inserted at the top, as kube-proxy does.
public struct ProxyJump: Sendable, Equatable {
    public var table: ProxyRules.Table
    /// The built-in chain: PREROUTING, OUTPUT, POSTROUTING, INPUT or FORWARD.
    public var chain: String
    /// The rule's match and target, as `iptables` arguments.
    public var rule: [String]
    /// Inserted at the top of the chain rather than appended.
    public var inserted: Bool

    public init(table: ProxyRules.Table, chain: String, rule: [String], inserted: Bool = false) {
        self.table = table
        self.chain = chain
        self.rule = rule
        self.inserted = inserted
    }

    /// The jumps into `names`' chains; `podInterface` is the node's pod bridge, nil when the
    /// agent does not know it (then PREROUTING jumps for every packet).
    public static func all(names: ProxyChainNames, podInterface: String?) -> [ProxyJump] {
        let portals = ["-m", "comment", "--comment", "flotilla service portals \(names.prefix)"]
        var jumps: [ProxyJump] = []
        if let podInterface {
            jumps.append(ProxyJump(table: .nat, chain: "PREROUTING", rule: ["-i", podInterface] + portals + ["-j", names.services]))
            jumps.append(ProxyJump(
                table: .nat, chain: "PREROUTING",
                rule: ["!", "-i", podInterface, "-m", "addrtype", "--dst-type", "LOCAL", "-m", "comment", "--comment",
                       "flotilla node ports \(names.prefix)", "-j", names.nodePorts]))
        } else {
            jumps.append(ProxyJump(table: .nat, chain: "PREROUTING", rule: portals + ["-j", names.services]))
        }
        jumps.append(ProxyJump(table: .nat, chain: "OUTPUT", rule: portals + ["-j", names.services]))
        jumps.append(ProxyJump(
            table: .nat, chain: "POSTROUTING",
            rule: ["-m", "comment", "--comment", "flotilla service masquerading \(names.prefix)", "-j", names.postrouting]))
        for chain in ["INPUT", "FORWARD", "OUTPUT"] {
            jumps.append(ProxyJump(
                table: .filter, chain: chain, rule: ["-m", "conntrack", "--ctstate", "NEW"] + portals + ["-j", names.services], inserted: true))
        }
        return jumps
    }
}
