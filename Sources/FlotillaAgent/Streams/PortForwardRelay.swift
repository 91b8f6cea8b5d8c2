import NIOCore

/// Carries a port forwarding session between the client and the runtime's streaming server
/// unchanged: both ends speak SPDY/3.1 with the `portforward.k8s.io` protocol (a pair of
/// streams, data and error, per forwarded connection, named by `port` and `requestid`
/// headers), so the bytes pass through as they come.
enum PortForwardRelay {
    /// Relays until either side closes; `output` is finished at the end.
    static func run(url: String, inbound: AsyncThrowingStream<[UInt8], any Error>, output: AsyncThrowingStream<[UInt8], any Error>.Continuation) async {
        do {
            try await StreamingConnection.run(url, streamProtocol: "portforward.k8s.io") { first, received, outbound, connection in
                if !first.isEmpty { output.yield(first) }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for try await message in inbound {
                            try await outbound.write(ByteBuffer(bytes: message))
                        }
                        try await connection.close()
                    }
                    while let chunk = try await received.next() {
                        output.yield(Array(chunk.readableBytesView))
                    }
                    group.cancelAll()
                }
            }
        } catch {
            output.finish(throwing: error)
            return
        }
        output.finish()
    }
}
