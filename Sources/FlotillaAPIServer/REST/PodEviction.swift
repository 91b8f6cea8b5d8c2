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
            try await spendDisruption(of: pod, namespace: namespace, budgets: budgets)
        }
        _ = try await deleteObject(path.resource, namespace: path.namespace, name: name, options: options)
        return Replies.success(201, to: request)
    }

    /// Checks the budgets that select `pod` and takes one allowed disruption from each (with
    /// compare-and-swap, so that concurrent evictions cannot together break a budget), noting
    /// the pod in `status.disruptedPods`; throws
    /// 429 naming the budget that allows none. The disruption controller recomputes the
    /// budgets from the pods afterwards.
    private func spendDisruption(of pod: JSON, namespace: String, budgets: ResourceDefinition) async throws {
        for _ in 0..<Self.writeAttempts {
            let list = try await store.list(prefix: StorageKeys.prefix(budgets, namespace: namespace), after: nil, limit: 0, revision: nil)
            var updates: [(key: String, bytes: [UInt8], revision: Int64)] = []
            for kv in list.items {
                var budget = try StoredObject.decode(kv)
                guard let selector = try? LabelSelector(json: budget["spec"]["selector"]),
                    selector.matches(labels: pod["metadata"]["labels"])
                else { continue }
                let allowed = budget["status"]["disruptionsAllowed"].int ?? 0
                if allowed < 1 {
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
                budget[path: ["status", "disruptionsAllowed"]] = .int(allowed - 1)
                // Until the controller sees the pod go, it must not count it healthy again.
                if let podName = pod["metadata"]["name"].string {
                    budget[path: ["status", "disruptedPods", podName]] = .string(Timestamp.now())
                }
                let stored = StoredObject.canonical(budget, resourceVersion: nil)
                updates.append((kv.key, StoredObject.storageBytes(stored), kv.modRevision))
            }
            do {
                for update in updates { _ = try await store.update(update.key, value: update.bytes, expectedRevision: update.revision) }
                return
            } catch let error as FlotillaError where error.code == .conflict {
                continue
            }
        }
        throw FlotillaError(.tooManyRequests, "Cannot evict pod: its disruption budgets are changing; try again")
    }
}
