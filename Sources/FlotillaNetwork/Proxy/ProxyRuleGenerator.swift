import FlotillaCore

/// Makes the service proxy's iptables rules from the service ports to carry, the way
/// kube-proxy's iptables mode does.
///
/// In the nat table, the services chain (jumped from PREROUTING and OUTPUT) sends each
/// service port's cluster IP and external IPs (`spec.externalIPs`, load-balancer ingress IPs)
/// to the port's own chain, and ends with a jump to the node ports chain for packets to a
/// local address. Traffic to node ports and external IPs is masqueraded. A service port's chain marks traffic from outside
/// the pod network for masquerading, then picks an endpoint chain: with `n` endpoints, the
/// first rule matches with probability 1/n, the next 1/(n-1), …, the last always, which
/// spreads connections evenly. With `sessionAffinity: ClientIP`, a client seen within the
/// timeout goes back to its endpoint first (`-m recent`). An endpoint chain marks hairpin
/// traffic (an endpoint reaching itself) for masquerading and DNATs to the endpoint. The
/// postrouting chain masquerades marked packets. Only ready endpoints receive traffic; a
/// service port without any is rejected in the filter table instead, so clients fail at once.
///
/// The `Local` traffic policies use a second spreading chain over the endpoints on this node
/// only. With `internalTrafficPolicy: Local` the cluster IP goes there. With
/// `externalTrafficPolicy: Local` node ports and external IPs enter an external chain: traffic from pods and
/// from the node itself still goes to every endpoint (the node's own traffic masqueraded),
/// traffic from elsewhere goes to this node's endpoints unmasqueraded, so they see the
/// client's address. Where a `Local` policy leaves no endpoint on this node while others
/// exist, the traffic is dropped, as kube-proxy does.
public struct ProxyRuleGenerator: Sendable {
    /// The mark bit of packets to masquerade, as kube-proxy's.
    public static let masqueradeMark = "0x4000"

    public var names: ProxyChainNames
    /// The cluster's pod network: service traffic from outside it is masqueraded.
    public var podNetwork: IPv4Subnet

    public init(names: ProxyChainNames, podNetwork: IPv4Subnet) {
        self.names = names
        self.podNetwork = podNetwork
    }

    /// The rules being made: the fixed chains' rules and each service port's chains.
    private struct Draft {
        var services: [String] = [], nodePorts: [String] = [], filter: [String] = []
        var perService: [ProxyRules.Chain] = []
    }

    public func rules(for ports: [ProxiedServicePort]) -> ProxyRules {
        var draft = Draft()
        for port in ports { add(port, to: &draft) }
        draft.services.append(
            "-A \(names.services) -m comment --comment \"flotilla service nodeports; this must be the last rule in this chain\" -m addrtype --dst-type LOCAL -j \(names.nodePorts)")
        let mark = names.markMasquerade
        let fixed = [
            ProxyRules.Chain(name: names.services, rules: draft.services),
            ProxyRules.Chain(name: names.nodePorts, rules: draft.nodePorts),
            ProxyRules.Chain(name: names.postrouting, rules: [
                "-A \(names.postrouting) -m mark ! --mark \(Self.masqueradeMark)/\(Self.masqueradeMark) -j RETURN",
                "-A \(names.postrouting) -j MARK --xor-mark \(Self.masqueradeMark)",
                "-A \(names.postrouting) -m comment --comment \"flotilla service traffic requiring SNAT\" -j MASQUERADE",
            ]),
            ProxyRules.Chain(name: mark, rules: ["-A \(mark) -j MARK --or-mark \(Self.masqueradeMark)"]),
        ]
        // With route_localnet on, only DNATed traffic (a node port on localhost) may reach a
        // loopback address from elsewhere.
        draft.filter.append(
            "-A \(names.services) -m comment --comment \"block incoming localnet connections\" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP")
        return ProxyRules(nat: fixed + draft.perService, filter: [ProxyRules.Chain(name: names.services, rules: draft.filter)])
    }

    /// Adds the rules and chains of one service port.
    private func add(_ port: ProxiedServicePort, to draft: inout Draft) {
        let proto = port.transportProtocol.iptablesName
        let display = port.displayName
        let match = "-m \(proto) -p \(proto)"
        let destination = "-d \(port.clusterIP)/32 --dport \(port.port)"
        let all = port.readyEndpoints, local = all.filter(\.local)
        let drop = "-m comment --comment \"\(display) has no local endpoints\""
        if all.isEmpty {
            let comment = "-m comment --comment \"\(display) has no endpoints\""
            draft.filter.append("-A \(names.services) \(comment) \(match) \(destination) -j REJECT --reject-with icmp-port-unreachable")
            for address in port.externalAddresses {
                draft.filter.append("-A \(names.services) \(comment) \(match) -d \(address)/32 --dport \(port.port) -j REJECT --reject-with icmp-port-unreachable")
            }
            if let nodePort = port.nodePort {
                draft.filter.append(
                    "-A \(names.services) \(comment) -m addrtype --dst-type LOCAL \(match) --dport \(nodePort) -j REJECT --reject-with icmp-port-unreachable")
            }
            return
        }
        let key = ProxyChainNames.key(of: port)
        let cluster = names.service(key: key), onNode = names.localService(key: key), mark = names.markMasquerade
        let comment = "-m comment --comment \(display)"
        let clusterComment = "-m comment --comment \"\(display) cluster IP\""
        var usesCluster = false, usesLocal = false

        if !port.internalTrafficLocal {
            draft.services.append("-A \(names.services) \(clusterComment) \(match) \(destination) -j \(cluster)")
            usesCluster = true
        } else if local.isEmpty {
            draft.filter.append("-A \(names.services) \(drop) \(match) \(destination) -j DROP")
        } else {
            draft.services.append("-A \(names.services) \(clusterComment) \(match) \(destination) -j \(onNode)")
            usesLocal = true
        }

        let externalComment = "-m comment --comment \"\(display) external IP\""
        if port.externalTrafficLocal, port.nodePort != nil || !port.externalAddresses.isEmpty {
            usesCluster = true
            let external = names.external(key: key)
            let destinations = "\(display) external destinations"
            var rules = [
                "-A \(external) -m comment --comment \"pod traffic for \(destinations)\" -s \(podNetwork) -j \(cluster)",
                "-A \(external) -m comment --comment \"masquerade LOCAL traffic for \(destinations)\" -m addrtype --src-type LOCAL -j \(mark)",
                "-A \(external) -m comment --comment \"route LOCAL traffic for \(destinations) to cluster endpoints\" -m addrtype --src-type LOCAL -j \(cluster)",
            ]
            if local.isEmpty {
                for address in port.externalAddresses {
                    draft.filter.append("-A \(names.services) \(drop) \(match) -d \(address)/32 --dport \(port.port) -j DROP")
                }
                if let nodePort = port.nodePort {
                    draft.filter.append("-A \(names.services) \(drop) -m addrtype --dst-type LOCAL \(match) --dport \(nodePort) -j DROP")
                }
            } else {
                rules.append("-A \(external) \(comment) -j \(onNode)")
                usesLocal = true
            }
            draft.perService.append(ProxyRules.Chain(name: external, rules: rules))
            for address in port.externalAddresses {
                draft.services.append("-A \(names.services) \(externalComment) \(match) -d \(address)/32 --dport \(port.port) -j \(external)")
            }
            if let nodePort = port.nodePort {
                draft.nodePorts.append("-A \(names.nodePorts) \(comment) \(match) --dport \(nodePort) -j \(external)")
            }
        } else if port.nodePort != nil || !port.externalAddresses.isEmpty {
            usesCluster = true
            for address in port.externalAddresses {
                let target = "-A \(names.services) \(externalComment) \(match) -d \(address)/32 --dport \(port.port)"
                draft.services.append("\(target) -j \(mark)")
                draft.services.append("\(target) -j \(cluster)")
            }
            if let nodePort = port.nodePort {
                draft.nodePorts.append("-A \(names.nodePorts) \(comment) \(match) --dport \(nodePort) -j \(mark)")
                draft.nodePorts.append("-A \(names.nodePorts) \(comment) \(match) --dport \(nodePort) -j \(cluster)")
            }
        }

        if usesCluster {
            let masquerade = "-A \(cluster) \(clusterComment) \(match) \(destination) ! -s \(podNetwork) -j \(mark)"
            draft.perService.append(spread(port, key: key, chain: cluster, over: all, first: [masquerade]))
        }
        if usesLocal {
            draft.perService.append(spread(port, key: key, chain: onNode, over: local, first: []))
        }
        for endpoint in usesCluster ? all : local {
            let name = names.endpoint(key: key, endpoint: endpoint.description)
            let remember = port.affinitySeconds == nil ? "" : " -m recent --name \(name) --mask 255.255.255.255 --rsource --set"
            draft.perService.append(ProxyRules.Chain(name: name, rules: [
                "-A \(name) \(comment) -s \(endpoint.address)/32 -j \(mark)",
                "-A \(name) \(comment)\(remember) \(match) -j DNAT --to-destination \(endpoint)",
            ]))
        }
    }

    /// The chain `chain` that spreads `port`'s traffic over `endpoints` after the rules `first`.
    private func spread(_ port: ProxiedServicePort, key: String, chain: String, over endpoints: [ProxiedServicePort.Endpoint], first: [String]) -> ProxyRules.Chain {
        let display = port.displayName
        let endpointChains = endpoints.map { names.endpoint(key: key, endpoint: $0.description) }
        var rules = first
        if let seconds = port.affinitySeconds {
            for name in endpointChains {
                rules.append(
                    "-A \(chain) -m comment --comment \(display) -m recent --name \(name) --mask 255.255.255.255 --rsource --rcheck --seconds \(seconds) --reap -j \(name)")
            }
        }
        for (index, endpoint) in endpoints.enumerated() {
            let remaining = endpoints.count - index
            let pick = remaining > 1 ? " -m statistic --mode random --probability \(Self.probability(1, remaining))" : ""
            rules.append("-A \(chain) -m comment --comment \"\(display) -> \(endpoint)\"\(pick) -j \(endpointChains[index])")
        }
        return ProxyRules.Chain(name: chain, rules: rules)
    }

    /// `numerator/denominator` with ten decimals, as kube-proxy writes probabilities (`0.3333333333`).
    static func probability(_ numerator: Int, _ denominator: Int) -> String {
        let scaled = (numerator * 10_000_000_000 + denominator / 2) / denominator
        let digits = String(scaled % 10_000_000_000)
        return "\(scaled / 10_000_000_000)." + String(repeating: "0", count: 10 - digits.count) + digits
    }
}
