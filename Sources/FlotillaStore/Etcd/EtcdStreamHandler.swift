import Foundation
import NIOCore
import NIOHPACK
import NIOHTTP2
import Synchronization

/// Carries gRPC calls over one HTTP/2 connection, one stream per call, working on raw frames.
/// A unary call sends HEADERS and one DATA frame and gets HEADERS, DATA and trailers back, the
/// reply's message and `grpc-status` completing the call's promise. A streaming call
/// (``EtcdStream``) keeps its stream open and passes each reply message on as it arrives.
///
/// Streams get a window of 2^31-1 bytes at the start, so unary calls need no window updates
/// (replies are capped well below it) and streaming ones get one per ``streamWindowRefill``
/// bytes; the connection's window is opened to ``connectionWindow`` and given back as replies
/// arrive. When stream IDs run low the connection retires: it takes no more calls and closes
/// once those in flight finish.
final class EtcdStreamHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTP2Frame
    typealias OutboundIn = EtcdRequest
    typealias OutboundOut = HTTP2Frame

    /// The settings sent to etcd.
    static let initialSettings: HTTP2Settings = [
        HTTP2Setting(parameter: .enablePush, value: 0),
        HTTP2Setting(parameter: .initialWindowSize, value: Int(Int32.max)),
        HTTP2Setting(parameter: .maxHeaderListSize, value: 16 * 1024),
    ]
    /// The connection's receive window (HTTP/2 starts it at 65,535 bytes).
    private static let connectionWindow = 64 << 20
    /// A streaming call's window is given back once this much of it is used.
    private static let streamWindowRefill = 1 << 30
    /// Past this stream ID the connection retires (IDs end at 2^31-1).
    private static let retireAfterStreamID: Int32 = 1 << 30

    private struct Pending {
        var promise: EventLoopPromise<[UInt8]>
        var timer: Scheduled<Void>
        var body: ByteBuffer?
        var status: Int?
    }

    private struct Streaming {
        var stream: EtcdStream
        /// Received bytes not yet making up a whole message.
        var partial: ByteBuffer?
        /// Bytes received since the stream's window was last given back.
        var consumed = 0
        var status: Int?
    }

    private let authority: String
    private let maxReplyBytes: Int
    /// Set once the connection takes no more calls; read by ``EtcdConnection``.
    let retiring: Retiring
    private var pending: [HTTP2StreamID: Pending] = [:]
    private var streaming: [HTTP2StreamID: Streaming] = [:]
    private var streamIDs: [ObjectIdentifier: HTTP2StreamID] = [:]
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
        promise?.succeed()
        switch unwrapOutboundIn(data) {
        case .call(let call): start(call, context: context)
        case .open(let stream): open(stream, context: context)
        case .cancel(let stream): cancel(stream, context: context)
        }
    }

    private func start(_ call: EtcdCall, context: ChannelHandlerContext) {
        guard let id = takeStreamID() else {
            call.promise.fail(EtcdCallFailure.notSent("the connection is closing"))
            return
        }
        let loop = context.eventLoop.assumeIsolated()
        let timer = loop.scheduleTask(in: call.timeout) { [self] in
            guard let timedOut = pending.removeValue(forKey: id) else { return }
            timedOut.promise.fail(EtcdCallFailure.timedOut)
            context.writeAndFlush(wrapOutboundOut(HTTP2Frame(streamID: id, payload: .rstStream(.cancel))), promise: nil)
        }
        pending[id] = Pending(promise: call.promise, timer: timer)
        send(call.path, call.message, on: id, timeout: call.timeout, endStream: true, context: context)
    }

    private func open(_ stream: EtcdStream, context: ChannelHandlerContext) {
        guard let id = takeStreamID() else {
            stream.replies.finish(throwing: EtcdCallFailure.notSent("the connection is closing"))
            return
        }
        streaming[id] = Streaming(stream: stream)
        streamIDs[ObjectIdentifier(stream)] = id
        // The request side stays open: etcd ends a watch whose client stopped sending.
        send(stream.path, stream.message, on: id, timeout: nil, endStream: false, context: context)
    }

    private func cancel(_ stream: EtcdStream, context: ChannelHandlerContext) {
        guard let id = streamIDs[ObjectIdentifier(stream)] else { return }
        endStreaming(id, nil)
        context.writeAndFlush(wrapOutboundOut(HTTP2Frame(streamID: id, payload: .rstStream(.cancel))), promise: nil)
        closeIfIdle(context: context)
    }

    /// The ID of a new stream, or nil when the connection takes no more.
    private func takeStreamID() -> HTTP2StreamID? {
        guard active, !retiring.isSet else { return nil }
        let id = HTTP2StreamID(nextStreamID)
        nextStreamID += 2
        if nextStreamID > Self.retireAfterStreamID { retiring.set() }
        return id
    }

    /// Writes a call's HEADERS and its request message.
    private func send(
        _ path: String, _ message: [UInt8], on id: HTTP2StreamID, timeout: TimeAmount?, endStream: Bool,
        context: ChannelHandlerContext
    ) {
        var headers: HPACKHeaders = [
            ":method": "POST", ":scheme": "http", ":path": path, ":authority": authority,
            "content-type": "application/grpc", "te": "trailers",
        ]
        if let timeout { headers.add(name: "grpc-timeout", value: "\(max(1, timeout.nanoseconds / 1_000_000))m") }
        var body = context.channel.allocator.buffer(capacity: 5 + message.count)
        body.writeInteger(UInt8(0))
        body.writeInteger(UInt32(message.count))
        body.writeBytes(message)
        context.write(wrapOutboundOut(HTTP2Frame(streamID: id, payload: .headers(.init(headers: headers)))), promise: nil)
        context.write(
            wrapOutboundOut(HTTP2Frame(streamID: id, payload: .data(.init(data: .byteBuffer(body), endStream: endStream)))), promise: nil)
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
            if streaming[frame.streamID] != nil {
                receiveStreaming(headers.headers, endStream: headers.endStream, on: frame.streamID)
            } else {
                receive(headers.headers, endStream: headers.endStream, on: frame.streamID)
            }
        case .data(let data):
            // Flow control counts the padding and its length byte too.
            let size = data.data.readableBytes + (data.paddingBytes.map { $0 + 1 } ?? 0)
            consumed += size
            if consumed >= Self.connectionWindow / 2 {
                context.writeAndFlush(wrapOutboundOut(HTTP2Frame(streamID: .rootStream, payload: .windowUpdate(windowSizeIncrement: consumed))), promise: nil)
                consumed = 0
            }
            guard case .byteBuffer(let bytes) = data.data else { return }
            if streaming[frame.streamID] != nil {
                receiveStreaming(bytes, size: size, endStream: data.endStream, on: frame.streamID, context: context)
            } else {
                receive(bytes, endStream: data.endStream, on: frame.streamID, context: context)
            }
        case .rstStream(let code):
            let failure: EtcdCallFailure =
                code == .refusedStream ? .notSent("etcd refused the stream") : .broken("etcd reset the stream (\(code))")
            finish(frame.streamID, .failure(failure))
            endStreaming(frame.streamID, failure)
        case .goAway(let lastStreamID, _, _):
            // Streams above `lastStreamID` were never processed.
            retiring.set()
            let failure = EtcdCallFailure.notSent("etcd is closing the connection")
            for id in pending.keys where id > lastStreamID { finish(id, .failure(failure)) }
            for id in streaming.keys where id > lastStreamID { endStreaming(id, failure) }
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

    /// A unary call's response headers (`:status`), trailers (`grpc-status`) or both at once.
    private func receive(_ headers: HPACKHeaders, endStream: Bool, on id: HTTP2StreamID) {
        guard var call = pending[id] else { return }
        if let failure = Self.httpFailure(headers) {
            finish(id, .failure(failure))
            return
        }
        if let status = headers.first(name: "grpc-status") { call.status = Int(status) ?? 2 }
        pending[id] = call
        guard endStream else { return }
        if let failure = Self.grpcFailure(status: call.status, headers) {
            finish(id, .failure(failure))
            return
        }
        var body = call.body ?? ByteBuffer()
        switch Self.nextMessage(in: &body, maxBytes: maxReplyBytes) {
        case .success(let message?) where body.readableBytes == 0: finish(id, .success(message))
        case .failure(let failure): finish(id, .failure(failure))
        default: finish(id, .failure(EtcdCallFailure.broken("etcd sent a malformed gRPC reply")))
        }
    }

    /// A unary call's reply bytes, gathered until the trailers come.
    private func receive(_ bytes: ByteBuffer, endStream: Bool, on id: HTTP2StreamID, context: ChannelHandlerContext) {
        // Taken out of the dictionary while it grows, so that the body is not shared (and
        // copied whole on every frame).
        guard var call = pending.removeValue(forKey: id) else { return }
        var bytes = bytes
        if call.body == nil {
            call.body = bytes
        } else {
            call.body!.writeBuffer(&bytes)
        }
        pending[id] = call
        if (call.body?.readableBytes ?? 0) > maxReplyBytes + 5 {
            finish(id, .failure(EtcdCallFailure.broken("etcd's reply is over \(maxReplyBytes) bytes")))
            context.writeAndFlush(wrapOutboundOut(HTTP2Frame(streamID: id, payload: .rstStream(.cancel))), promise: nil)
            return
        }
        if endStream { finish(id, .failure(EtcdCallFailure.broken("etcd ended the reply without a status"))) }
    }

    /// A streaming call's response headers or trailers; trailers end it.
    private func receiveStreaming(_ headers: HPACKHeaders, endStream: Bool, on id: HTTP2StreamID) {
        guard var call = streaming[id] else { return }
        if let failure = Self.httpFailure(headers) {
            endStreaming(id, failure)
            return
        }
        if let status = headers.first(name: "grpc-status") { call.status = Int(status) ?? 2 }
        streaming[id] = call
        if endStream { endStreaming(id, Self.grpcFailure(status: call.status, headers)) }
    }

    /// A streaming call's reply bytes: each whole message in them goes to the reader at once.
    private func receiveStreaming(_ bytes: ByteBuffer, size: Int, endStream: Bool, on id: HTTP2StreamID, context: ChannelHandlerContext) {
        // Taken out while it changes, so that a partial message is not copied on every frame.
        guard var call = streaming.removeValue(forKey: id) else { return }
        var bytes = bytes
        if call.partial != nil {
            call.partial!.writeBuffer(&bytes)
            bytes = call.partial!
            call.partial = nil
        }
        call.consumed += size
        if call.consumed >= Self.streamWindowRefill {
            context.writeAndFlush(wrapOutboundOut(HTTP2Frame(streamID: id, payload: .windowUpdate(windowSizeIncrement: call.consumed))), promise: nil)
            call.consumed = 0
        }
        while true {
            switch Self.nextMessage(in: &bytes, maxBytes: maxReplyBytes) {
            case .failure(let failure):
                streaming[id] = call
                endStreaming(id, failure)
                context.writeAndFlush(wrapOutboundOut(HTTP2Frame(streamID: id, payload: .rstStream(.cancel))), promise: nil)
                return
            case .success(nil):
                if bytes.readableBytes > 0 { call.partial = bytes }
                streaming[id] = call
                if endStream { endStreaming(id, .broken("etcd ended the stream without a status")) }
                return
            case .success(let message?):
                if case .terminated = call.stream.replies.yield(message) {
                    streaming[id] = call
                    cancel(call.stream, context: context)
                    return
                }
            }
        }
    }

    /// The failure an HTTP status other than 200 means, if any.
    private static func httpFailure(_ headers: HPACKHeaders) -> EtcdCallFailure? {
        guard let status = headers.first(name: ":status"), status != "200" else { return nil }
        return .broken("etcd answered HTTP status \(status)")
    }

    /// The failure the trailers of a call mean, or nil when its status is OK.
    private static func grpcFailure(status: Int?, _ trailers: HPACKHeaders) -> EtcdCallFailure? {
        guard let status else { return .broken("etcd ended the reply without a status") }
        guard status == 0 else {
            let message = trailers.first(name: "grpc-message").map { $0.removingPercentEncoding ?? $0 } ?? ""
            return .status(code: status, message: message)
        }
        return nil
    }

    /// Takes the next length-prefixed gRPC message from `bytes`: nil (and nothing taken) while
    /// it is incomplete.
    static func nextMessage(in bytes: inout ByteBuffer, maxBytes: Int) -> Result<[UInt8]?, EtcdCallFailure> {
        guard let compressed = bytes.getInteger(at: bytes.readerIndex, as: UInt8.self),
            let length = bytes.getInteger(at: bytes.readerIndex + 1, as: UInt32.self)
        else { return .success(nil) }
        guard compressed == 0 else { return .failure(.broken("etcd sent a compressed gRPC message")) }
        guard length <= maxBytes else { return .failure(.broken("etcd's reply is over \(maxBytes) bytes")) }
        guard bytes.readableBytes >= 5 + Int(length) else { return .success(nil) }
        bytes.moveReaderIndex(forwardBy: 5)
        return .success(bytes.readBytes(length: Int(length)))
    }

    private func finish(_ id: HTTP2StreamID, _ result: Result<[UInt8], any Error>) {
        guard let call = pending.removeValue(forKey: id) else { return }
        call.timer.cancel()
        call.promise.completeWith(result)
    }

    /// Ends a streaming call's replies, with `failure` unless it ended well.
    private func endStreaming(_ id: HTTP2StreamID, _ failure: EtcdCallFailure?) {
        guard let call = streaming.removeValue(forKey: id) else { return }
        streamIDs[ObjectIdentifier(call.stream)] = nil
        call.stream.replies.finish(throwing: failure)
    }

    private func failAll(_ failure: EtcdCallFailure) {
        active = false
        let calls = pending
        pending.removeAll()
        for call in calls.values {
            call.timer.cancel()
            call.promise.fail(failure)
        }
        for id in Array(streaming.keys) { endStreaming(id, failure) }
    }

    private func closeIfIdle(context: ChannelHandlerContext) {
        if retiring.isSet, pending.isEmpty, streaming.isEmpty, active {
            active = false
            context.close(promise: nil)
        }
    }
}
