import FlotillaCore
@testable import FlotillaNetwork
import Testing

/// The wire format: queries read, responses written byte for byte, broken input refused.
@Suite struct DNSCodecTests {
    static let webQuery: [UInt8] =
        [0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]
        + [3] + Array("Web".utf8) + [7] + Array("default".utf8) + [3] + Array("svc".utf8) + [7] + Array("cluster".utf8)
        + [5] + Array("local".utf8) + [0, 0x00, 0x01, 0x00, 0x01]

    static let zone = ClusterDNSZone(
        directory: ServiceDirectory(services: [
            .init(namespace: "default", name: "web", kind: .clusterIP(IPv4Address("10.96.0.20")), ports: [.init(name: "http", port: 80)])
        ]),
        serial: 7)

    @Test func readsAQuery() throws {
        guard case .query(let query) = DNSQueryParse.parse(Self.webQuery) else { Issue.record("not a query"); return }
        #expect(query.id == 0x1234)
        #expect(query.recursionDesired)
        #expect(query.name.key == "web.default.svc.cluster.local")
        #expect(DNSTestMessage.text(query.name) == "Web.default.svc.cluster.local")
        #expect(query.type == .a)
        #expect(query.edns == nil)
    }

    @Test func writesAnAnswerThatPointsAtTheQuestion() throws {
        guard case .query(let query) = DNSQueryParse.parse(Self.webQuery) else { Issue.record("not a query"); return }
        let bytes = Self.zone.answer(query)!.encode(answering: query)
        let expected: [UInt8] =
            [0x12, 0x34, 0x85, 0x80, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00]
            + Array(Self.webQuery[12...])
            + [0xC0, 0x0C, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x05, 0x00, 0x04, 10, 96, 0, 20]
        #expect(bytes == expected)
    }

    @Test func srvTargetIsWrittenInFullAndTheAdditionalPointsIntoTheQuestion() throws {
        let query = DNSTestQuery.parsed("_http._tcp.web.default.svc.cluster.local", .srv)
        let bytes = Self.zone.answer(query)!.encode(answering: query)
        let questionEnd = 12 + 1 + 5 + 1 + 4 + 31 + 4
        let target: [UInt8] = [3] + Array("web".utf8) + [7] + Array("default".utf8) + [3] + Array("svc".utf8) + [7] + Array("cluster".utf8) + [5] + Array("local".utf8) + [0]
        let answer: [UInt8] = [0xC0, 0x0C, 0x00, 0x21, 0x00, 0x01, 0, 0, 0, 5, 0, UInt8(6 + target.count), 0, 0, 0, 100, 0, 80] + target
        // The additional A record's owner, web.default.svc.cluster.local, starts at byte 23 of the question.
        let additional: [UInt8] = [0xC0, 23, 0x00, 0x01, 0x00, 0x01, 0, 0, 0, 5, 0, 4, 10, 96, 0, 20]
        #expect(Array(bytes[4..<12]) == [0, 1, 0, 1, 0, 0, 0, 1])
        #expect(Array(bytes[questionEnd...]) == answer + additional)
    }

    @Test func negativeAnswerCarriesTheSOACompressedAgainstTheQuestion() throws {
        let query = DNSTestQuery.parsed("nothing.default.svc.cluster.local")
        let bytes = Self.zone.answer(query)!.encode(answering: query)
        let message = try DNSTestMessage(bytes)
        #expect(message.code == .nameError)
        #expect(message.authorities == [.init(name: "cluster.local", type: .soa, ttl: 5, data: "ns.dns.cluster.local hostmaster.cluster.local 5")])
        // The SOA owner is a pointer to "cluster.local" inside the question (offset 12 + 8 + 8 + 4).
        let questionEnd = 12 + 35 + 4
        #expect(Array(bytes[questionEnd..<(questionEnd + 2)]) == [0xC0, 32])
    }

    @Test func ednsIsReadAndEchoedWithOurSize() throws {
        let query = DNSTestQuery.parsed("web.default.svc.cluster.local", udpPayloadSize: 4096)
        #expect(query.edns == DNSQuery.EDNS(udpPayloadSize: 4096))
        #expect(DNSLimits.udpLimit(for: query) == 1232)
        let message = try DNSTestMessage(Self.zone.answer(query)!.encode(answering: query))
        #expect(message.additionals == [.init(name: "", type: .opt, ttl: 0, data: "1232")])
        #expect(message.answers.count == 1)
    }

    @Test func readsDigsQueryWithACookie() throws {
        let hex = "2fa601200001000000000001046e6f70650764656661756c740373766307636c7573746572056c6f63616c000001000100002904d000000000000c000a000801df064fd173c9de"
        let bytes = stride(from: 0, to: hex.count, by: 2).map { UInt8(hex.dropFirst($0).prefix(2), radix: 16)! }
        guard case .query(let query) = DNSQueryParse.parse(bytes) else {
            Issue.record("dig's query does not parse: \(DNSQueryParse.parse(bytes))")
            return
        }
        #expect(query.name.key == "nope.default.svc.cluster.local")
        #expect(query.edns == DNSQuery.EDNS(udpPayloadSize: 1232))
    }

    @Test func unknownEDNSVersionIsBADVERS() throws {
        var bytes = DNSTestQuery.bytes("web.default.svc.cluster.local", udpPayloadSize: 1232)
        bytes[bytes.count - 5] = 1  // the OPT record's version byte
        guard case .query(let query) = DNSQueryParse.parse(bytes) else { Issue.record("not a query"); return }
        let message = try DNSTestMessage(Self.zone.answer(query)!.encode(answering: query))
        #expect(message.answers.isEmpty)
        #expect(message.additionals.first?.ttl == 1 << 24)  // extended code 16 → upper bits 1
    }

    @Test func tooLargeAnswersAreTruncatedToHeaderAndQuestion() throws {
        let endpoints = (1...60).map { ServiceDirectory.Endpoint(ip: IPv4Address(0x0AF4_0000 + UInt32($0))) }
        let zone = ClusterDNSZone(directory: ServiceDirectory(services: [.init(namespace: "default", name: "many", kind: .headless, endpoints: endpoints)]))
        let query = DNSTestQuery.parsed("many.default.svc.cluster.local")
        let response = zone.answer(query)!
        #expect(response.answers.count == 60)
        let full = try DNSTestMessage(response.encode(answering: query))
        #expect(!full.truncated && full.answers.count == 60)
        let udp = response.encode(answering: query, limit: DNSLimits.udpLimit(for: query))
        #expect(udp.count <= 512)
        let truncated = try DNSTestMessage(udp)
        #expect(truncated.truncated && truncated.answers.isEmpty && truncated.questionName == "many.default.svc.cluster.local")
    }

    @Test func malformedQueriesAreRejectedOrIgnored() {
        #expect(DNSQueryParse.parse([0x12]) == .ignore)
        var response = Self.webQuery
        response[2] |= 0x80
        #expect(DNSQueryParse.parse(response) == .ignore)
        #expect(DNSQueryParse.parse(Array(Self.webQuery[0..<20])) == .reject(id: 0x1234, flags: 0x0100, code: .formatError))
        var twoQuestions = Self.webQuery
        twoQuestions[5] = 2
        #expect(DNSQueryParse.parse(twoQuestions) == .reject(id: 0x1234, flags: 0x0100, code: .formatError))
        var notify = Self.webQuery
        notify[2] = 0x20
        #expect(DNSQueryParse.parse(notify) == .reject(id: 0x1234, flags: 0x2000, code: .notImplemented))
        // A pointer to itself, a pointer forward, a label past the end, a name longer than 255 bytes.
        let header: [UInt8] = [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]
        for name: [UInt8] in [[0xC0, 12], [0xC0, 14, 0, 0], [9, 97], Array(repeating: [63] + Array(repeating: 97, count: 63), count: 5).flatMap { $0 } + [0]] {
            #expect(DNSQueryParse.parse(header + name + [0, 1, 0, 1]) == .reject(id: 1, flags: 0, code: .formatError))
        }
        let rejection = DNSResponse.rejection(id: 0x1234, flags: 0x0100, code: .formatError)
        #expect(rejection == [0x12, 0x34, 0x81, 0x81, 0, 0, 0, 0, 0, 0, 0, 0])
    }

    @Test func survivesRandomBytesAndMutations() throws {
        var generator = SystemRandomNumberGenerator()
        let seeds = [Self.webQuery, DNSTestQuery.bytes("_http._tcp.web.default.svc.cluster.local", .srv, udpPayloadSize: 1232)]
        for round in 0..<20_000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = (0..<Int.random(in: 0...80, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            } else {
                bytes = seeds[round % 4 / 2 == 0 ? 0 : 1]
                for _ in 0..<Int.random(in: 1...4, using: &generator) {
                    bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
                }
                if Bool.random(using: &generator) { bytes.removeLast(Int.random(in: 0..<bytes.count, using: &generator)) }
            }
            switch DNSQueryParse.parse(bytes) {
            case .query(let query):
                if let response = Self.zone.answer(query) {
                    let encoded = response.encode(answering: query, limit: DNSLimits.udpLimit(for: query))
                    #expect(encoded.count <= DNSLimits.udpLimit(for: query))
                    _ = try DNSTestMessage(encoded)
                }
            case .reject(let id, let flags, let code):
                #expect(DNSResponse.rejection(id: id, flags: flags, code: code).count == 12)
            case .ignore:
                break
            }
        }
    }
}
