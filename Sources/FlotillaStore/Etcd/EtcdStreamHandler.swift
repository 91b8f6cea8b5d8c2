import Foundation
import NIOCore
import NIOHPACK
import NIOHTTP2
import Synchronization

/// Carries unary gRPC calls over one HTTP/2 connection, one stream per call, working on raw
/// frames: HEADERS and a DATA frame out, HEADERS, DATA and trailers in, the reply's message and
/// `grpc-status` completing the call's promise.
///
/// Streams get a window of 2^31-1 bytes at the start, so no stream needs window updates (replies
/// are capped well below it); the connection's window is opened to ``connectionWindow`` and
/// given back as replies arrive. When stream IDs run low the connection retires: it takes no
/// more calls and closes once those in flight finish.
final class EtcdStreamHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTP2Frame
    typealias OutboundIn = EtcdCall
    typealias OutboundOut = HTTP2Frame

    /// The settings sent to etcd.
    static let initialSettings: HTTP2Settings = [
        HTTP2Setting(parameter: .enablePush, value: 0),
        HTTP2Setting(parameter: .initialWindowSize, value: Int(Int32.max)),
        HTTP2Setting(parameter: .maxHeaderListSize, value: 16 * 1024),
    ]
    /// The connection's receive window (HTTP/2 starts it at 65,535 bytes).
    private static let connectionWindow = 64 << 20
    /// Past this stream ID the connection retires (IDs end at 2^31-1).
    private static let retireAfterStreamID: Int32 = 1 << 30

    private struct Pending {
        var promise: EventLoopPromise<[UInt8]>
        var timer: Scheduled<Void>
        var body: ByteBuffer?
        var status: Int?
    }

    private let authority: String
    private let maxReplyBytes: Int
    /// Set once the connection takes no more calls; read by ``EtcdConnection``.
    let retiring: Retiring
    private var pending: [HTTP2StreamID: Pending] = [:]
    private var nextStreamID: Int32 = 1
    /// Bytes received on the connection and not yet given back to etcd's send window.
    private var consumed = 0
    private var active = true

    /// Whether a connection still takes calls, shared with the thread that picks connections.
    final class Retiring: Sendable {
        private let flag = Atomic(false)
        var isSet: Bool { flag.load(ordering: .relaxed) }
        func set() { flag.store(true, ordering: .relaxed) }
    }

    init(authority: String, maxReplyBytes: Int) {
        self.authority = authority
        self.maxReplyBytes = maxReplyBytes
        retiring = Retiring()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let call = unwrapOutboundIn(data)
        promise?.succeed()
        guard active, !retiring.isSet else {
            call.promise.fail(EtcdCallFailure.notSent("the connection is closing"))
            return
        }
        let id = HTTP2StreamID(nextStreamID)
        nextStreamID += 2
        if nextStreamID > Self.retireAfterStreamID { retiring.set() }

        let headers: HPACKHeaders = [
            ":method": "POST", ":scheme": "http", ":path": call.path, ":authority": authority,
            "content-type": "application/grpc", "te": "trailers",
            "grpc-timeout": "\(max(1, call.timeout.nanoseconds / 1_000_000))m",
        ]
        var body = context.channel.allocator.buffer(capacity: 5 + call.message.count)
        body.writeInteger(UInt8(0))
        body.writeInteger(UInt32(call.message.count))
        body.writeBytes(call.message)

        let loop = context.eventLoop.assumeIsolated()
        let timer = loop.scheduleTask(in: call.timeout) { [self] in
            guard let timedOut = pending.removeValue(forKey: id) else { return }
            timedOut.promise.fail(EtcdCallFailure.timedOut)
            context.writeAndFlush(wrapOutboundOut(HTTP2Frame(streamID: id, payload: .rstStream(.cancel))), promise: nil)
        }
        pending[id] = Pending(promise: call.promise, timer: timer)
        context.write(wrapOutboundOut(HTTP2Frame(streamID: id, payload: .headers(.init(headers: headers)))), promise: nil)
        context.write(
            wrapOutboundOut(HTTP2Frame(streamID: id, payload: .data(.init(data: .byteBuffer(body), endStream: true)))), promise: nil)
    }

    func channelActive(context: ChannelHandlerContext) {
        context.fireChannelActive()
        let increment = Self.connectionWindow - 65_535
        context.writeAndFlush(wrapOutboundOut(HTTP2Frame(streamID: .rootStream, payload: .windowUpdate(windowSizeIncrement: increment))), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.payload {
        case .headers(let headers):
            receive(headers.headers, endStream: headers.endStream, on: frame.streamID)
        case .data(let data):
            // Flow control counts the padding and its length byte too.
            consumed += data.data.readableBytes + (data.paddingBytes.map { $0 + 1 } ?? 0)
            if consumed >= Self.connectionWindow / 2 {
                context.writeAndFlush(wrapOutboundOut(HTTP2Frame(streamID: .rootStream, payload: .windowUpdate(windowSizeIncrement: consumed))), promise: nil)
                consumed = 0
            }
            guard case .byteBuffer(var bytes) = data.data, var call = pending[frame.streamID] else { return }
            if call.body == nil {
                call.body = bytes
            } else {
                call.body!.writeBuffer(&bytes)
            }
            if (call.body?.readableBytes ?? 0) > maxReplyBytes + 5 {
                finish(frame.streamID, .failure(EtcdCallFailure.broken("etcd's reply is over \(maxReplyBytes) bytes")))
                context.writeAndFlush(wrapOutboundOut(HTTP2Frame(streamID: frame.streamID, payload: .rstStream(.cancel))), promise: nil)
                return
            }
            pending[frame.streamID] = call
            if data.endStream { finish(frame.streamID, .failure(EtcdCallFailure.broken("etcd ended the reply without a status"))) }
        case .rstStream(let code):
            let failure: EtcdCallFailure =
                code == .refusedStream ? .notSent("etcd refused the stream") : .broken("etcd reset the stream (\(code))")
            finish(frame.streamID, .failure(failure))
        case .goAway(let lastStreamID, _, _):
            // Streams above `lastStreamID` were never processed.
            retiring.set()
            for id in pending.keys where id > lastStreamID {
                finish(id, .failure(EtcdCallFailure.notSent("etcd is closing the connection")))
            }
            closeIfIdle(context: context)
        default:
            break
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        closeIfIdle(context: context)
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(EtcdCallFailure.broken("the connection to etcd closed"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failAll(EtcdCallFailure.broken("the connection to etcd failed: \(error)"))
        context.close(promise: nil)
    }

    /// Response headers (`:status`), trailers (`grpc-status`) or both at once.
    private func receive(_ headers: HPACKHeaders, endStream: Bool, on id: HTTP2StreamID) {
        guard var call = pending[id] else { return }
        if let status = headers.first(name: ":status"), status != "200" {
            finish(id, .failure(EtcdCallFailure.broken("etcd answered HTTP status \(status)")))
            return
        }
        if let status = headers.first(name: "grpc-status") { call.status = Int(status) ?? 2 }
        pending[id] = call
        guard endStream else { return }
        guard let status = call.status else {
            finish(id, .failure(EtcdCallFailure.broken("etcd ended the reply without a status")))
            return
        }
        guard status == 0 else {
            let message = headers.first(name: "grpc-message").map { $0.removingPercentEncoding ?? $0 } ?? ""
            finish(id, .failure(EtcdCallFailure.status(code: status, message: message)))
            return
        }
        finish(id, Self.message(in: call.body))
    }

    /// The message of a length-prefixed gRPC reply body.
    private static func message(in body: ByteBuffer?) -> Result<[UInt8], any Error> {
        var body = body ?? ByteBuffer()
        guard let compressed = body.readInteger(as: UInt8.self), let length = body.readInteger(as: UInt32.self),
            compressed == 0, let bytes = body.readBytes(length: Int(length))
        else {
            return .failure(EtcdCallFailure.broken("etcd sent a malformed gRPC reply"))
        }
        return .success(bytes)
    }

    private func finish(_ id: HTTP2StreamID, _ result: Result<[UInt8], any Error>) {
        guard let call = pending.removeValue(forKey: id) else { return }
        call.timer.cancel()
        call.promise.completeWith(result)
    }

    private func failAll(_ failure: EtcdCallFailure) {
        active = false
        let calls = pending
        pending.removeAll()
        for call in calls.values {
            call.timer.cancel()
            call.promise.fail(failure)
        }
    }

    private func closeIfIdle(context: ChannelHandlerContext) {
        if retiring.isSet, pending.isEmpty, active {
            active = false
            context.close(promise: nil)
        }
    }
}
