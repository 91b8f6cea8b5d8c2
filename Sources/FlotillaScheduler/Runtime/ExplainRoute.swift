import FlotillaAPI
import FlotillaCore
import Foundation

/// Serves `GET /apis/flotilla.io/v1/namespaces/{namespace}/pods/{name}/explain` from a running
/// ``Scheduler`` (a ``PodExplanation`` as JSON) and hands every other request to the next
/// handler (the API server).
///
/// Put it in front of the API server where requests arrive authenticated. Without a scheduler
/// (`flotilla server --disable-scheduler`) the path answers 503.
public struct ExplainRoute: APIHandler {
    public let scheduler: Scheduler?
    public let next: any APIHandler

    public init(scheduler: Scheduler?, next: any APIHandler) {
        self.scheduler = scheduler
        self.next = next
    }

    /// The path prefix of Flotilla's own API group.
    public static let groupPrefix = "/apis/flotilla.io/v1/"

    /// The explain path of a pod.
    public static func path(namespace: String, name: String) -> String {
        "\(groupPrefix)namespaces/\(namespace)/pods/\(name)/explain"
    }

    /// The namespace and name in an explain path, if `path` is one.
    static func match(_ path: String) -> (namespace: String, name: String)? {
        guard path.hasPrefix(groupPrefix) else { return nil }
        let segments = path.dropFirst(groupPrefix.count).split(separator: "/", omittingEmptySubsequences: false)
        guard segments.count == 5, segments[0] == "namespaces", segments[2] == "pods", segments[4] == "explain",
            !segments[1].isEmpty, !segments[3].isEmpty
        else { return nil }
        return (String(segments[1]), String(segments[3]))
    }

    public func handle(_ request: APIRequest) async -> APIResponse {
        guard let (namespace, name) = Self.match(request.path) else { return await next.handle(request) }
        do {
            guard request.method.uppercased() == "GET" else {
                throw FlotillaError(.methodNotAllowed, "the server does not allow this method on the requested resource")
            }
            guard let scheduler else {
                throw FlotillaError(.serviceUnavailable, "the scheduler is not running in this server (--disable-scheduler)")
            }
            let explanation = try await scheduler.explain(namespace: namespace, name: name)
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            let body = Array(try encoder.encode(explanation))
            return APIResponse(status: 200, headers: [("Content-Type", "application/json")], body: .bytes(body))
        } catch {
            let failure = error as? FlotillaError ?? FlotillaError(.internalError, "\(error)")
            return APIResponse(
                status: failure.code.httpStatus, headers: [("Content-Type", "application/json")], body: .bytes(failure.status.serialized()))
        }
    }
}
