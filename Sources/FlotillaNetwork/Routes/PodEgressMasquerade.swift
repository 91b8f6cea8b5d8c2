import FlotillaCore

/// Masquerades the traffic of a node's pods that leaves the pod network, and only that: a pod
/// reaching a pod on another node keeps its own address as the source, a pod reaching anything
/// else (the host's network, the outside) appears as its node.
///
/// The rule lives in a nat chain of the agent's own, jumped to from `POSTROUTING`:
///
/// ```
/// -A POSTROUTING -j FLOTILLA-POD-EGRESS
/// -A FLOTILLA-POD-EGRESS -s 10.244.1.0/24 ! -d 10.244.0.0/16 -j MASQUERADE
/// ```
///
/// An agent whose pod bridge is not the default `flotilla0` names its chain with a suffix made
/// from the bridge's name, so agents sharing one network namespace (each with its own bridge and
/// subnet) keep apart and never change each other's rules. ``install()`` is idempotent: it checks
/// before it adds, and rewrites its chain only when the rule in it is not the wanted one.
public struct PodEgressMasquerade: Sendable, Equatable {
    /// This node's pod subnet, the source of the masqueraded traffic.
    public var podSubnet: IPv4Subnet
    /// The cluster's pod network, whose destinations are not masqueraded.
    public var clusterNetwork: IPv4Subnet
    /// The nat chain holding the rule.
    public var chain: String

    public init(podSubnet: IPv4Subnet, clusterNetwork: IPv4Subnet, bridge: String) {
        self.podSubnet = podSubnet
        self.clusterNetwork = clusterNetwork
        self.chain = Self.chainName(bridge: bridge)
    }

    /// The chain of the agent of the default bridge.
    public static let baseChain = "FLOTILLA-POD-EGRESS"
    /// The bridge whose agent uses ``baseChain`` without a suffix.
    public static let defaultBridge = "flotilla0"

    /// `FLOTILLA-POD-EGRESS` for the default bridge, else `FLOTILLA-POD-EGRESS-` and eight hex
    /// digits of the bridge name's FNV-1a hash (chain names are at most 28 characters).
    public static func chainName(bridge: String) -> String {
        guard bridge != defaultBridge else { return baseChain }
        var hash: UInt32 = 0x811c_9dc5
        for byte in bridge.utf8 {
            hash = (hash ^ UInt32(byte)) &* 0x0100_0193
        }
        let hex = String(hash, radix: 16)
        return baseChain + "-" + String(repeating: "0", count: 8 - hex.count) + hex
    }

    /// The masquerade rule as `iptables -S` prints it.
    public var rule: String {
        "-A \(chain) -s \(podSubnet) ! -d \(clusterNetwork) -j MASQUERADE"
    }

    /// The `iptables -t nat` argument lists that bring the host to the wanted rules, given
    /// whether the chain exists, the rules it holds (its `-A` lines of `iptables -S`) and
    /// whether `POSTROUTING` jumps to it. Empty when everything is in place.
    public func commands(chainExists: Bool, chainRules: [String], jumpExists: Bool) -> [[String]] {
        var commands: [[String]] = []
        if !chainExists {
            commands.append(["-N", chain])
        } else if chainRules != [rule] && !chainRules.isEmpty {
            commands.append(["-F", chain])
        }
        if chainRules != [rule] {
            commands.append(["-A", chain, "-s", podSubnet.description, "!", "-d", clusterNetwork.description, "-j", "MASQUERADE"])
        }
        if !jumpExists {
            commands.append(["-A", "POSTROUTING", "-j", chain])
        }
        return commands
    }

    /// Adds the chain, its rule and the jump to it where they are missing.
    public func install() async throws {
        let listing = try? await Self.iptables(["-S", chain])
        let chainRules = listing.map { $0.split(whereSeparator: \.isNewline).map(String.init).filter { $0.hasPrefix("-A ") } } ?? []
        let jumpExists = (try? await Self.iptables(["-C", "POSTROUTING", "-j", chain])) != nil
        for command in commands(chainExists: listing != nil, chainRules: chainRules, jumpExists: jumpExists) {
            _ = try await Self.iptables(command)
        }
    }

    private static func iptables(_ arguments: [String]) async throws -> String {
        try await NetworkCommand.run("iptables", ["-w", "-t", "nat"] + arguments)
    }
}
