import FlotillaAPI
import FlotillaCore

extension APIServer {
    /// `GET pods/<name>/log`: checks the request's `PodLogOptions` and the container, then asks
    /// the agent of the pod's node for the log (`/containerLogs/<namespace>/<pod>/<container>`),
    /// whose reply, a stream when following, is passed on as it comes.
    func podLog(_ path: ResourcePath, name: String, _ request: APIRequest) async throws -> APIResponse {
        let options = try PodLogQuery(request, pod: name)
        let pod = try await read(path.resource, namespace: path.namespace, name: name).object()
        let container = try options.container(in: pod, podName: name)
        guard let node = pod["spec"]["nodeName"].string, !node.isEmpty else {
            throw FlotillaError(.badRequest, "pod \(name) does not have a host assigned", name: name, kind: "pods")
        }
        let agent = try await agent(ofNode: node, pod: name)
        var query = options.forwarded
        query.append(("podUID", pod["metadata"]["uid"].string ?? ""))
        let namespace = path.namespace ?? "default"
        return await agent.handle(APIRequest(method: "GET", path: "/containerLogs/\(namespace)/\(name)/\(container)", query: query))
    }
}

/// The query of a `pods/log` request (Kubernetes' `PodLogOptions`), checked as the API server
/// checks it: numbers that do not parse are a bad request, values out of range are invalid.
struct PodLogQuery {
    var container: String?
    /// The options the agent acts on, as query parameters.
    var forwarded: [(name: String, value: String)] = []

    init(_ request: APIRequest, pod: String) throws {
        container = request.queryValue("container").flatMap { $0.isEmpty ? nil : $0 }
        var causes: [FlotillaError.Cause] = []
        func integer(_ name: String) throws -> Int64? {
            guard let text = request.queryValue(name), !text.isEmpty else { return nil }
            guard let value = Int64(text) else {
                throw FlotillaError(.badRequest, "\(name): invalid value \"\(text)\": must be an integer")
            }
            return value
        }
        func flag(_ name: String) throws -> Bool {
            guard let text = request.queryValue(name), !text.isEmpty else { return false }
            guard let value = Bool(text.lowercased()) ?? (text == "1" ? true : text == "0" ? false : nil) else {
                throw FlotillaError(.badRequest, "\(name): invalid value \"\(text)\": must be true or false")
            }
            return value
        }
        let tailLines = try integer("tailLines"), limitBytes = try integer("limitBytes"), sinceSeconds = try integer("sinceSeconds")
        if let tailLines, tailLines < 0 {
            causes.append(.init(reason: "FieldValueInvalid", message: "Invalid value: \(tailLines): must be greater than or equal to 0", field: "tailLines"))
        }
        if let limitBytes, limitBytes < 1 {
            causes.append(.init(reason: "FieldValueInvalid", message: "Invalid value: \(limitBytes): must be greater than 0", field: "limitBytes"))
        }
        if let sinceSeconds, sinceSeconds < 1 {
            causes.append(.init(reason: "FieldValueInvalid", message: "Invalid value: \(sinceSeconds): must be greater than 0", field: "sinceSeconds"))
        }
        let sinceTime = request.queryValue("sinceTime").flatMap { $0.isEmpty ? nil : $0 }
        if let sinceTime, Timestamp.parse(sinceTime) == nil {
            throw FlotillaError(.badRequest, "sinceTime: invalid value \"\(sinceTime)\": must be an RFC 3339 time")
        }
        if sinceTime != nil && sinceSeconds != nil {
            causes.append(.init(reason: "FieldValueForbidden", message: "Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified", field: ""))
        }
        if !causes.isEmpty {
            let summary = causes.map { $0.field.isEmpty ? $0.message : "\($0.field): \($0.message)" }.joined(separator: ", ")
            throw FlotillaError(.invalid, "PodLogOptions \"\(pod)\" is invalid: \(summary)", name: pod, kind: "PodLogOptions", causes: causes)
        }
        for name in ["follow", "previous", "timestamps"] where try flag(name) { forwarded.append((name, "true")) }
        if let tailLines { forwarded.append(("tailLines", String(tailLines))) }
        if let limitBytes { forwarded.append(("limitBytes", String(limitBytes))) }
        if let sinceSeconds { forwarded.append(("sinceSeconds", String(sinceSeconds))) }
        if let sinceTime { forwarded.append(("sinceTime", sinceTime)) }
    }

    /// The container to read: the one named, or the pod's only container.
    func container(in pod: JSON, podName: String) throws -> String {
        try PodContainerName.resolve(container, in: pod, podName: podName)
    }
}
