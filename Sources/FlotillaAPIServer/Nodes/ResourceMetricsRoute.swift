import FlotillaAPI
import FlotillaCore
import FlotillaStore

extension APIServer {
    /// `GET` of metrics.k8s.io/v1beta1 `nodes` or `pods`, one object or a list: computed from the
    /// usage reports of the agents of the nodes concerned, never stored. The Node or Pod must
    /// exist and lends the metrics its labels (for label selectors); what no reachable agent
    /// reports on is left out of lists and not found by name.
    func resourceMetrics(_ path: ResourcePath, name: String?, _ request: APIRequest) async throws -> APIResponse {
        let resource = path.resource
        let filter = name == nil ? try ObjectFilter(request, resource: resource) : nil
        var objects: [JSON]
        if resource.kind == "NodeMetrics" {
            objects = try await nodeMetrics(resource, name: name)
        } else {
            objects = try await podMetrics(resource, namespace: path.namespace, name: name)
        }
        let format = ResponseFormat.negotiate(request)
        if let name {
            guard let object = objects.first else {
                throw FlotillaError.notFound(resource: ResourceMetrics.errorResource(resource), group: resource.group, name: name)
            }
            switch format {
            case .object:
                return Replies.json(200, object)
            case .table(let v):
                return Replies.json(200, try TableRenderer(resource: resource, version: v, request: request).table([object], resourceVersion: nil))
            case .partialMetadata(let v):
                return Replies.json(200, TableRenderer.partialMetadata(object, version: v))
            }
        }
        if let filter { objects = objects.filter(filter.matches) }
        switch format {
        case .object:
            let list: JSON = [
                "kind": .string(resource.listKind), "apiVersion": .string(resource.apiVersion), "metadata": .emptyObject,
                "items": .array(objects),
            ]
            return Replies.json(200, list)
        case .table(let v):
            return Replies.json(200, try TableRenderer(resource: resource, version: v, request: request).table(objects, resourceVersion: nil))
        case .partialMetadata(let v):
            return Replies.json(200, TableRenderer.partialMetadataList(objects, version: v, metadata: .emptyObject))
        }
    }

    /// The NodeMetrics of node `name`, or of every node, from their agents.
    private func nodeMetrics(_ resource: ResourceDefinition, name: String?) async throws -> [JSON] {
        let nodes = try await storedObjects("nodes", namespace: nil, name: name, notFound: resource)
        let reports = await usageReports(of: Set(nodes.compactMap { $0["metadata"]["name"].string }), logger: logger)
        return nodes.compactMap { node in
            guard let nodeName = node["metadata"]["name"].string, let report = reports[nodeName] else { return nil }
            return MetricsObjects.node(nodeName, labels: node["metadata"]["labels"], report.node)
        }
    }

    /// The PodMetrics of pod `name` in `namespace`, or of every pod there (every namespace when
    /// nil), from the agents of their nodes.
    private func podMetrics(_ resource: ResourceDefinition, namespace: String?, name: String?) async throws -> [JSON] {
        let pods = try await storedObjects("pods", namespace: namespace, name: name, notFound: resource)
        let reports = await usageReports(of: Set(pods.compactMap { $0["spec"]["nodeName"].string }), logger: logger)
        var usage: [String: UsageReport.Pod] = [:]
        for report in reports.values {
            for pod in report.pods { usage[pod.uid] = pod }
        }
        return pods.compactMap { pod in
            guard let uid = pod["metadata"]["uid"].string, let measured = usage[uid], !measured.containers.isEmpty else { return nil }
            return MetricsObjects.pod(measured, labels: pod["metadata"]["labels"])
        }
    }

    /// The stored core/v1 objects of `plural`: the one called `name` (a 404 naming the metrics
    /// resource when absent), or all of them.
    private func storedObjects(
        _ plural: String, namespace: String?, name: String?, notFound metrics: ResourceDefinition
    ) async throws -> [JSON] {
        guard let resource = resources.resource(group: "", version: "v1", plural: plural) else { return [] }
        if let name {
            guard let kv = try await store.get(StorageKeys.key(resource, namespace: namespace, name: name)) else {
                throw FlotillaError.notFound(resource: ResourceMetrics.errorResource(metrics), group: metrics.group, name: name)
            }
            return [try StoredObject.decode(kv)]
        }
        let prefix = StorageKeys.prefix(resource, namespace: namespace)
        var objects: [JSON] = []
        var after: String?
        var revision: Int64?
        while true {
            let page = try await store.list(prefix: prefix, after: after, limit: 500, revision: revision)
            objects += try page.items.map(StoredObject.decode)
            revision = page.revision
            guard page.more, let last = page.items.last else { return objects }
            after = last.key
        }
    }
}
