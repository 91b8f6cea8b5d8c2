import FlotillaCore
import FlotillaEtcdRPC
@testable import FlotillaStore
import Foundation
import NIOCore
import NIOEmbedded
import NIOHPACK
import NIOHTTP2
import Synchronization
import Testing

/// The etcd store's side of the gRPC wire, without a server: framing of replies on an embedded
/// channel, watch events and error mapping.
@Suite
struct EtcdProtocolTests {
    @Test
    func aStreamingCallPassesOnEachWholeMessage() async throws {
        let channel = EmbeddedChannel(handler: EtcdStreamHandler(authority: "etcd:2379", maxReplyBytes: 1 << 20))
        let (replies, continuation) = AsyncThrowingStream.makeStream(of: [UInt8].self)
        let collected = Task {
            var all: [[UInt8]] = []
            for try await reply in replies { all.append(reply) }
            return all
        }
        try channel.writeOutbound(EtcdRequest.open(EtcdStream(path: "/etcdserverpb.Watch/Watch", message: [1, 2, 3], replies: continuation)))
        let headers = try #require(try channel.readOutbound(as: HTTP2Frame.self))
        guard case .headers(let sent) = headers.payload else { Issue.record("no HEADERS first"); return }
        #expect(sent.headers.first(name: ":path") == "/etcdserverpb.Watch/Watch")
        #expect(sent.headers.first(name: "grpc-timeout") == nil)
        let data = try #require(try channel.readOutbound(as: HTTP2Frame.self))
        guard case .data(let body) = data.payload else { Issue.record("no DATA second"); return }
        // The request side stays open.
        #expect(!body.endStream)

        let id = headers.streamID
        try channel.writeInbound(HTTP2Frame(streamID: id, payload: .headers(.init(headers: [":status": "200"]))))
        // Two messages and the start of a third in one frame, the rest of it in the next.
        var first = ByteBuffer()
        first.writeBytes(Self.framed([10]) + Self.framed([20, 21]) + Array(Self.framed([30, 31, 32]).prefix(4)))
        try channel.writeInbound(HTTP2Frame(streamID: id, payload: .data(.init(data: .byteBuffer(first)))))
        var second = ByteBuffer()
        second.writeBytes(Array(Self.framed([30, 31, 32]).dropFirst(4)))
        try channel.writeInbound(HTTP2Frame(streamID: id, payload: .data(.init(data: .byteBuffer(second)))))
        try channel.writeInbound(HTTP2Frame(streamID: id, payload: .headers(.init(headers: ["grpc-status": "0"], endStream: true))))
        #expect(try await collected.value == [[10], [20, 21], [30, 31, 32]])
    }

    @Test
    func aStreamEndsWithEtcdsStatus() async throws {
        let channel = EmbeddedChannel(handler: EtcdStreamHandler(authority: "etcd:2379", maxReplyBytes: 1 << 20))
        let (replies, continuation) = AsyncThrowingStream.makeStream(of: [UInt8].self)
        let collected = Task { for try await _ in replies {} }
        try channel.writeOutbound(EtcdRequest.open(EtcdStream(path: "/etcdserverpb.Watch/Watch", message: [], replies: continuation)))
        let id = try #require(try channel.readOutbound(as: HTTP2Frame.self)).streamID
        try channel.writeInbound(HTTP2Frame(
            streamID: id, payload: .headers(.init(headers: [":status": "200", "grpc-status": "14", "grpc-message": "no%20leader"], endStream: true))))
        do {
            try await collected.value
            Issue.record("the stream ended without the failure")
        } catch let failure as EtcdCallFailure {
            #expect(failure.description == "no leader (gRPC status 14)")
            #expect(failure.isUnavailable)
        }
    }

    @Test
    func aStreamNoLongerReadIsReset() throws {
        let channel = EmbeddedChannel(handler: EtcdStreamHandler(authority: "etcd:2379", maxReplyBytes: 1 << 20))
        let (_, continuation) = AsyncThrowingStream.makeStream(of: [UInt8].self)
        let stream = EtcdStream(path: "/etcdserverpb.Watch/Watch", message: [], replies: continuation)
        try channel.writeOutbound(EtcdRequest.open(stream))
        let id = try #require(try channel.readOutbound(as: HTTP2Frame.self)).streamID
        _ = try channel.readOutbound(as: HTTP2Frame.self)
        try channel.writeOutbound(EtcdRequest.cancel(stream))
        let reset = try #require(try channel.readOutbound(as: HTTP2Frame.self))
        #expect(reset.streamID == id)
        guard case .rstStream(.cancel) = reset.payload else { Issue.record("no RST_STREAM: \(reset.payload)"); return }
    }

    @Test
    func aMalformedOrOversizedReplyFailsTheCall() throws {
        let channel = EmbeddedChannel(handler: EtcdStreamHandler(authority: "etcd:2379", maxReplyBytes: 8))
        for body in [[1, 0, 0, 0, 1, 7], Self.framed(Array(repeating: 1, count: 9)), [0, 0, 0, 0, 5, 1]] as [[UInt8]] {
            // Frames the last call left (an RST_STREAM) are not this call's.
            while try channel.readOutbound(as: HTTP2Frame.self) != nil {}
            let promise = channel.eventLoop.makePromise(of: [UInt8].self)
            let outcome = Mutex<Result<[UInt8], any Error>?>(nil)
            promise.futureResult.whenComplete { result in outcome.withLock { $0 = result } }
            try channel.writeOutbound(EtcdRequest.call(EtcdCall(path: "/etcdserverpb.KV/Range", message: [], timeout: .seconds(5), promise: promise)))
            let id = try #require(try channel.readOutbound(as: HTTP2Frame.self)).streamID
            while try channel.readOutbound(as: HTTP2Frame.self) != nil {}
            var buffer = ByteBuffer()
            buffer.writeBytes(body)
            try channel.writeInbound(HTTP2Frame(streamID: id, payload: .headers(.init(headers: [":status": "200"]))))
            try channel.writeInbound(HTTP2Frame(streamID: id, payload: .data(.init(data: .byteBuffer(buffer)))))
            try channel.writeInbound(HTTP2Frame(streamID: id, payload: .headers(.init(headers: ["grpc-status": "0"], endStream: true))))
            let result = try #require(outcome.withLock { $0 }, "no answer to \(body)")
            #expect(throws: EtcdCallFailure.self) { try result.get() }
        }
    }

    @Test
    func watchEventsCarryTheValuesTheyReplace() {
        func kv(_ value: String, created: Int64, modified: Int64) -> Mvccpb_KeyValue {
            var kv = Mvccpb_KeyValue()
            kv.key = Data("/k".utf8)
            kv.value = Data(value.utf8)
            kv.createRevision = created
            kv.modRevision = modified
            return kv
        }
        var created = Mvccpb_Event()
        created.kv = kv("a", created: 4, modified: 4)
        #expect(EtcdWatch.event(created) == .put(kv: KeyValue(key: "/k", value: Array("a".utf8), createRevision: 4, modRevision: 4), previous: nil))

        var updated = Mvccpb_Event()
        updated.kv = kv("b", created: 4, modified: 6)
        updated.prevKv = kv("a", created: 4, modified: 4)
        #expect(EtcdWatch.event(updated).revision == 6)
        #expect(EtcdWatch.event(updated) == .put(
            kv: KeyValue(key: "/k", value: Array("b".utf8), createRevision: 4, modRevision: 6),
            previous: KeyValue(key: "/k", value: Array("a".utf8), createRevision: 4, modRevision: 4)))

        var deleted = Mvccpb_Event()
        deleted.type = .delete
        deleted.kv = kv("", created: 0, modified: 9)
        deleted.prevKv = kv("b", created: 4, modified: 6)
        #expect(EtcdWatch.event(deleted) == .delete(
            previous: KeyValue(key: "/k", value: Array("b".utf8), createRevision: 4, modRevision: 6), revision: 9))
    }

    @Test
    func mapsEtcdErrorsToStoreErrors() {
        #expect(EtcdErrors.error(.status(code: 11, message: "etcdserver: mvcc: required revision has been compacted")).code == .expired)
        #expect(EtcdErrors.error(.status(code: 11, message: "etcdserver: mvcc: required revision is a future revision")).code == .timeout)
        #expect(EtcdErrors.error(.status(code: 14, message: "etcdserver: request timed out")).code == .serviceUnavailable)
        #expect(EtcdErrors.error(.status(code: 3, message: "etcdserver: key is not provided")).code == .internalError)
        #expect(EtcdErrors.error(.timedOut).code == .timeout)
    }

    @Test
    func refusesBadEndpointsAndReportsUnreachableOnes() async throws {
        await expectStoreError(.invalid) { try await EtcdStore(endpoints: []) }
        await expectStoreError(.invalid) { try await EtcdStore(endpoints: ["not a url"]) }
        await expectStoreError(.invalid) { try await EtcdStore(endpoints: ["unix:///run/etcd.sock"]) }
        // Port 1 on loopback: nothing listens there.
        await expectStoreError(.serviceUnavailable) { try await EtcdStore(endpoints: ["http://127.0.0.1:1", "http://127.0.0.1:2"]) }
    }

    /// `message` with gRPC's length prefix.
    private static func framed(_ message: [UInt8]) -> [UInt8] {
        [0] + withUnsafeBytes(of: UInt32(message.count).bigEndian, Array.init) + message
    }
}
