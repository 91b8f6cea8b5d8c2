import FlotillaCore
import Foundation
import NIOCore
import NIOPosix

/// A connection to a runtime's streaming server, at a URL from
/// ``ContainerRuntime/streamingURL(_:)``, upgraded to SPDY/3.1 as a kubelet upgrades it
/// (`Upgrade: SPDY/3.1` with the stream protocol in `X-Stream-Protocol-Version`).
enum StreamingConnection {
    typealias Inbound = NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    typealias Outbound = NIOAsyncChannelOutboundWriter<ByteBuffer>

    /// Connects and upgrades, then runs `session` with the bytes that followed the upgrade reply,
    /// the rest of what the server sends, a writer and the channel (to close it early); the
    /// connection is closed when `session` returns.
    static func run(
        _ url: String, streamProtocol: String,
        session: (_ first: [UInt8], _ inbound: inout Inbound, _ outbound: Outbound, _ channel: any Channel) async throws -> Void
    ) async throws {
        guard let components = URLComponents(string: url), let host = components.host, let port = components.port else {
            throw FlotillaError(.internalError, "the runtime's streaming URL \(url) is not usable")
        }
        let target = components.percentEncodedPath + (components.percentEncodedQuery.map { "?" + $0 } ?? "")
        let connection = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
            }
        try await connection.executeThenClose { inbound, outbound in
            let request = "POST \(target) HTTP/1.1\r\nHost: \(host):\(port)\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n"
                + "X-Stream-Protocol-Version: \(streamProtocol)\r\nContent-Length: 0\r\n\r\n"
            try await outbound.write(ByteBuffer(string: request))
            var iterator = inbound.makeAsyncIterator()
            var received: [UInt8] = []
            var headEnd: Int?
            while headEnd == nil {
                guard let chunk = try await iterator.next() else {
                    throw FlotillaError(.internalError, "the runtime's streaming server closed the connection before upgrading it")
                }
                received += chunk.readableBytesView
                headEnd = Self.endOfHead(received)
            }
            let head = String(decoding: received[..<headEnd!], as: UTF8.self)
            let statusLine = head.split(separator: "\r\n").first.map(String.init) ?? ""
            guard statusLine.split(separator: " ").dropFirst().first == "101" else {
                let body = String(decoding: received[headEnd!...], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                throw FlotillaError(.internalError, "the runtime's streaming server refused the upgrade: \(statusLine) \(body)")
            }
            try await session(Array(received[headEnd!...]), &iterator, outbound, connection.channel)
        }
    }

    /// The index just past the blank line that ends an HTTP head, if `bytes` has it.
    static func endOfHead(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4)
        where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return index + 4
        }
        return nil
    }
}
