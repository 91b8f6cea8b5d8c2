import FlotillaCore
import NIOCore

/// Carries an exec or attach session between channel messages (the websocket
/// `v5.channel.k8s.io` framing: a first byte naming the channel, then data) and the runtime's
/// streaming server, which speaks the remote command protocol v4 over SPDY/3.1: one SPDY stream
/// per channel, each opened with a `streamtype` header. Closing stdin (`255, 0`) ends the stdin
/// stream; the server's status (channel 3) says how the command ended.
struct RemoteCommandBridge {
    /// The channels of the websocket framing.
    enum Channel {
        static let stdin: UInt8 = 0
        static let stdout: UInt8 = 1
        static let stderr: UInt8 = 2
        static let error: UInt8 = 3
        static let resize: UInt8 = 4
        static let close: UInt8 = 255
    }

    let streams: StreamingRequest.Streams

    /// The SPDY streams to open, in the order a kubelet client opens them, with their channels.
    var streamTypes: [(channel: UInt8, type: String)] {
        var types: [(UInt8, String)] = [(Channel.error, "error")]
        if streams.stdin { types.append((Channel.stdin, "stdin")) }
        if streams.stdout { types.append((Channel.stdout, "stdout")) }
        if streams.stderr { types.append((Channel.stderr, "stderr")) }
        if streams.tty { types.append((Channel.resize, "resize")) }
        return types
    }

    /// Runs the session at `url` until the server ends it or the client goes away; what the
    /// server sends goes to `output`, which is finished at the end. A failure to reach the
    /// server ends the session with a `Status` on the error channel.
    func run(url: String, inbound: AsyncThrowingStream<[UInt8], any Error>, output: AsyncThrowingStream<[UInt8], any Error>.Continuation) async {
        do {
            try await StreamingConnection.run(url, streamProtocol: "v4.channel.k8s.io") { first, received, outbound, connection in
                var opener = SPDYStreamOpener()
                var streamIDs: [UInt8: UInt32] = [:]
                for (index, stream) in streamTypes.enumerated() {
                    let id = UInt32(2 * index + 1)
                    streamIDs[stream.channel] = id
                    try await outbound.write(ByteBuffer(bytes: opener.synStream(id: id, headers: [("streamtype", stream.type)]).encoded))
                }
                let channels = Dictionary(uniqueKeysWithValues: streamIDs.map { ($1, $0) })
                let ids = streamIDs
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for try await message in inbound {
                            guard let channel = message.first else { continue }
                            if channel == Channel.close, message.count > 1, let id = ids[message[1]] {
                                try await outbound.write(ByteBuffer(bytes: SPDYFrame.data(streamID: id, flags: SPDYFrame.finFlag, payload: []).encoded))
                            } else if channel == Channel.stdin || channel == Channel.resize, let id = ids[channel] {
                                try await outbound.write(ByteBuffer(bytes: SPDYFrame.data(streamID: id, flags: 0, payload: Array(message.dropFirst())).encoded))
                            }
                        }
                        // The client went away: so does the session.
                        try await connection.close()
                    }
                    var decoder = SPDYFrameDecoder()
                    decoder.append(first)
                    reading: while true {
                        while let frame = decoder.next() {
                            switch frame {
                            case .data(let id, _, let payload):
                                if let channel = channels[id], !payload.isEmpty { output.yield([channel] + payload) }
                            case .control(SPDYFrame.pingType, _, _):
                                try await outbound.write(ByteBuffer(bytes: frame.encoded))
                            case .control(SPDYFrame.goAwayType, _, _):
                                break reading
                            case .control:
                                break
                            }
                        }
                        guard let chunk = try await received.next() else { break }
                        decoder.append(chunk.readableBytesView)
                    }
                    group.cancelAll()
                }
            }
        } catch is CancellationError {
        } catch {
            let failure = error as? FlotillaError ?? FlotillaError(.internalError, "\(error)")
            output.yield([Channel.error] + failure.status.serialized())
        }
        output.finish()
    }
}
