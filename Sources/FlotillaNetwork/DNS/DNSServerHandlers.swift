import NIOCore

/// Answers the datagrams of a UDP socket, flushing once per batch of reads.
final class DNSDatagramHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    private let responder: DNSResponder

    init(responder: DNSResponder) {
        self.responder = responder
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        let client = envelope.remoteAddress
        switch responder.reply(to: envelope.data, overUDP: true, on: context.eventLoop) {
        case .none:
            return
        case .now(let bytes):
            context.write(wrapOutboundOut(AddressedEnvelope(remoteAddress: client, data: context.channel.allocator.buffer(bytes: bytes))), promise: nil)
        case .later(let future):
            let channel = context.channel
            future.whenSuccess { bytes in
                channel.writeAndFlush(AddressedEnvelope(remoteAddress: client, data: channel.allocator.buffer(bytes: bytes)), promise: nil)
            }
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
    }

    /// A failed send to one client (ICMP unreachable) must not stop the socket.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {}
}

/// Answers the length-framed messages of one TCP connection, in any order; closes the
/// connection when it has been idle too long.
final class DNSStreamHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let responder: DNSResponder

    init(responder: DNSResponder) {
        self.responder = responder
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch responder.reply(to: unwrapInboundIn(data), overUDP: false, on: context.eventLoop) {
        case .none:
            return
        case .now(let bytes):
            context.write(wrapOutboundOut(context.channel.allocator.dnsStreamFrame(bytes)), promise: nil)
        case .later(let future):
            let channel = context.channel
            future.whenSuccess { bytes in channel.writeAndFlush(channel.allocator.dnsStreamFrame(bytes), promise: nil) }
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
