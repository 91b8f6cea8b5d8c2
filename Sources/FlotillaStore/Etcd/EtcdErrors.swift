import FlotillaCore

/// etcd's failures as ``FlotillaError``s, from either of its APIs: a read or watch at a compacted
/// revision is `.expired`, one at a future revision `.timeout` (as Kubernetes answers), an
/// unavailable cluster `.serviceUnavailable`.
enum EtcdErrors {
    /// The error for etcd's `message`; `unavailable` when etcd or the way to it said so.
    static func error(message: String, unavailable: Bool) -> FlotillaError {
        if message.contains("required revision has been compacted") {
            return .expired("too old resource version (etcd: \(message))")
        }
        if message.contains("required revision is a future revision") {
            return FlotillaError(.timeout, "Too large resource version (etcd: \(message))")
        }
        return FlotillaError(unavailable ? .serviceUnavailable : .internalError, "etcd: \(message)")
    }

    /// The error for a reply from etcd that cannot be read.
    static func malformed(_ what: String) -> FlotillaError {
        FlotillaError(.internalError, "etcd sent a malformed \(what)")
    }

    /// The error for a failed gRPC call.
    static func error(_ failure: EtcdCallFailure) -> FlotillaError {
        switch failure {
        case .timedOut, .status(code: 4, _): return FlotillaError(.timeout, "etcd: \(failure)")
        case .status(_, let message): return error(message: message, unavailable: failure.isUnavailable)
        case .notSent, .broken: return error(message: failure.description, unavailable: true)
        }
    }
}
