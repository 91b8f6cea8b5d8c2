import FlotillaCore
import Foundation
@testable import FlotillaNetwork
import Testing

@Suite struct ProxyRuleGeneratorTests {
    let names = ProxyChainNames(nodeName: "node-a")
    var generator: ProxyRuleGenerator { ProxyRuleGenerator(names: names, podNetwork: IPv4Subnet("10.244.0.0/16")!) }

    func endpoint(_ address: String, _ port: Int = 8080, ready: Bool = true, local: Bool = false) -> ProxiedServicePort.Endpoint {
        .init(address: IPv4Address(address)!, port: port, ready: ready, local: local)
    }

    /// The rules of `chain` in the nat table.
    func chain(_ chain: String, in ports: [ProxiedServicePort]) -> [String] {
        nat(ports).split(separator: "\n").map(String.init).filter { $0.hasPrefix("-A \(chain) ") }
    }

    /// The nat table's chains as `iptables-restore` lines (the chains written from nothing).
    func nat(_ ports: [ProxiedServicePort]) -> String {
        let text = generator.rules(for: ports).restoreText(from: nil)
        return String(text[..<text.range(of: "COMMIT\n")!.upperBound])
    }

    func filter(_ ports: [ProxiedServicePort]) -> String {
        let text = generator.rules(for: ports).restoreText(from: nil)
        return String(text[text.range(of: "*filter\n")!.lowerBound...])
    }

    var fixedChains: String {
        let p = names.prefix
        return """
            -A \(p)-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
            -A \(p)-POSTROUTING -j MARK --xor-mark 0x4000
            -A \(p)-POSTROUTING -m comment --comment "flotilla service traffic requiring SNAT" -j MASQUERADE
            -A \(p)-MARK-MASQ -j MARK --or-mark 0x4000

            """
    }

    /// The filter table's last rule: only DNATed traffic reaches loopback addresses from elsewhere.
    var localnetRule: String {
        "-A \(names.prefix)-SERVICES -m comment --comment \"block incoming localnet connections\" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP\n"
    }

    var nodePortsJump: String {
        "-A \(names.prefix)-SERVICES -m comment --comment \"flotilla service nodeports; this must be the last rule in this chain\" -m addrtype --dst-type LOCAL -j \(names.prefix)-NODEPORTS\n"
    }

    @Test func chainNamesAreStableShortAndPerNode() {
        let port = ProxiedServicePort(namespace: "default", serviceName: "web", clusterIP: IPv4Address("10.96.0.20")!, port: 80)
        #expect(names.prefix == "FLT" + StableHash.base32("flotilla-proxy/node-a", length: 5))
        #expect(StableHash.base32("flotilla") == "DUZKLHVQW7KX3VKF")
        #expect(names.service(port) == ProxyChainNames(nodeName: "node-a").service(port))
        #expect(names.service(port) != ProxyChainNames(nodeName: "node-b").service(port))
        #expect(names.service(port).count <= 28)
        #expect(names.endpoint(endpoint("10.244.1.2"), of: port).count <= 28)
        #expect(names.owns(names.service(port)) && !names.owns("FLOTILLA-POD-EGRESS") && !names.owns("CNI-1234"))
    }

    @Test func clusterIPWithOneEndpoint() {
        let port = ProxiedServicePort(
            namespace: "default", serviceName: "web", clusterIP: IPv4Address("10.96.0.20")!, port: 80, endpoints: [endpoint("10.244.1.2")])
        let p = names.prefix, svc = names.service(port), sep = names.endpoint(port.endpoints[0], of: port)
        #expect(nat([port]) == """
            *nat
            :\(p)-SERVICES - [0:0]
            :\(p)-NODEPORTS - [0:0]
            :\(p)-POSTROUTING - [0:0]
            :\(p)-MARK-MASQ - [0:0]
            :\(svc) - [0:0]
            :\(sep) - [0:0]
            -A \(p)-SERVICES -m comment --comment "default/web cluster IP" -m tcp -p tcp -d 10.96.0.20/32 --dport 80 -j \(svc)

            """ + nodePortsJump + fixedChains + """
            -A \(svc) -m comment --comment "default/web cluster IP" -m tcp -p tcp -d 10.96.0.20/32 --dport 80 ! -s 10.244.0.0/16 -j \(p)-MARK-MASQ
            -A \(svc) -m comment --comment "default/web -> 10.244.1.2:8080" -j \(sep)
            -A \(sep) -m comment --comment default/web -s 10.244.1.2/32 -j \(p)-MARK-MASQ
            -A \(sep) -m comment --comment default/web -m tcp -p tcp -j DNAT --to-destination 10.244.1.2:8080
            COMMIT

            """)
        #expect(filter([port]) == "*filter\n:\(p)-SERVICES - [0:0]\n\(localnetRule)COMMIT\n")
    }

    @Test func severalEndpointsAreSpreadEvenlyAndOnlyReadyOnesCount() {
        let port = ProxiedServicePort(
            namespace: "shop", serviceName: "api", portName: "http", clusterIP: IPv4Address("10.96.1.1")!, port: 80,
            endpoints: [endpoint("10.244.1.4"), endpoint("10.244.1.2"), endpoint("10.244.1.9", ready: false), endpoint("10.244.1.3")])
        let svc = names.service(port)
        let seps = ["10.244.1.2", "10.244.1.3", "10.244.1.4"].map { names.endpoint(endpoint($0), of: port) }
        let picks = nat([port]).split(separator: "\n").filter { $0.hasPrefix("-A \(svc) -m comment --comment \"shop/api:http ->") }
        #expect(picks == [
            "-A \(svc) -m comment --comment \"shop/api:http -> 10.244.1.2:8080\" -m statistic --mode random --probability 0.3333333333 -j \(seps[0])",
            "-A \(svc) -m comment --comment \"shop/api:http -> 10.244.1.3:8080\" -m statistic --mode random --probability 0.5000000000 -j \(seps[1])",
            "-A \(svc) -m comment --comment \"shop/api:http -> 10.244.1.4:8080\" -j \(seps[2])",
        ])
        #expect(!nat([port]).contains("10.244.1.9"))
    }

    @Test func nodePortMarksAndJumpsToTheServiceChain() {
        let port = ProxiedServicePort(
            namespace: "default", serviceName: "web", transportProtocol: .udp, clusterIP: IPv4Address("10.96.0.30")!, port: 53,
            nodePort: 30053, endpoints: [endpoint("10.244.1.2", 5353)])
        let p = names.prefix, svc = names.service(port)
        let lines = nat([port]).split(separator: "\n")
        #expect(lines.filter { $0.hasPrefix("-A \(p)-NODEPORTS") } == [
            "-A \(p)-NODEPORTS -m comment --comment default/web -m udp -p udp --dport 30053 -j \(p)-MARK-MASQ",
            "-A \(p)-NODEPORTS -m comment --comment default/web -m udp -p udp --dport 30053 -j \(svc)",
        ])
        #expect(lines.last { $0.hasPrefix("-A \(p)-SERVICES") } == Substring(nodePortsJump.dropLast()))
    }

    @Test func multiplePortsGetTheirOwnChains() {
        let ports = ["http": 80, "https": 443].map { name, number in
            ProxiedServicePort(
                namespace: "default", serviceName: "web", portName: name, clusterIP: IPv4Address("10.96.0.20")!, port: number,
                endpoints: [endpoint("10.244.1.2", number + 8000)])
        }
        let text = nat(ports)
        #expect(names.service(ports[0]) != names.service(ports[1]))
        for port in ports {
            #expect(text.contains("-d 10.96.0.20/32 --dport \(port.port) -j \(names.service(port))"))
            #expect(text.contains("-j DNAT --to-destination 10.244.1.2:\(port.port + 8000)"))
        }
    }

    @Test func clientIPAffinityRemembersTheEndpoint() {
        let port = ProxiedServicePort(
            namespace: "default", serviceName: "sticky", clusterIP: IPv4Address("10.96.0.40")!, port: 80, affinitySeconds: 600,
            endpoints: [endpoint("10.244.1.2"), endpoint("10.244.1.3")])
        let svc = names.service(port)
        let seps = port.endpoints.map { names.endpoint($0, of: port) }
        let lines = nat([port]).split(separator: "\n").map(String.init)
        let chain = lines.filter { $0.hasPrefix("-A \(svc) ") }
        #expect(chain[1] == "-A \(svc) -m comment --comment default/sticky -m recent --name \(seps[0]) --mask 255.255.255.255 --rsource --rcheck --seconds 600 --reap -j \(seps[0])")
        #expect(chain[2] == "-A \(svc) -m comment --comment default/sticky -m recent --name \(seps[1]) --mask 255.255.255.255 --rsource --rcheck --seconds 600 --reap -j \(seps[1])")
        #expect(chain[3].contains("--probability 0.5000000000 -j \(seps[0])"))
        #expect(lines.contains("-A \(seps[1]) -m comment --comment default/sticky -m recent --name \(seps[1]) --mask 255.255.255.255 --rsource --set -m tcp -p tcp -j DNAT --to-destination 10.244.1.3:8080"))
    }

    @Test func noEndpointsRejectsInTheFilterTable() {
        let port = ProxiedServicePort(
            namespace: "default", serviceName: "empty", clusterIP: IPv4Address("10.96.0.50")!, port: 80, nodePort: 30080,
            endpoints: [endpoint("10.244.1.2", ready: false)])
        let p = names.prefix
        #expect(filter([port]) == """
            *filter
            :\(p)-SERVICES - [0:0]
            -A \(p)-SERVICES -m comment --comment "default/empty has no endpoints" -m tcp -p tcp -d 10.96.0.50/32 --dport 80 -j REJECT --reject-with icmp-port-unreachable
            -A \(p)-SERVICES -m comment --comment "default/empty has no endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 30080 -j REJECT --reject-with icmp-port-unreachable
            \(localnetRule)COMMIT

            """)
        #expect(!nat([port]).contains("-SVC-"))
    }

    @Test func removalRewritesOnlyChangedChainsAndDeletesStaleOnes() {
        let web = ProxiedServicePort(
            namespace: "default", serviceName: "web", clusterIP: IPv4Address("10.96.0.20")!, port: 80,
            endpoints: [endpoint("10.244.1.2"), endpoint("10.244.1.3")])
        let other = ProxiedServicePort(
            namespace: "default", serviceName: "other", clusterIP: IPv4Address("10.96.0.21")!, port: 80, endpoints: [endpoint("10.244.1.7")])
        var shrunk = web
        shrunk.endpoints.removeLast()
        let before = generator.rules(for: [other, web]), after = generator.rules(for: [other, shrunk])
        let p = names.prefix, gone = names.endpoint(web.endpoints[1], of: web)
        let text = after.restoreText(from: before)
        let declared = text.split(separator: "\n").filter { $0.hasPrefix(":") }.map { String($0.dropFirst().prefix { $0 != " " }) }
        #expect(Set(declared) == [names.service(web), gone])
        #expect(text.contains("-X \(gone)\n"))
        #expect(!text.contains(names.service(other)))

        let removed = generator.rules(for: [other]).restoreText(from: before, existing: [.nat: ["\(p)-SEP-LEFTOVER"], .filter: []])
        for chain in [names.service(web), names.endpoint(web.endpoints[0], of: web), gone, "\(p)-SEP-LEFTOVER"] {
            #expect(removed.contains(":\(chain) - [0:0]\n") && removed.contains("-X \(chain)\n"))
        }
        #expect(removed.contains(":\(p)-SERVICES - [0:0]\n"))
    }

    @Test func internalTrafficLocalSpreadsOverThisNodesEndpointsOrDrops() {
        var port = ProxiedServicePort(
            namespace: "default", serviceName: "web", clusterIP: IPv4Address("10.96.0.60")!, port: 80, internalTrafficLocal: true,
            endpoints: [endpoint("10.244.1.2", local: true), endpoint("10.244.2.2"), endpoint("10.244.1.3", local: true)])
        let key = ProxyChainNames.key(of: port), p = names.prefix
        let onNode = names.localService(key: key)
        let seps = ["10.244.1.2", "10.244.1.3"].map { names.endpoint(key: key, endpoint: $0 + ":8080") }
        #expect(chain("\(p)-SERVICES", in: [port]).first
            == "-A \(p)-SERVICES -m comment --comment \"default/web cluster IP\" -m tcp -p tcp -d 10.96.0.60/32 --dport 80 -j \(onNode)")
        #expect(chain(onNode, in: [port]) == [
            "-A \(onNode) -m comment --comment \"default/web -> 10.244.1.2:8080\" -m statistic --mode random --probability 0.5000000000 -j \(seps[0])",
            "-A \(onNode) -m comment --comment \"default/web -> 10.244.1.3:8080\" -j \(seps[1])",
        ])
        #expect(!nat([port]).contains(names.service(port)) && !nat([port]).contains("10.244.2.2"))

        port.endpoints = [endpoint("10.244.2.2")]
        #expect(!nat([port]).contains("-SVL-") && !nat([port]).contains("-SVC-"))
        #expect(filter([port]).contains(
            "-A \(p)-SERVICES -m comment --comment \"default/web has no local endpoints\" -m tcp -p tcp -d 10.96.0.60/32 --dport 80 -j DROP\n"))
    }

    @Test func externalTrafficLocalSendsOutsideTrafficToThisNodeUnmasqueraded() {
        var port = ProxiedServicePort(
            namespace: "default", serviceName: "web", clusterIP: IPv4Address("10.96.0.70")!, port: 80, nodePort: 30080,
            externalTrafficLocal: true, endpoints: [endpoint("10.244.1.2", local: true), endpoint("10.244.2.2")])
        let key = ProxyChainNames.key(of: port), p = names.prefix
        let external = names.external(key: key), onNode = names.localService(key: key), cluster = names.service(port)
        let localSep = names.endpoint(key: key, endpoint: "10.244.1.2:8080")
        #expect(chain("\(p)-NODEPORTS", in: [port]) == ["-A \(p)-NODEPORTS -m comment --comment default/web -m tcp -p tcp --dport 30080 -j \(external)"])
        let entry = [
            "-A \(external) -m comment --comment \"pod traffic for default/web external destinations\" -s 10.244.0.0/16 -j \(cluster)",
            "-A \(external) -m comment --comment \"masquerade LOCAL traffic for default/web external destinations\" -m addrtype --src-type LOCAL -j \(p)-MARK-MASQ",
            "-A \(external) -m comment --comment \"route LOCAL traffic for default/web external destinations to cluster endpoints\" -m addrtype --src-type LOCAL -j \(cluster)",
        ]
        #expect(chain(external, in: [port]) == entry + ["-A \(external) -m comment --comment default/web -j \(onNode)"])
        #expect(chain(onNode, in: [port]) == ["-A \(onNode) -m comment --comment \"default/web -> 10.244.1.2:8080\" -j \(localSep)"])
        #expect(chain(cluster, in: [port]).count == 3)
        #expect(chain("\(p)-SERVICES", in: [port]).first?.hasSuffix("-j \(cluster)") == true)

        port.endpoints = [endpoint("10.244.2.2")]
        #expect(chain(external, in: [port]) == entry)
        #expect(!nat([port]).contains("-SVL-"))
        #expect(filter([port]).contains(
            "-A \(p)-SERVICES -m comment --comment \"default/web has no local endpoints\" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 30080 -j DROP\n"))
    }

    @Test func externalIPsAreMasqueradedToEveryEndpointOrFollowTheLocalPolicy() {
        var port = ProxiedServicePort(
            namespace: "default", serviceName: "web", clusterIP: IPv4Address("10.96.0.80")!, port: 80,
            externalAddresses: [IPv4Address("198.51.100.10")!], endpoints: [endpoint("10.244.1.2", local: true), endpoint("10.244.2.2")])
        let key = ProxyChainNames.key(of: port), p = names.prefix
        let cluster = names.service(port), external = names.external(key: key)
        let rule = "-A \(p)-SERVICES -m comment --comment \"default/web external IP\" -m tcp -p tcp -d 198.51.100.10/32 --dport 80"
        #expect(Array(chain("\(p)-SERVICES", in: [port]).dropFirst().prefix(2)) == ["\(rule) -j \(p)-MARK-MASQ", "\(rule) -j \(cluster)"])

        port.nodePort = 30080
        port.externalTrafficLocal = true
        #expect(chain("\(p)-SERVICES", in: [port]).contains("\(rule) -j \(external)"))
        #expect(chain("\(p)-NODEPORTS", in: [port]) == ["-A \(p)-NODEPORTS -m comment --comment default/web -m tcp -p tcp --dport 30080 -j \(external)"])
        #expect(chain(external, in: [port]).last == "-A \(external) -m comment --comment default/web -j \(names.localService(key: key))")

        port.endpoints = [endpoint("10.244.2.2")]
        #expect(filter([port]).contains(
            "-A \(p)-SERVICES -m comment --comment \"default/web has no local endpoints\" -m tcp -p tcp -d 198.51.100.10/32 --dport 80 -j DROP\n"))
        port.endpoints = []
        #expect(filter([port]).contains(
            "-A \(p)-SERVICES -m comment --comment \"default/web has no endpoints\" -m tcp -p tcp -d 198.51.100.10/32 --dport 80 -j REJECT --reject-with icmp-port-unreachable\n"))
    }

    @Test func probabilitiesHaveTenDecimals() {
        #expect(ProxyRuleGenerator.probability(1, 3) == "0.3333333333")
        #expect(ProxyRuleGenerator.probability(1, 6) == "0.1666666667")
        #expect(ProxyRuleGenerator.probability(1, 2) == "0.5000000000")
    }
}
