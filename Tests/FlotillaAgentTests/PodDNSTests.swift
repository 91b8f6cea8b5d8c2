@testable import FlotillaAgent
import FlotillaAPI
import FlotillaCore
import FlotillaNetwork
import Testing

@Suite struct PodDNSTests {
    let dns = PodDNS(
        clusterNetwork: .standard,
        host: HostResolverConfiguration(nameservers: ["192.0.2.53"], searches: ["corp.example"], options: ["ndots:1", "timeout:2"]))

    func pod(_ spec: JSON) -> JSON {
        ["metadata": ["name": "web-0", "namespace": "shop", "uid": "u"], "spec": spec]
    }

    @Test func clusterFirstUsesTheClusterServerAndSearchPath() {
        let config = dns.configuration(for: pod([:]))
        #expect(config == SandboxConfiguration.DNS(
            servers: ["10.96.0.10"], searches: ["shop.svc.cluster.local", "svc.cluster.local", "cluster.local", "corp.example"],
            options: ["ndots:5"]))
        #expect(dns.configuration(for: pod(["dnsPolicy": "ClusterFirstWithHostNet", "hostNetwork": true])) == config)
    }

    @Test func hostNetworkClusterFirstAndDefaultUseTheHost() {
        let host = SandboxConfiguration.DNS(servers: ["192.0.2.53"], searches: ["corp.example"], options: ["ndots:1", "timeout:2"])
        #expect(dns.configuration(for: pod(["dnsPolicy": "ClusterFirst", "hostNetwork": true])) == host)
        #expect(dns.configuration(for: pod(["dnsPolicy": "Default"])) == host)
        #expect(PodDNS(clusterNetwork: nil, host: dns.host).configuration(for: pod([:])) == host)
    }

    @Test func noneTakesOnlyTheDNSConfig() {
        let config = dns.configuration(for: pod([
            "dnsPolicy": "None",
            "dnsConfig": ["nameservers": ["192.0.2.1"], "searches": ["a.example"], "options": [["name": "ndots", "value": "2"], ["name": "edns0"]]],
        ]))
        #expect(config == SandboxConfiguration.DNS(servers: ["192.0.2.1"], searches: ["a.example"], options: ["ndots:2", "edns0"]))
    }

    @Test func dnsConfigMergesOnTopWithinTheLimits() {
        let config = dns.configuration(for: pod([
            "dnsConfig": [
                "nameservers": ["192.0.2.1", "10.96.0.10", "192.0.2.2", "192.0.2.3"],
                "searches": .array((0..<40).map { .string("s\($0).example") }),
                "options": [["name": "ndots", "value": "3"], ["name": "single-request"]],
            ],
        ]))
        #expect(config.servers == ["10.96.0.10", "192.0.2.1", "192.0.2.2"])
        #expect(config.searches.count == 32 && config.searches.prefix(4) == ["shop.svc.cluster.local", "svc.cluster.local", "cluster.local", "corp.example"])
        #expect(config.options == ["ndots:3", "single-request"])
    }

    @Test func hostnameAndSubdomain() {
        let named = PodHostname(pod: pod(["hostname": "db", "subdomain": "cluster"]), clusterDomain: "cluster.local")
        #expect(named.hostname == "db" && named.fullyQualified == "db.cluster.shop.svc.cluster.local")
        let plain = PodHostname(pod: pod([:]), clusterDomain: "cluster.local")
        #expect(plain.hostname == "web-0" && plain.domain == nil)
    }

    @Test func hostsFileNamesThePodAtItsAddress() {
        let named = PodHostname(pod: pod(["hostname": "db", "subdomain": "cluster"]), clusterDomain: "cluster.local")
        let lines = PodHostsFile.contents(podIP: "10.244.1.5", hostname: named).split(separator: "\n")
        #expect(lines.first == "# Kubernetes-managed hosts file." && lines.contains("127.0.0.1\tlocalhost"))
        #expect(lines.last == "10.244.1.5\tdb.cluster.shop.svc.cluster.local\tdb")
        #expect(PodHostsFile.contents(podIP: "10.244.1.6", hostname: PodHostname(pod: pod([:]), clusterDomain: nil)).hasSuffix("10.244.1.6\tweb-0\n"))
    }

    @Test func theDesignCarriesHostnameAndDNS() throws {
        var inputs = PodInputs()
        inputs.dns = dns
        let design = try PodDesign(
            pod: ["metadata": ["name": "web-0", "namespace": "shop", "uid": "u"],
                  "spec": ["hostname": "db", "containers": [["name": "c", "image": "busybox"]]]],
            inputs: inputs)
        #expect(design.hostname?.hostname == "db")
        #expect(design.dns?.servers == ["10.96.0.10"])
    }
}
