import FlotillaAPI
import FlotillaCore

/// `POST pods/<name>/eviction`: delete a pod unless a PodDisruptionBudget forbids it.
extension APIServer {
    func evict(_ path: ResourcePath, name: String, _ request: APIRequest) async throws -> APIResponse {
        var body = try RequestBody.decodeObject(request, protobuf: protobufDecoder).object
        let apiVersion = body["apiVersion"].string ?? ""
        try RequestBody.checkKind(
            &body, expected: GroupVersionKind("policy", apiVersion == "policy/v1beta1" ? "v1beta1" : "v1", "Eviction"))
        let given = body["metadata"]["name"].string ?? ""
        if !given.isEmpty, given != name {
            throw FlotillaError(.badRequest, "name in URL does not match name in Eviction object")
        }
        var options = try DeleteOptions(request, readBody: false, protobuf: protobufDecoder)
        if !body["deleteOptions"].isNull { try options.apply(body["deleteOptions"]) }

        let pod = try await read(path.resource, namespace: path.namespace, name: name).object()
        let phase = pod["status"]["phase"].string ?? ""
        let exempt = phase == "Succeeded" || phase == "Failed" || phase == "Pending" || !pod["metadata"]["deletionTimestamp"].isNull
        if !exempt, let namespace = path.namespace, let budgets = resources.resource(group: "policy", version: "v1", plural: "poddisruptionbudgets") {
            let list = try await store.list(prefix: StorageKeys.prefix(budgets, namespace: namespace), after: nil, limit: 0, revision: nil)
            for kv in list.items {
                let budget = try StoredObject.decode(kv)
                guard let selector = try? LabelSelector(json: budget["spec"]["selector"]),
                    selector.matches(labels: pod["metadata"]["labels"])
                else { continue }
                if (budget["status"]["disruptionsAllowed"].int ?? 0) < 1 {
                    let budgetName = budget["metadata"]["name"].string ?? ""
                    let desired = budget["status"]["desiredHealthy"].int ?? 0
                    let current = budget["status"]["currentHealthy"].int ?? 0
                    throw FlotillaError(
                        .tooManyRequests, "Cannot evict pod as it would violate the pod's disruption budget.",
                        causes: [.init(
                            reason: "DisruptionBudget",
                            message: "The disruption budget \(budgetName) needs \(desired) healthy pods and has \(current) currently",
                            field: "")])
                }
            }
        }
        _ = try await deleteObject(path.resource, namespace: path.namespace, name: name, options: options)
        return Replies.success(201)
    }
}
