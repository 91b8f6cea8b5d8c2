import FlotillaAPI
import FlotillaClient
import FlotillaCore
import Logging

/// Keeps the discovery.k8s.io/v1 EndpointSlices of every service with a selector, as
/// Kubernetes' endpoint slice controller does: IPv4 slices named `<service>-<random>`, labelled
/// with the service's name and this controller as manager, owned by the service, one group per
/// distinct port set with at most ``maxEndpointsPerSlice`` endpoints each, laid out by
/// ``EndpointSliceLayout`` so that slices are updated in place rather than replaced.
///
/// Every pod with an address that has not finished is an endpoint, terminating ones included:
/// `ready` is Ready and not terminating (always true when the service publishes not-ready
/// addresses), `serving` is Ready, `terminating` whether the pod is being deleted. A slice is
/// written only when it differs from the cache, and the slices of a deleted service are
/// deleted at once (their owner reference would let the garbage collector do it later).
final class EndpointSliceController: Sendable {
    static let maxEndpointsPerSlice = 100
    static let serviceNameLabel = "kubernetes.io/service-name"
    static let managedByLabel = "endpointslice.kubernetes.io/managed-by"
    static let managerName = "endpointslice-controller.k8s.io"
    static let zoneLabel = "topology.kubernetes.io/zone"
    /// The index of managed slices by `namespace/service`.
    static let serviceIndex = "managed-slices-by-service"

    private let client: KubernetesClient
    private let services: Informer
    private let pods: Informer
    private let slices: Informer
    private let nodes: Informer?
    private let maxEndpoints: Int
    private let logger: Logger
    private let queue = WorkQueue<String>()
    private let tracker = EndpointSliceTracker()

    /// - Parameter nodes: when given, endpoints carry the `zone` of their node.
    init(
        client: KubernetesClient, services: Informer, pods: Informer, slices: Informer, nodes: Informer?,
        maxEndpointsPerSlice: Int = EndpointSliceController.maxEndpointsPerSlice, logger: Logger
    ) {
        self.client = client
        self.services = services
        self.pods = pods
        self.slices = slices
        self.nodes = nodes
        self.maxEndpoints = maxEndpointsPerSlice
        self.logger = logger
        ServiceSelection.register(on: services)
        slices.cache.addIndexer(Self.serviceIndex) { slice in Self.serviceKey(of: slice).map { [$0] } ?? [] }
        services.onAdd { [queue] in queue.add(ObjectCache.key(for: $0)) }
        services.onUpdate { [queue] _, new in queue.add(ObjectCache.key(for: new)) }
        services.onDelete { [queue] in queue.add(ObjectCache.key(for: $0)) }
        pods.onAdd { [weak self] pod in self?.enqueueServices(selecting: pod) }
        pods.onUpdate { [services, queue] old, new in
            for key in ServiceSelection.services(affectedByUpdateOf: old, to: new, in: services) { queue.add(key) }
        }
        pods.onDelete { [weak self] pod in self?.enqueueServices(selecting: pod) }
        slices.onAdd { [queue] in if let key = Self.serviceKey(of: $0) { queue.add(key) } }
        slices.onUpdate { [queue] _, new in if let key = Self.serviceKey(of: new) { queue.add(key) } }
        slices.onDelete { [queue] in if let key = Self.serviceKey(of: $0) { queue.add(key) } }
    }

    /// Syncs services with `workers` workers until cancelled.
    func run(workers: Int) async {
        await queue.runWorkers(workers) { [self] key in try await sync(key) }
    }

    private func enqueueServices(selecting pod: JSON) {
        for key in ServiceSelection.services(selecting: pod, in: services) { queue.add(key) }
    }

    /// `namespace/service` of a slice this controller manages.
    static func serviceKey(of slice: JSON) -> String? {
        let labels = slice["metadata"]["labels"]
        guard labels[managedByLabel].string == managerName, let service = labels[serviceNameLabel].string,
            let namespace = slice["metadata"]["namespace"].string
        else { return nil }
        return namespace + "/" + service
    }

    func sync(_ key: String) async throws {
        guard let service = services.cache.get(key: key) else {
            tracker.forget(service: key)
            for slice in slices.cache.byIndex(Self.serviceIndex, key) { try await delete(slice, service: key) }
            return
        }
        guard ServiceSelection.selector(of: service) != nil, let namespace = service["metadata"]["namespace"].string else { return }
        guard tracker.isCurrent(service: key, namespace: namespace, cache: slices.cache) else {
            // The slice events that bring the cache up to date queue the service again.
            queue.addAfter(key, delay: .seconds(EndpointSliceTracker.timeout))
            return
        }
        // Read only now: slices listed before the tracker found the cache current could miss
        // the last ones created, and the layout would create them again.
        let existing = slices.cache.byIndex(Self.serviceIndex, key)
        let layout = EndpointSliceLayout(
            desired: desiredEndpoints(of: service), existing: existing.filter { $0["addressType"].string == "IPv4" },
            maxEndpoints: maxEndpoints)
        let labels = Self.labels(of: service)
        let owner = OwnerReferences.controllerReference(to: service, apiVersion: "v1", kind: "Service")
        for slice in layout.slices where slice.existing == nil {
            let name = service["metadata"]["name"].string ?? ""
            var object: JSON = [
                "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
                "metadata": ["generateName": .string(name + "-"), "namespace": .string(namespace), "labels": labels, "ownerReferences": [owner]],
            ]
            Self.fill(&object, slice)
            let created = try await client.create(.endpointSlices, object)
            tracker.wrote(service: key, slice: created["metadata"]["name"].string ?? "", resourceVersion: created["metadata"]["resourceVersion"].string)
        }
        for slice in layout.slices {
            guard let current = slice.existing else { continue }
            var object = current
            object["metadata"]["labels"] = labels
            object["metadata"]["ownerReferences"] = [owner]
            Self.fill(&object, slice)
            guard !Self.same(current, object) else { continue }
            let updated = try await client.update(.endpointSlices, object)
            tracker.wrote(service: key, slice: updated["metadata"]["name"].string ?? "", resourceVersion: updated["metadata"]["resourceVersion"].string)
        }
        for slice in layout.deletions + existing.filter({ $0["addressType"].string != "IPv4" }) {
            try await delete(slice, service: key)
        }
    }

    /// The service's endpoints by their sorted port set.
    private func desiredEndpoints(of service: JSON) -> [[ServicePort]: [JSON]] {
        let publishNotReady = service["spec"]["publishNotReadyAddresses"].bool ?? false
        var desired: [[ServicePort]: [JSON]] = [:]
        for pod in ServiceSelection.pods(selectedBy: service, from: pods) where EndpointPods.isCandidate(pod, includeTerminating: true) {
            desired[ServicePort.resolve(service, for: pod).sorted(), default: []].append(endpoint(for: pod, service: service, publishNotReady: publishNotReady))
        }
        return desired
    }

    /// The pod's `Endpoint`.
    private func endpoint(for pod: JSON, service: JSON, publishNotReady: Bool) -> JSON {
        let serving = PodState.isReady(pod)
        let terminating = EndpointPods.isTerminating(pod)
        var endpoint: JSON = [
            "addresses": [.string(EndpointPods.ip(pod) ?? "")],
            "conditions": ["ready": .bool(publishNotReady || (serving && !terminating)), "serving": .bool(serving), "terminating": .bool(terminating)],
        ]
        if let hostname = EndpointPods.hostname(pod, service: service) { endpoint["hostname"] = .string(hostname) }
        endpoint["targetRef"] = EndpointPods.targetRef(pod)
        if let node = pod["spec"]["nodeName"].string, !node.isEmpty {
            endpoint["nodeName"] = .string(node)
            if let zone = nodes?.cache.get(name: node)?["metadata"]["labels"][Self.zoneLabel].string { endpoint["zone"] = .string(zone) }
        }
        return endpoint
    }

    /// The slice labels: the service's own (less those this controller sets), the service's
    /// name, the manager, and ``EndpointsController/headlessLabel`` for a headless service.
    static func labels(of service: JSON) -> JSON {
        var labels = service["metadata"]["labels"].object ?? [:]
        labels[serviceNameLabel] = service["metadata"]["name"]
        labels[managedByLabel] = .string(managerName)
        labels[EndpointsController.headlessLabel] = service["spec"]["clusterIP"].string == "None" ? "" : nil
        return .object(labels)
    }

    private static func fill(_ object: inout JSON, _ slice: EndpointSliceLayout.Slice) {
        object["addressType"] = "IPv4"
        object["endpoints"] = .array(slice.endpoints)
        object["ports"] = .array(slice.ports.map(\.sliceJSON))
    }

    /// Whether two states of a slice have the same content (members in any order; absent
    /// lists equal to empty ones).
    private static func same(_ a: JSON, _ b: JSON) -> Bool {
        let paths = [["metadata", "labels"], ["metadata", "ownerReferences"], ["addressType"], ["endpoints"], ["ports"]]
        return paths.allSatisfy { path in
            let x = a[path: path], y = b[path: path]
            return x.isEquivalent(to: y) || (Self.isEmpty(x) && Self.isEmpty(y))
        }
    }

    private static func isEmpty(_ value: JSON) -> Bool {
        value.isNull || value.array?.isEmpty == true || value.object?.isEmpty == true
    }

    private func delete(_ slice: JSON, service: String) async throws {
        let name = slice["metadata"]["name"].string ?? ""
        do {
            try await client.delete(.endpointSlices, namespace: slice["metadata"]["namespace"].string, name: name)
        } catch let error as FlotillaError where error.code == .notFound {}
        tracker.deleted(service: service, slice: name)
    }
}
