import FlotillaCore

/// A request to the Kubernetes REST API, independent of how it travels (HTTP or in-process).
public struct APIRequest: Sendable {
    /// `GET`, `POST`, `PUT`, `PATCH`, `DELETE`.
    public var method: String
    /// The path without the query, e.g. `/api/v1/namespaces/default/pods`.
    public var path: String
    /// Query parameters in order; a name may repeat.
    public var query: [(name: String, value: String)]
    /// Headers with lowercased names.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// The body as an object, which an in-process caller hands over instead of ``body`` so that
    /// it is neither written nor parsed; a transport that sends bytes writes it out.
    public var object: JSON?
    /// The authenticated user name (e.g. `admin`, `system:kube-scheduler`), set by the transport.
    public var user: String?
    /// The authenticated user's uid and groups, when the transport's authenticator knows them.
    public var userUID = ""
    public var groups: [String] = []
    /// For a request that asks to switch protocols (a websocket upgrade): the messages the client
    /// sends once the handler has answered `101 Switching Protocols`, in order. The handler's
    /// reply stream carries the messages the other way; the connection ends with either.
    public var inbound: AsyncThrowingStream<[UInt8], any Error>?
    /// The caller takes objects rather than JSON bytes: a watch's events
    /// (``APIResponse/Body/events(_:)``) and a reply of one object (``APIResponse/Body/object(_:)``).
    /// Only in-process callers do.
    public var acceptsObjects = false

    public init(
        method: String, path: String, query: [(name: String, value: String)] = [],
        headers: [(name: String, value: String)] = [], body: [UInt8] = [], object: JSON? = nil, user: String? = nil,
        inbound: AsyncThrowingStream<[UInt8], any Error>? = nil
    ) {
        self.object = object
        self.user = user
        self.inbound = inbound
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers.map { (name: $0.name.lowercased(), value: $0.value) }
        self.body = body
    }

    /// The first value of query parameter `name`.
    public func queryValue(_ name: String) -> String? {
        query.first { $0.name == name }?.value
    }

    /// All values of query parameter `name`.
    public func queryValues(_ name: String) -> [String] {
        query.filter { $0.name == name }.map(\.value)
    }

    /// The first value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name == lower }?.value
    }
}

/// A reply from the API: a status, headers, and a body that is either complete or a stream of
/// chunks (watch, follow logs).
public struct APIResponse: Sendable {
    /// The body of a reply.
    public enum Body: Sendable {
        case bytes([UInt8])
        /// Chunks written as they come; the stream ends when the reply ends.
        case stream(AsyncThrowingStream<[UInt8], any Error>)
        /// A watch's events as objects, for a caller that accepts them
        /// (``APIRequest/acceptsObjects``).
        case events(AsyncThrowingStream<APIWatchEvent, any Error>)
        /// One object, for a caller that accepts it (``APIRequest/acceptsObjects``).
        case object(JSON)
    }

    public var status: Int
    /// Headers with their names as sent.
    public var headers: [(name: String, value: String)]
    public var body: Body

    public init(status: Int, headers: [(name: String, value: String)] = [], body: Body = .bytes([])) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name.lowercased() == lower }?.value
    }
}

/// Anything that answers API requests: the API server itself (in-process) or an HTTP client.
public protocol APIHandler: Sendable {
    func handle(_ request: APIRequest) async -> APIResponse
}
