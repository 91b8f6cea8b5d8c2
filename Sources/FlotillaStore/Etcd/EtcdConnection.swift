import NIOCore
import NIOHTTP2
import NIOPosix
import Synchronization

/// One etcd endpoint's HTTP/2 connection for gRPC calls, opened on first use and again after it
/// closes or retires. After a failed connect, calls fail at once for a second instead of each
/// trying again, so that a dead endpoint costs little while another one answers.
final class EtcdConnection: Sendable {
    private static let connectTimeout: TimeAmount = .seconds(3)
    private static let retryConnectAfter: TimeAmount = .seconds(1)

    private enum State {
        case idle
        case failed(at: NIODeadline, reason: String)
        case connecting(EventLoopFuture<(any Channel, EtcdStreamHandler.Retiring)>)
        case ready(any Channel, EtcdStreamHandler.Retiring)
        case closed
    }

    let endpoint: EtcdEndpoint
    private let maxReplyBytes: Int
    private let state = Mutex(State.idle)

    init(endpoint: EtcdEndpoint, maxReplyBytes: Int) {
        self.endpoint = endpoint
        self.maxReplyBytes = maxReplyBytes
    }

    /// Sends `message` to the method at `path` and returns etcd's reply message; throws
    /// ``EtcdCallFailure``.
    func call(_ path: String, _ message: [UInt8], timeout: TimeAmount) async throws -> [UInt8] {
        let channel = try await channel()
        let promise = channel.eventLoop.makePromise(of: [UInt8].self)
        // The handler completes `promise`; a write that never reaches it (the channel closed
        // meanwhile) fails here instead.
        let call = EtcdCall(path: path, message: message, timeout: timeout, promise: promise)
        channel.writeAndFlush(EtcdRequest.call(call)).whenFailure { _ in
            promise.fail(EtcdCallFailure.notSent("the connection to etcd closed"))
        }
        return try await promise.futureResult.get()
    }

    /// Opens the streaming call `stream`; its replies end with ``EtcdCallFailure/notSent(_:)``
    /// if it never reached etcd. Throws ``EtcdCallFailure`` when there is no connection.
    func open(_ stream: EtcdStream) async throws {
        let channel = try await channel()
        channel.writeAndFlush(EtcdRequest.open(stream)).whenFailure { _ in
            stream.replies.finish(throwing: EtcdCallFailure.notSent("the connection to etcd closed"))
        }
        // Set after the open is queued, so that the reset cannot overtake it; a reader that
        // stops before this is seen by the handler when the next reply comes.
        stream.replies.onTermination = { _ in
            channel.writeAndFlush(EtcdRequest.cancel(stream), promise: nil)
        }
    }

    /// Closes the connection; calls in flight fail.
    func close() {
        let channel: (any Channel)? = state.withLock { state in
            defer { state = .closed }
            if case .ready(let channel, _) = state { return channel }
            return nil
        }
        channel?.close(promise: nil)
    }

    private func channel() async throws -> any Channel {
        enum Pick {
            case ready(any Channel)
            case connecting(EventLoopFuture<(any Channel, EtcdStreamHandler.Retiring)>)
            case connect(EventLoopPromise<(any Channel, EtcdStreamHandler.Retiring)>)
        }
        let pick: Pick = try state.withLock { state in
            switch state {
            case .ready(let channel, let retiring) where channel.isActive && !retiring.isSet:
                return .ready(channel)
            case .connecting(let future):
                return .connecting(future)
            case .failed(let at, let reason) where NIODeadline.now() < at + Self.retryConnectAfter:
                throw EtcdCallFailure.notSent(reason)
            case .closed:
                throw EtcdCallFailure.notSent("the etcd store is closed")
            case .idle, .failed, .ready:
                let promise = MultiThreadedEventLoopGroup.singleton.any().makePromise(of: (any Channel, EtcdStreamHandler.Retiring).self)
                state = .connecting(promise.futureResult)
                return .connect(promise)
            }
        }
        switch pick {
        case .ready(let channel):
            return channel
        case .connecting(let future):
            return try await future.get().0
        case .connect(let promise):
            connect(fulfilling: promise)
            return try await promise.futureResult.get().0
        }
    }

    /// Opens a connection, records the outcome in `state` and completes `promise` with it.
    private func connect(fulfilling promise: EventLoopPromise<(any Channel, EtcdStreamHandler.Retiring)>) {
        let authority = "\(endpoint.host):\(endpoint.port)"
        let maxReplyBytes = maxReplyBytes
        let connected = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(Self.connectTimeout)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    var connection = NIOHTTP2Handler.ConnectionConfiguration()
                    connection.initialSettings = EtcdStreamHandler.initialSettings
                    // etcd's gRPC server pings once per round trip that carries data, to size its
                    // windows; the default limit (200 in 30 s) would close a busy connection.
                    // (The limiter keeps one timestamp per frame of its window.)
                    connection.controlFrameRateLimit.maximumCount = 1_000
                    connection.controlFrameRateLimit.windowLength = .milliseconds(10)
                    try channel.pipeline.syncOperations.addHandler(
                        NIOHTTP2Handler(mode: .client, connectionConfiguration: connection, streamConfiguration: .init()))
                    try channel.pipeline.syncOperations.addHandler(
                        EtcdStreamHandler(authority: authority, maxReplyBytes: maxReplyBytes))
                }
            }
            .connect(host: endpoint.host, port: endpoint.port)
            .flatMapThrowing { channel in
                let handler = try channel.pipeline.syncOperations.handler(type: EtcdStreamHandler.self)
                return (channel, handler.retiring)
            }
        connected.whenComplete { [self] result in
            let orphan: (any Channel)? = state.withLock { state in
                guard case .connecting = state else {
                    // Closed while connecting.
                    return try? result.get().0
                }
                switch result {
                case .success(let (channel, retiring)): state = .ready(channel, retiring)
                case .failure(let error): state = .failed(at: .now(), reason: "cannot connect to \(endpoint.url): \(error)")
                }
                return nil
            }
            orphan?.close(promise: nil)
        }
        let url = endpoint.url
        connected.flatMapErrorThrowing { error in
            throw EtcdCallFailure.notSent("cannot connect to \(url): \(error)")
        }.cascade(to: promise)
    }
}
