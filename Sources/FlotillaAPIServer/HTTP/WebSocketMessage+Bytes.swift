import HummingbirdWebSocket

extension WebSocketMessage {
    /// The message's payload, binary or text alike: the channel protocols carry bytes.
    var bytes: [UInt8] {
        switch self {
        case .binary(let buffer): Array(buffer.readableBytesView)
        case .text(let text): Array(text.utf8)
        }
    }
}
