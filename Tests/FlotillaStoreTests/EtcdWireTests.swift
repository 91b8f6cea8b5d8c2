import FlotillaCore
@testable import FlotillaStore
import Testing

@Suite
struct EtcdWireTests {
    @Test
    func decodesAKeyValue() throws {
        let json = try JSONParser.parse(#"{"key":"L2Zvbw==","create_revision":"2","mod_revision":"5","version":"2","value":"YmFy"}"#)
        #expect(try EtcdWire.keyValue(json) == KeyValue(key: "/foo", value: Array("bar".utf8), createRevision: 2, modRevision: 5))
        // Absent fields are zero or empty, as protobuf JSON leaves them out.
        let sparse = try JSONParser.parse(#"{"key":"L2Zvbw==","mod_revision":"7"}"#)
        #expect(try EtcdWire.keyValue(sparse) == KeyValue(key: "/foo", value: [], createRevision: 0, modRevision: 7))
    }

    @Test
    func rejectsMalformedFields() throws {
        #expect(throws: FlotillaError.self) { try EtcdWire.int64(.string("12x")) }
        #expect(throws: FlotillaError.self) { try EtcdWire.int64(.bool(true)) }
        #expect(throws: FlotillaError.self) { try EtcdWire.bytes(.string("not base64!")) }
        #expect(throws: FlotillaError.self) { try EtcdWire.bytes(.int(3)) }
        #expect(try EtcdWire.int64(.int(42)) == 42)
    }

    @Test
    func mapsEtcdErrorsToStoreErrors() throws {
        let compacted = try JSONParser.parse(#"{"error":"etcdserver: mvcc: required revision has been compacted","message":"etcdserver: mvcc: required revision has been compacted","code":11}"#)
        #expect(EtcdGateway.error(from: compacted, status: 400).code == .expired)
        let future = try JSONParser.parse(#"{"message":"etcdserver: mvcc: required revision is a future revision","code":11}"#)
        #expect(EtcdGateway.error(from: future, status: 400).code == .timeout)
        let unavailable = try JSONParser.parse(#"{"message":"etcdserver: request timed out","code":14}"#)
        #expect(EtcdGateway.error(from: unavailable, status: 503).code == .serviceUnavailable)
    }

    @Test
    func refusesBadEndpointsAndReportsUnreachableOnes() async throws {
        await expectStoreError(.invalid) { try await EtcdStore(endpoints: []) }
        await expectStoreError(.invalid) { try await EtcdStore(endpoints: ["not a url"]) }
        await expectStoreError(.invalid) { try await EtcdStore(endpoints: ["unix:///run/etcd.sock"]) }
        // Port 1 on loopback: nothing listens there.
        await expectStoreError(.serviceUnavailable) { try await EtcdStore(endpoints: ["http://127.0.0.1:1", "http://127.0.0.1:2"]) }
    }
}
