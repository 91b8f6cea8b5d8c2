import FlotillaAPI
import FlotillaCore

/// The `scale` subresource: an autoscaling/v1 `Scale` view of a workload's replicas.
extension APIServer {
    static let scaleKind = GroupVersionKind("autoscaling", "v1", "Scale")
    static let scaleDefinition = "io.k8s.api.autoscaling.v1.Scale"

    /// The Scale of a workload object (served with its resourceVersion).
    static func scale(of object: JSON) -> JSON {
        let meta = object["metadata"]
        var scaleMeta = JSONObject()
        for field in ["name", "namespace", "uid", "resourceVersion", "creationTimestamp"] where !meta[field].isNull {
            scaleMeta[field] = meta[field]
        }
        var status: JSONObject = ["replicas": .int(object["status"]["replicas"].int ?? 0)]
        if let selector = try? LabelSelector(json: object["spec"]["selector"]), !selector.isEmpty {
            status["selector"] = .string(selector.description)
        }
        return [
            "kind": "Scale", "apiVersion": "autoscaling/v1", "metadata": .object(scaleMeta),
            "spec": ["replicas": .int(object["spec"]["replicas"].int ?? 0)], "status": .object(status),
        ]
    }

    func getScale(_ path: ResourcePath, name: String, _ request: APIRequest) async throws -> APIResponse {
        let object = try await read(path.resource, namespace: path.namespace, name: name).object()
        return Replies.json(200, Self.scale(of: object))
    }

    /// `PUT` of a Scale: sets `spec.replicas`, with the Scale's resourceVersion as precondition.
    func updateScale(_ path: ResourcePath, name: String, _ request: APIRequest) async throws -> APIResponse {
        let options = try WriteOptions(request)
        var body = try RequestBody.decodeObject(request, protobuf: protobufDecoder).object
        try RequestBody.checkKind(&body, expected: Self.scaleKind)
        try Self.checkIdentity(body, name: name, namespace: path.namespace, resource: path.resource)
        let version = try await guaranteedUpdate(
            path.resource, namespace: path.namespace, name: name, options: options, manager: WriteOptions.updateManager(request)
        ) { current in try Self.applyScale(body, to: current, resource: path.resource, name: name) }
        return Replies.json(200, Self.scale(of: try version.object()))
    }

    /// `PATCH` of a Scale (merge, JSON or strategic): the patched Scale's replicas go to the object.
    func patchScale(_ path: ResourcePath, name: String, _ request: APIRequest) async throws -> APIResponse {
        let options = try WriteOptions(request)
        let type = try PatchType(request)
        guard type != .apply else { throw PatchType.unsupported }
        let patch = try type.decode(request).object
        let version = try await guaranteedUpdate(
            path.resource, namespace: path.namespace, name: name, options: options, manager: WriteOptions.updateManager(request)
        ) { current in
            let patched = try applyPatch(type, patch, to: Self.scale(of: current), definition: Self.scaleDefinition, manager: "", force: false)
            return try Self.applyScale(patched, to: current, resource: path.resource, name: name)
        }
        return Replies.json(200, Self.scale(of: try version.object()))
    }

    /// The workload with a Scale's replicas; the Scale's resourceVersion becomes the update's
    /// precondition. Negative or missing replicas are a 422.
    static func applyScale(_ scale: JSON, to current: JSON, resource: ResourceDefinition, name: String) throws -> JSON {
        guard let replicas = scale["spec"]["replicas"].int, replicas >= 0 else {
            let value = scale["spec"]["replicas"]
            throw FlotillaError.invalid(
                kind: "Scale", group: "autoscaling", name: name,
                causes: [.invalid("spec.replicas", value, "must be greater than or equal to 0")])
        }
        var object = current
        object[path: ["spec", "replicas"]] = .int(replicas)
        let version = scale["metadata"]["resourceVersion"].string ?? ""
        object[path: ["metadata", "resourceVersion"]] = version.isEmpty ? .null : .string(version)
        return object
    }
}
