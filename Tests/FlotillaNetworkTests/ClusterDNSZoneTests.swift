import FlotillaCore
@testable import FlotillaNetwork
import Testing

/// What cluster DNS answers for each kind of name, as kube-dns and CoreDNS do.
@Suite struct ClusterDNSZoneTests {
    static let directory = ServiceDirectory(services: [
        .init(
            namespace: "default", name: "web", kind: .clusterIP(IPv4Address("10.96.0.20")),
            ports: [.init(name: "http", port: 80), .init(name: "dns", protocol: "UDP", port: 53), .init(name: "", port: 9000)],
            endpoints: [.init(ip: IPv4Address("10.244.0.5")!, hostname: "ignored")]),
        .init(
            namespace: "db", name: "pg", kind: .headless, ports: [.init(name: "sql", port: 5432)],
            endpoints: [
                .init(ip: IPv4Address("10.244.1.7")!, hostname: "pg-0", ports: [.init(name: "sql", port: 15432)]),
                .init(ip: IPv4Address("10.244.1.8")!, ports: [.init(name: "sql", port: 15432)]),
                .init(ip: IPv4Address("10.244.1.9")!, hostname: "pg-2", ready: false),
            ]),
        .init(namespace: "db", name: "empty", kind: .headless),
        .init(namespace: "default", name: "pending", kind: .clusterIP(nil)),
        .init(namespace: "default", name: "search", kind: .externalName("search.example.com.")),
    ])

    let zone = ClusterDNSZone(directory: Self.directory)

    func answer(_ name: String, _ type: DNSRecordType = .a) throws -> DNSTestMessage {
        let query = DNSTestQuery.parsed(name, type)
        let response = try #require(zone.answer(query))
        return try DNSTestMessage(response.encode(answering: query))
    }

    func record(_ name: String, _ type: DNSRecordType, _ data: String) -> DNSTestMessage.Record {
        .init(name: name, type: type, ttl: 5, data: data)
    }

    @Test func knownAddressesAnswerPointerRecordsAndOthersAreNotTheZones() throws {
        let service = try answer("20.0.96.10.in-addr.arpa", .ptr)
        #expect(service.code == .noError && service.authoritative)
        #expect(service.answers == [record("20.0.96.10.in-addr.arpa", .ptr, "web.default.svc.cluster.local")])
        #expect(try answer("7.1.244.10.in-addr.arpa", .ptr).answers == [record("7.1.244.10.in-addr.arpa", .ptr, "pg-0.pg.db.svc.cluster.local")])
        #expect(try answer("8.1.244.10.in-addr.arpa", .ptr).answers == [record("8.1.244.10.in-addr.arpa", .ptr, "10-244-1-8.pg.db.svc.cluster.local")])
        #expect(try answer("20.0.96.10.in-addr.arpa", .a).answers.isEmpty)
        // Not ready, a cluster IP service's endpoint, unknown: left to upstream servers.
        for name in ["9.1.244.10.in-addr.arpa", "5.0.244.10.in-addr.arpa", "1.2.0.192.in-addr.arpa"] {
            #expect(zone.answer(DNSTestQuery.parsed(name, .ptr)) == nil)
        }
    }

    @Test func clusterIPServiceHasItsAddress() throws {
        let message = try answer("web.default.svc.cluster.local")
        #expect(message.code == .noError && message.authoritative)
        #expect(message.answers == [record("web.default.svc.cluster.local", .a, "10.96.0.20")])
        #expect(message.authorities.isEmpty)
    }

    @Test func namesAreCaseInsensitiveAndTheQuestionKeepsItsCase() throws {
        let message = try answer("WEB.Default.SVC.cluster.LOCAL")
        #expect(message.questionName == "WEB.Default.SVC.cluster.LOCAL")
        #expect(message.answers == [record("WEB.Default.SVC.cluster.LOCAL", .a, "10.96.0.20")])
    }

    @Test func clusterIPServiceHasOneSRVPerNamedPortWithItsAddressAdditional() throws {
        let http = try answer("_http._tcp.web.default.svc.cluster.local", .srv)
        #expect(http.answers == [record("_http._tcp.web.default.svc.cluster.local", .srv, "0 100 80 web.default.svc.cluster.local")])
        #expect(http.additionals == [record("web.default.svc.cluster.local", .a, "10.96.0.20")])
        let dns = try answer("_dns._udp.web.default.svc.cluster.local", .srv)
        #expect(dns.answers.map(\.data) == ["0 100 53 web.default.svc.cluster.local"])
        // The wrong protocol is no name at all; its parent _tcp exists.
        #expect(try answer("_dns._tcp.web.default.svc.cluster.local", .srv).code == .nameError)
        #expect(try answer("_tcp.web.default.svc.cluster.local", .srv).code == .noError)
    }

    @Test func headlessServiceResolvesToItsReadyEndpoints() throws {
        let message = try answer("pg.db.svc.cluster.local")
        #expect(message.answers.map(\.data) == ["10.244.1.7", "10.244.1.8"])
        let empty = try answer("empty.db.svc.cluster.local")
        #expect(empty.code == .noError && empty.answers.isEmpty && empty.authorities.map(\.type) == [.soa])
    }

    @Test func headlessServiceHasOneSRVPerEndpointWithTheEndpointPort() throws {
        let message = try answer("_sql._tcp.pg.db.svc.cluster.local", .srv)
        #expect(message.answers.map(\.data) == ["0 100 15432 pg-0.pg.db.svc.cluster.local", "0 100 15432 10-244-1-8.pg.db.svc.cluster.local"])
        #expect(message.additionals == [
            record("pg-0.pg.db.svc.cluster.local", .a, "10.244.1.7"), record("10-244-1-8.pg.db.svc.cluster.local", .a, "10.244.1.8"),
        ])
    }

    @Test func endpointsAreNamedByHostnameAndByAddress() throws {
        #expect(try answer("pg-0.pg.db.svc.cluster.local").answers.map(\.data) == ["10.244.1.7"])
        #expect(try answer("10-244-1-7.pg.db.svc.cluster.local").answers.map(\.data) == ["10.244.1.7"])
        #expect(try answer("10-244-1-8.pg.db.svc.cluster.local").answers.map(\.data) == ["10.244.1.8"])
        // Not ready: no record. A ClusterIP service's endpoints have no names.
        #expect(try answer("pg-2.pg.db.svc.cluster.local").code == .nameError)
        #expect(try answer("ignored.web.default.svc.cluster.local").code == .nameError)
    }

    @Test func podNamesAreTheirAddresses() throws {
        #expect(try answer("10-244-3-4.anything.pod.cluster.local").answers == [record("10-244-3-4.anything.pod.cluster.local", .a, "10.244.3.4")])
        #expect(try answer("10-244-3-4.anything.pod.cluster.local", .aaaa).code == .noError)
        #expect(try answer("not-an-ip.default.pod.cluster.local").code == .nameError)
        #expect(try answer("default.pod.cluster.local").code == .noError)
    }

    @Test func externalNameIsACNAMEAlone() throws {
        for type in [DNSRecordType.a, .aaaa, .cname] {
            let message = try answer("search.default.svc.cluster.local", type)
            #expect(message.answers == [record("search.default.svc.cluster.local", .cname, "search.example.com")])
            #expect(message.additionals.isEmpty)
        }
    }

    @Test func unknownNamesAreNXDOMAINAndOtherTypesNODATA() throws {
        let missing = try answer("nope.default.svc.cluster.local")
        #expect(missing.code == .nameError && missing.answers.isEmpty)
        #expect(missing.authorities == [record("cluster.local", .soa, "ns.dns.cluster.local hostmaster.cluster.local 5")])
        let aaaa = try answer("web.default.svc.cluster.local", .aaaa)
        #expect(aaaa.code == .noError && aaaa.answers.isEmpty && aaaa.authorities.map(\.type) == [.soa])
        let pending = try answer("pending.default.svc.cluster.local")
        #expect(pending.code == .noError && pending.answers.isEmpty)
        for parent in ["default.svc.cluster.local", "svc.cluster.local", "cluster.local", "db.svc.cluster.local"] {
            #expect(try answer(parent).code == .noError, "\(parent)")
        }
        #expect(try answer("nowhere.svc.cluster.local").code == .nameError)
        #expect(try answer("cluster.local", .soa).answers.map(\.type) == [.soa])
    }

    @Test func namesOutsideTheDomainAreNotAnswered() {
        #expect(zone.answer(DNSTestQuery.parsed("example.com")) == nil)
        #expect(zone.answer(DNSTestQuery.parsed("notcluster.local")) == nil)
        #expect(zone.answer(DNSTestQuery.parsed("1.0.96.10.in-addr.arpa", .ptr)) == nil)
    }

    @Test func ttlAndDomainAreConfigurable() throws {
        let zone = ClusterDNSZone(directory: Self.directory, domain: "Corp.Internal.", ttl: 30)
        let query = DNSTestQuery.parsed("web.default.svc.corp.internal")
        let message = try DNSTestMessage(try #require(zone.answer(query)).encode(answering: query))
        #expect(message.answers == [.init(name: "web.default.svc.corp.internal", type: .a, ttl: 30, data: "10.96.0.20")])
        #expect(zone.answer(DNSTestQuery.parsed("web.default.svc.cluster.local")) == nil)
    }

    @Test func resolverSwapsZonesWhole() {
        let resolver = ClusterDNSResolver()
        #expect(resolver.answer(DNSTestQuery.parsed("web.default.svc.cluster.local"))?.code == .nameError)
        resolver.update(Self.directory)
        #expect(resolver.answer(DNSTestQuery.parsed("web.default.svc.cluster.local"))?.answers.count == 1)
    }
}
