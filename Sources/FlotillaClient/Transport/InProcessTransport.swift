import FlotillaAPI

/// A transport that hands requests straight to an ``APIHandler`` in the same process (the API
/// server itself), acting as one component's identity.
///
/// In-process components (scheduler, controllers, embedded agent) use it so that every read and
/// write still goes through the API server's validation, admission and watch. Bodies, replies of
/// one object and a watch's events travel as objects: nothing is written as JSON to be parsed
/// again on the other side.
public struct InProcessTransport: ClientTransport {
    public let handler: any APIHandler
    /// The user every request is made as, e.g. `system:kube-scheduler`.
    public let user: String

    public init(handler: any APIHandler, user: String) {
        self.handler = handler
        self.user = user
    }

    public func send(_ request: APIRequest) async throws -> APIResponse {
        try Task.checkCancellation()
        var stamped = request
        stamped.user = user
        stamped.acceptsObjects = true
        return await handler.handle(stamped)
    }
}
