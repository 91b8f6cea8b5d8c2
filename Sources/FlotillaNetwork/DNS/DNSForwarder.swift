import FlotillaCore
import Logging
import NIOCore
import NIOPosix

/// Sends queries for names outside the cluster domain to upstream servers and relays their
/// answers: over UDP, again over TCP when the UDP answer is truncated, trying the upstreams in
/// order until one answers within ``timeout``. Each exchange uses its own socket (a fresh
/// source port) and a fresh random id, and checks that the answer comes from the server asked
/// and carries that id; the answer handed back carries the client's id again.
public final class DNSForwarder: Sendable {
    public let upstreams: [SocketAddress]
    /// How long one upstream has to answer.
    public let timeout: TimeAmount
    private let group: any EventLoopGroup
    private let local = Locked<[SocketAddress]>([])
    private let logger: Logger

    public init(upstreams: [SocketAddress], timeout: TimeAmount = .seconds(2), group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, logger: Logger = Logger(label: "flotilla.dns")) {
        self.upstreams = upstreams
        self.timeout = timeout
        self.group = group
        self.logger = logger
    }

    /// Marks addresses this process serves on: they are never forwarded to, so a resolv.conf
    /// naming the cluster DNS server itself cannot make a loop.
    public func excludeLocal(_ addresses: [SocketAddress]) {
        local.withLock { $0 += addresses }
    }

    /// The upstreams that are not this server itself.
    public var effectiveUpstreams: [SocketAddress] {
        let local = local.withLock { $0 }
        return upstreams.filter { upstream in !local.contains { Self.same(upstream, $0) } }
    }

    /// The upstream's answer to `query` (a whole message), with the query's own id; nil when
    /// no upstream answered in time.
    public func forward(_ query: [UInt8], on eventLoop: any EventLoop) -> EventLoopFuture<[UInt8]?> {
        guard query.count >= 12 else { return eventLoop.makeSucceededFuture(nil) }
        let clientID = query[0..<2]
        return attempt(query, upstreams: effectiveUpstreams[...], on: eventLoop).map { answer in
            guard var answer else { return nil }
            answer.replaceSubrange(0..<2, with: clientID)
            return answer
        }
    }

    private func attempt(_ query: [UInt8], upstreams: ArraySlice<SocketAddress>, on eventLoop: any EventLoop) -> EventLoopFuture<[UInt8]?> {
        guard let upstream = upstreams.first else { return eventLoop.makeSucceededFuture(nil) }
        let id = UInt16.random(in: 0...UInt16.max)
        let message = [UInt8(id >> 8), UInt8(id & 0xFF)] + query.dropFirst(2)
        let logger = logger
        return exchangeOverUDP(message, id: id, with: upstream, on: eventLoop)
            .flatMap { answer -> EventLoopFuture<[UInt8]> in
                guard answer.count >= 4, answer[2] & 0x02 != 0 else { return eventLoop.makeSucceededFuture(answer) }
                return self.exchangeOverTCP(message, id: id, with: upstream, on: eventLoop)
            }
            .map { Optional($0) }
            .flatMapError { error in
                logger.debug("upstream DNS server did not answer", metadata: ["upstream": "\(upstream)", "error": "\(error)"])
                return self.attempt(query, upstreams: upstreams.dropFirst(), on: eventLoop)
            }
    }

    private func exchangeOverUDP(_ message: [UInt8], id: UInt16, with upstream: SocketAddress, on eventLoop: any EventLoop) -> EventLoopFuture<[UInt8]> {
        let promise = eventLoop.makePromise(of: [UInt8].self)
        let bound = DatagramBootstrap(group: eventLoop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(UpstreamDatagramHandler(upstream: upstream, id: id, promise: promise))
                }
            }
            .bind(host: upstream.protocol == .inet6 ? "::" : "0.0.0.0", port: 0)
        bound.whenFailure { promise.fail($0) }
        bound.whenSuccess { channel in
            let buffer = channel.allocator.buffer(bytes: message)
            channel.writeAndFlush(AddressedEnvelope(remoteAddress: upstream, data: buffer)).whenFailure { promise.fail($0) }
            promise.futureResult.whenComplete { _ in channel.close(promise: nil) }
        }
        return withTimeout(promise, on: eventLoop)
    }

    private func exchangeOverTCP(_ message: [UInt8], id: UInt16, with upstream: SocketAddress, on eventLoop: any EventLoop) -> EventLoopFuture<[UInt8]> {
        let promise = eventLoop.makePromise(of: [UInt8].self)
        let connected = ClientBootstrap(group: eventLoop)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(DNSStreamFrameDecoder()))
                    try channel.pipeline.syncOperations.addHandler(UpstreamStreamHandler(id: id, promise: promise))
                }
            }
            .connect(to: upstream)
        connected.whenFailure { promise.fail($0) }
        connected.whenSuccess { channel in
            channel.writeAndFlush(channel.allocator.dnsStreamFrame(message)).whenFailure { promise.fail($0) }
            promise.futureResult.whenComplete { _ in channel.close(promise: nil) }
        }
        return withTimeout(promise, on: eventLoop)
    }

    private func withTimeout(_ promise: EventLoopPromise<[UInt8]>, on eventLoop: any EventLoop) -> EventLoopFuture<[UInt8]> {
        let timer = eventLoop.scheduleTask(in: timeout) {
            promise.fail(FlotillaError(.timeout, "no answer from the upstream DNS server"))
        }
        promise.futureResult.whenComplete { _ in timer.cancel() }
        return promise.futureResult
    }

    /// Whether `upstream` is `local`, counting a wildcard local address as every address.
    private static func same(_ upstream: SocketAddress, _ local: SocketAddress) -> Bool {
        guard upstream.port == local.port else { return false }
        if upstream.ipAddress == local.ipAddress { return true }
        let wildcard = local.ipAddress == "0.0.0.0" || local.ipAddress == "::"
        let loopback = upstream.ipAddress?.hasPrefix("127.") == true || upstream.ipAddress == "::1"
        return wildcard && loopback
    }
}

/// Completes the exchange with the first datagram from the upstream that carries our id.
private final class UpstreamDatagramHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    let upstream: SocketAddress
    let id: UInt16
    let promise: EventLoopPromise<[UInt8]>

    init(upstream: SocketAddress, id: UInt16, promise: EventLoopPromise<[UInt8]>) {
        self.upstream = upstream
        self.id = id
        self.promise = promise
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard envelope.remoteAddress == upstream, envelope.data.getInteger(at: envelope.data.readerIndex, as: UInt16.self) == id,
            envelope.data.readableBytes >= 12
        else { return }
        promise.succeed(Array(envelope.data.readableBytesView))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.fail(error)
    }
}

/// Completes the exchange with the first TCP message that carries our id.
private final class UpstreamStreamHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    let id: UInt16
    let promise: EventLoopPromise<[UInt8]>

    init(id: UInt16, promise: EventLoopPromise<[UInt8]>) {
        self.id = id
        self.promise = promise
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let message = unwrapInboundIn(data)
        guard message.getInteger(at: message.readerIndex, as: UInt16.self) == id, message.readableBytes >= 12 else { return }
        promise.succeed(Array(message.readableBytesView))
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(FlotillaError(.serviceUnavailable, "the upstream DNS server closed the connection"))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.fail(error)
    }
}
