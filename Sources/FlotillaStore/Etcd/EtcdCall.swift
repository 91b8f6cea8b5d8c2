import NIOCore

/// One unary gRPC call handed to an ``EtcdStreamHandler``: the method's path, the serialized
/// request and the promise of the serialized reply.
struct EtcdCall: Sendable {
    /// e.g. `/etcdserverpb.KV/Txn`.
    let path: String
    let message: [UInt8]
    let timeout: TimeAmount
    let promise: EventLoopPromise<[UInt8]>
}

/// Why an etcd gRPC call failed.
enum EtcdCallFailure: Error, Sendable, CustomStringConvertible {
    /// The request never reached etcd (no connection, or the stream was refused before etcd
    /// read it), so it may be sent elsewhere even if it writes.
    case notSent(String)
    /// The connection or stream broke after the request may have reached etcd.
    case broken(String)
    /// etcd answered with a gRPC status other than OK (14 is UNAVAILABLE).
    case status(code: Int, message: String)
    /// No answer within the call's timeout.
    case timedOut

    var description: String {
        switch self {
        case .notSent(let why): return "not sent: \(why)"
        case .broken(let why): return why
        case .status(let code, let message): return "\(message) (gRPC status \(code))"
        case .timedOut: return "no answer in time"
        }
    }

    /// Whether etcd or the way to it is unavailable (rather than the request being wrong).
    var isUnavailable: Bool {
        switch self {
        case .notSent, .broken: return true
        case .status(let code, _): return code == 14
        case .timedOut: return false
        }
    }
}
