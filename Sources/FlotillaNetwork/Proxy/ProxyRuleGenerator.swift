import FlotillaCore

/// Makes the service proxy's iptables rules from the service ports to carry, the way
/// kube-proxy's iptables mode does.
///
/// In the nat table, the services chain (jumped from PREROUTING and OUTPUT) sends each
/// service port's cluster IP to the port's own chain, and ends with a jump to the node ports
/// chain for packets to a local address. A service port's chain marks traffic from outside
/// the pod network for masquerading, then picks an endpoint chain: with `n` endpoints, the
/// first rule matches with probability 1/n, the next 1/(n-1), …, the last always, which
/// spreads connections evenly. With `sessionAffinity: ClientIP`, a client seen within the
/// timeout goes back to its endpoint first (`-m recent`). An endpoint chain marks hairpin
/// traffic (an endpoint reaching itself) for masquerading and DNATs to the endpoint. The
/// postrouting chain masquerades marked packets. Only ready endpoints receive traffic; a
/// service port without any is rejected in the filter table instead, so clients fail at once.
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

    public func rules(for ports: [ProxiedServicePort]) -> ProxyRules {
        var services: [String] = [], nodePorts: [String] = [], reject: [String] = []
        var perService: [ProxyRules.Chain] = []
        let mark = names.markMasquerade
        for port in ports {
            let proto = port.transportProtocol.iptablesName
            let display = port.displayName
            let match = "-m \(proto) -p \(proto)"
            let destination = "-d \(port.clusterIP)/32 --dport \(port.port)"
            let endpoints = port.readyEndpoints
            if endpoints.isEmpty {
                let comment = "-m comment --comment \"\(display) has no endpoints\""
                reject.append("-A \(names.services) \(comment) \(match) \(destination) -j REJECT --reject-with icmp-port-unreachable")
                if let nodePort = port.nodePort {
                    reject.append(
                        "-A \(names.services) \(comment) -m addrtype --dst-type LOCAL \(match) --dport \(nodePort) -j REJECT --reject-with icmp-port-unreachable")
                }
                continue
            }
            let key = ProxyChainNames.key(of: port)
            let chain = names.service(key: key)
            let comment = "-m comment --comment \(display)"
            let clusterComment = "-m comment --comment \"\(display) cluster IP\""
            services.append("-A \(names.services) \(clusterComment) \(match) \(destination) -j \(chain)")
            if let nodePort = port.nodePort {
                nodePorts.append("-A \(names.nodePorts) \(comment) \(match) --dport \(nodePort) -j \(mark)")
                nodePorts.append("-A \(names.nodePorts) \(comment) \(match) --dport \(nodePort) -j \(chain)")
            }
            var serviceRules = ["-A \(chain) \(clusterComment) \(match) \(destination) ! -s \(podNetwork) -j \(mark)"]
            let targets = endpoints.map { endpoint in (address: endpoint.address.description, target: endpoint.description) }
            let endpointChains = targets.map { names.endpoint(key: key, endpoint: $0.target) }
            if let seconds = port.affinitySeconds {
                for name in endpointChains {
                    serviceRules.append(
                        "-A \(chain) \(comment) -m recent --name \(name) --mask 255.255.255.255 --rsource --rcheck --seconds \(seconds) --reap -j \(name)")
                }
            }
            for (index, target) in targets.enumerated() {
                let remaining = targets.count - index
                let pick = remaining > 1 ? " -m statistic --mode random --probability \(Self.probability(1, remaining))" : ""
                serviceRules.append("-A \(chain) -m comment --comment \"\(display) -> \(target.target)\"\(pick) -j \(endpointChains[index])")
            }
            perService.append(ProxyRules.Chain(name: chain, rules: serviceRules))
            for (index, target) in targets.enumerated() {
                let name = endpointChains[index]
                let remember = port.affinitySeconds == nil ? "" : " -m recent --name \(name) --mask 255.255.255.255 --rsource --set"
                perService.append(ProxyRules.Chain(name: name, rules: [
                    "-A \(name) \(comment) -s \(target.address)/32 -j \(mark)",
                    "-A \(name) \(comment)\(remember) \(match) -j DNAT --to-destination \(target.target)",
                ]))
            }
        }
        services.append(
            "-A \(names.services) -m comment --comment \"flotilla service nodeports; this must be the last rule in this chain\" -m addrtype --dst-type LOCAL -j \(names.nodePorts)")
        let fixed = [
            ProxyRules.Chain(name: names.services, rules: services),
            ProxyRules.Chain(name: names.nodePorts, rules: nodePorts),
            ProxyRules.Chain(name: names.postrouting, rules: [
                "-A \(names.postrouting) -m mark ! --mark \(Self.masqueradeMark)/\(Self.masqueradeMark) -j RETURN",
                "-A \(names.postrouting) -j MARK --xor-mark \(Self.masqueradeMark)",
                "-A \(names.postrouting) -m comment --comment \"flotilla service traffic requiring SNAT\" -j MASQUERADE",
            ]),
            ProxyRules.Chain(name: mark, rules: ["-A \(mark) -j MARK --or-mark \(Self.masqueradeMark)"]),
        ]
        return ProxyRules(nat: fixed + perService, filter: [ProxyRules.Chain(name: names.services, rules: reject)])
    }

    /// `numerator/denominator` with ten decimals, as kube-proxy writes probabilities (`0.3333333333`).
    static func probability(_ numerator: Int, _ denominator: Int) -> String {
        let scaled = (numerator * 10_000_000_000 + denominator / 2) / denominator
        let digits = String(scaled % 10_000_000_000)
        return "\(scaled / 10_000_000_000)." + String(repeating: "0", count: 10 - digits.count) + digits
    }
}
