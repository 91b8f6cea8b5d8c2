import NIOCore

/// Turns one incoming message into its reply: names in the cluster domain are answered at
/// once from the resolver's zone, others through the forwarder (or SERVFAIL without one),
/// malformed queries get FORMERR and responses are dropped.
struct DNSResponder: Sendable {
    /// A reply now, a reply later (forwarded), or none.
    enum Reply {
        case now([UInt8])
        case later(EventLoopFuture<[UInt8]>)
        case none
    }

    let resolver: ClusterDNSResolver
    let forwarder: DNSForwarder?

    /// The reply to `message`; `overUDP` applies the UDP size limit of the query.
    func reply(to message: ByteBuffer, overUDP: Bool, on eventLoop: any EventLoop) -> Reply {
        let parsed = message.withUnsafeReadableBytes { DNSQueryParse.parse($0) }
        switch parsed {
        case .ignore:
            return .none
        case .reject(let id, let flags, let code):
            return .now(DNSResponse.rejection(id: id, flags: flags, code: code))
        case .query(let query):
            let limit = overUDP ? DNSLimits.udpLimit(for: query) : Int(UInt16.max)
            if let response = resolver.answer(query) {
                return .now(response.encode(answering: query, limit: limit))
            }
            guard let forwarder else {
                return .now(DNSResponse(code: .serverFailure).encode(answering: query, limit: limit))
            }
            let forwarded = forwarder.forward(Array(message.readableBytesView), on: eventLoop).map { answer -> [UInt8] in
                guard let answer else { return DNSResponse(code: .serverFailure).encode(answering: query, limit: limit) }
                guard answer.count > limit else { return answer }
                let code = DNSResponseCode(rawValue: UInt16(answer[3] & 0x0F))
                return DNSResponse(code: code).encode(answering: query, limit: 0)
            }
            return .later(forwarded)
        }
    }
}
