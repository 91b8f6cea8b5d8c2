import FlotillaCore
import Logging
import NIOCore
import NIOPosix

/// A DNS server on SwiftNIO: for each listen address, a UDP socket and a TCP listener on the
/// same port, answering from a ``ClusterDNSResolver`` and forwarding other names through a
/// ``DNSForwarder``.
///
/// ```swift
/// let server = DNSServer(resolver: resolver, forwarder: forwarder, listen: [try DNSAddress.parse("127.0.0.1:0")])
/// let bound = try await server.bind()      // the addresses with the ports the kernel chose
/// try await server.run()                   // serves until the task is cancelled
/// ```
///
/// The sockets do not share their port (no SO_REUSEPORT, no SO_REUSEADDR on UDP): a second
/// server on a taken address fails to bind instead of splitting the queries with the first.
public final class DNSServer: Sendable {
    public let listen: [SocketAddress]
    private let responder: DNSResponder
    private let forwarder: DNSForwarder?
    private let group: any EventLoopGroup
    private let logger: Logger
    private let state = Locked<State>(State())

    private struct State {
        var channels: [any Channel] = []
        var bound: [SocketAddress]?
    }

    public init(
        resolver: ClusterDNSResolver, forwarder: DNSForwarder?, listen: [SocketAddress],
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, logger: Logger = Logger(label: "flotilla.dns")
    ) {
        self.listen = listen
        self.responder = DNSResponder(resolver: resolver, forwarder: forwarder)
        self.forwarder = forwarder
        self.group = group
        self.logger = logger
    }

    /// Binds UDP and TCP on every listen address (a port of 0 takes one the kernel picks, the
    /// same for both) and returns the bound addresses. All or nothing: when one address cannot
    /// be bound, the others are released and the error says which address and why.
    @discardableResult
    public func bind() async throws -> [SocketAddress] {
        if let bound = state.withLock({ $0.bound }) { return bound }
        var channels: [any Channel] = []
        var bound: [SocketAddress] = []
        do {
            for address in listen {
                let (udp, tcp, local) = try await bindPair(address)
                channels += [udp, tcp]
                bound.append(local)
            }
        } catch {
            for channel in channels { try? await channel.close() }
            if let error = error as? FlotillaError { throw error }
            throw FlotillaError(.serviceUnavailable, "cannot serve DNS on \(listen.map(Self.text).joined(separator: ", ")): \(error)")
        }
        forwarder?.excludeLocal(bound)
        state.withLock { $0 = State(channels: channels, bound: bound) }
        logger.info("DNS server listening", metadata: ["addresses": "\(bound.map(Self.text).joined(separator: ","))"])
        return bound
    }

    /// The bound addresses, once ``bind()`` succeeded.
    public var boundAddresses: [SocketAddress]? { state.withLock { $0.bound } }

    /// Binds (unless bound already) and serves until the calling task is cancelled; then closes
    /// the sockets.
    public func run() async throws {
        try await bind()
        let channels = state.withLock { $0.channels }
        await withTaskCancellationHandler {
            for channel in channels { try? await channel.closeFuture.get() }
        } onCancel: {
            for channel in channels { channel.close(promise: nil) }
        }
        state.withLock { $0 = State() }
    }

    /// A UDP socket and a TCP listener on one port. When the port is 0 the kernel picks it for
    /// UDP, and TCP may already use that number (another listener, or a connection's local
    /// port); then another pick is tried, a few times, before the error is given.
    private func bindPair(_ address: SocketAddress) async throws -> (udp: any Channel, tcp: any Channel, local: SocketAddress) {
        var attempt = 1
        while true {
            let udp = try await bindUDP(address)
            guard let local = udp.localAddress else {
                try? await udp.close()
                throw FlotillaError(.internalError, "the UDP socket on \(Self.text(address)) has no address")
            }
            do {
                return (udp, try await bindTCP(local), local)
            } catch let error as IOError where error.errnoCode == EADDRINUSE && address.port == 0 && attempt < Self.ephemeralPortAttempts {
                try? await udp.close()
                attempt += 1
            } catch {
                try? await udp.close()
                throw error
            }
        }
    }

    /// How many kernel-picked ports ``bindPair(_:)`` tries before it gives up.
    static let ephemeralPortAttempts = 8

    private func bindUDP(_ address: SocketAddress) async throws -> any Channel {
        let responder = responder
        return try await DatagramBootstrap(group: group)
            .channelOption(.socketOption(.so_rcvbuf), value: 1 << 21)
            .channelOption(.maxMessagesPerRead, value: 64)
            .channelOption(.datagramVectorReadMessageCount, value: Self.datagramsPerRead)
            // A vector read splits the receive buffer between its datagrams.
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: Self.datagramsPerRead * Self.largestQuery))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(DNSDatagramHandler(responder: responder))
                }
            }
            .bind(to: address)
            .get()
    }

    private func bindTCP(_ address: SocketAddress) async throws -> any Channel {
        let responder = responder
        return try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(IdleStateHandler(readTimeout: Self.tcpIdleTimeout))
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(DNSStreamFrameDecoder()))
                    try channel.pipeline.syncOperations.addHandler(DNSStreamHandler(responder: responder))
                }
            }
            .bind(to: address)
            .get()
    }

    /// Datagrams taken from the socket in one system call (recvmmsg).
    static let datagramsPerRead = 32
    /// The largest UDP query read whole; longer ones are cut short and get FORMERR.
    static let largestQuery = 4096

    /// How long a TCP connection may stay silent before the server closes it.
    static let tcpIdleTimeout = TimeAmount.seconds(10)

    /// `IP:PORT`, or `[IPv6]:PORT`.
    static func text(_ address: SocketAddress) -> String {
        let ip = address.ipAddress ?? "?"
        return address.protocol == .inet6 ? "[\(ip)]:\(address.port ?? 0)" : "\(ip):\(address.port ?? 0)"
    }
}
