import NIOCore

/// One long-lived gRPC call whose replies are a stream (etcd's Watch), handed to an
/// ``EtcdStreamHandler``: the method's path, the request message that opens it, and where its
/// reply messages go. The replies end when the call ends, with an ``EtcdCallFailure`` unless
/// etcd closed it with status OK; ending the replies from the reading side resets the stream.
final class EtcdStream: Sendable {
    /// e.g. `/etcdserverpb.Watch/Watch`.
    let path: String
    let message: [UInt8]
    let replies: AsyncThrowingStream<[UInt8], any Error>.Continuation

    init(path: String, message: [UInt8], replies: AsyncThrowingStream<[UInt8], any Error>.Continuation) {
        self.path = path
        self.message = message
        self.replies = replies
    }
}

/// What an ``EtcdConnection`` hands its ``EtcdStreamHandler``.
enum EtcdRequest: Sendable {
    /// A unary call.
    case call(EtcdCall)
    /// Opens a streaming call.
    case open(EtcdStream)
    /// Resets a streaming call that is no longer read.
    case cancel(EtcdStream)
}
