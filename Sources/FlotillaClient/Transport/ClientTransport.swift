import FlotillaAPI

/// Carries API requests from a ``KubernetesClient`` to an API server and brings back replies.
///
/// A transport throws only when no reply arrived at all (connection refused, TLS failure,
/// cancellation); an error reply from the server is an ``APIResponse`` like any other.
/// Watch replies (`watch=true`) and followed logs come back with a streaming body.
public protocol ClientTransport: Sendable {
    func send(_ request: APIRequest) async throws -> APIResponse
}
