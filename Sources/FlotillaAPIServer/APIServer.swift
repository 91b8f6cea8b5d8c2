import FlotillaAPI
import FlotillaCore
import FlotillaStore
import Foundation
import Logging

/// The Kubernetes REST API over a ``Store``, independent of the transport.
///
/// It serves every resource path (`/api/v1/...`, `/apis/<group>/<version>/...`, namespaced
/// and cluster-wide collections, objects and their subresources) and hands every other path to
/// ``NonResourceRoutes``. Replies are JSON; errors are Kubernetes `Status` objects, and nothing
/// is written when a request fails.
///
/// On creation it starts following the namespaces in the store (so that checking the namespace
/// of a create costs no store read). The namespaces `default`, `kube-system`, `kube-public` and
/// `kube-node-lease` are created when absent by ``ready()`` or the first request, which waits
/// for them, with the `kube-dns` service, and allocations left by a crash are repaired (and
/// again every few minutes). Services get cluster IPs and node ports and nodes pod subnets from
/// `network`. Call ``publishAPIEndpoint(host:port:)`` once listening (the `kubernetes` service),
/// and ``shutdown()`` to stop following the store.
public final class APIServer: APIHandler {
    public let store: any Store
    public let resources: ResourceCatalog
    public let schemas: SchemaCatalog
    let logger: Logger
    let nonResourceRoutes: NonResourceRoutes
    let protobufDecoder: ProtobufRequestDecoder
    let namespaces: NamespaceCache
    /// The node agents the server can reach, for pod logs and resource metrics.
    public let nodes = NodeConnections()
    /// The admission steps every create and update passes.
    let admission: AdmissionChain
    /// The cluster's address plan: where cluster IPs, node ports and pod subnets come from.
    public let network: ClusterNetwork
    let allocations: Allocations
    /// How old an allocation key must be before a repair pass may give it back.
    let allocationRepairGrace: Duration
    /// The periodic repair, and whether ``shutdown()`` came (then none starts).
    private let repairLoop = Locked<(task: Task<Void, Never>?, stopped: Bool)>((nil, false))
    private let startup = Locked<Task<Void, Never>?>(nil)
    /// The address and port this server publishes in `default/kubernetes`, once it listens.
    let advertisedEndpoint = Locked<APIEndpoint?>(nil)
    /// Recently changed objects, parsed once for all the watches that filter them.
    let parsedObjects = ParsedObjectMemo(capacity: 4096)
    /// Follows the namespaces and the admission policies in the store.
    private let namespaceFollower: Task<Void, Never>
    /// Issues and checks service account tokens.
    public let serviceAccountTokens: ServiceAccountTokens
    /// What a TokenReview checks tokens with: the HTTP server's authenticator, once set with
    /// ``reviewTokens(with:)``; service account tokens alone until then.
    let tokenReviewer = Locked<TokenAuthenticator?>(nil)

    /// The namespaces every cluster has.
    public static let systemNamespaces = ["default", "kube-system", "kube-public", "kube-node-lease"]

    public init(
        store: any Store, resources: ResourceCatalog = .shared, schemas: SchemaCatalog = .shared,
        defaultTolerations: DefaultTolerations = DefaultTolerations(), network: ClusterNetwork = .standard,
        allocationRepairGrace: Duration = .seconds(60), logger: Logger = Logger(label: "flotilla.apiserver")
    ) {
        self.store = store
        self.network = network
        self.allocations = Allocations(store: store, network: network, logger: logger)
        self.allocationRepairGrace = allocationRepairGrace
        self.serviceAccountTokens = ServiceAccountTokens(store: store, resources: resources, clusterDomain: network.domain)
        let policies = AdmissionPolicyIndex(store: store, logger: logger)
        self.admission = AdmissionChain(store: store, resources: resources, defaultTolerations: defaultTolerations, policies: policies)
        self.resources = resources
        self.schemas = schemas
        self.logger = logger
        self.nonResourceRoutes = NonResourceRoutes(resources: resources, schemas: schemas)
        self.protobufDecoder = ProtobufRequestDecoder(schemas: schemas, resources: resources)
        let namespaces = NamespaceCache(store: store, logger: logger)
        self.namespaces = namespaces
        self.namespaceFollower = Task {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await namespaces.follow() }
                group.addTask { await policies.follow() }
            }
        }
    }

    deinit {
        namespaceFollower.cancel()
        repairLoop.withLock { $0.task?.cancel() }
    }

    /// Lets TokenReviews check tokens as `authenticator` does (the admin token, the static token
    /// file and service account tokens).
    public func reviewTokens(with authenticator: TokenAuthenticator) {
        tokenReviewer.withLock { $0 = authenticator }
    }

    /// Stops following the store's namespaces and repairing allocations.
    public func shutdown() {
        namespaceFollower.cancel()
        repairLoop.withLock { loop in
            loop.stopped = true
            loop.task?.cancel()
        }
    }

    public func handle(_ request: APIRequest) async -> APIResponse {
        await ready()
        if let binding = await serveNamespacedBindings(request) { return binding }
        switch ResourcePath.resolve(request.path, catalog: resources) {
        case .notResource, .unknown:
            if let reply = await nonResourceRoutes.handle(request) { return reply }
            return Replies.error(Self.notFoundError)
        case .resource(let path):
            do {
                return try await serve(path, request)
            } catch {
                return Replies.error(Self.flotillaError(error))
            }
        }
    }

    /// Waits until the system namespaces exist; the first call (or request) creates them.
    public func ready() async {
        let task = startup.withLock { task in
            if let task { return task }
            let created = Task { await self.startUp() }
            task = created
            return created
        }
        await task.value
    }

    /// The first work of a server: the system namespaces, the `kube-dns` service, a repair pass
    /// over allocations, then the periodic repair.
    private func startUp() async {
        await createSystemNamespaces()
        do {
            try await repairAllocations(grace: allocationRepairGrace)
        } catch {
            logger.warning("allocation repair failed", metadata: ["error": "\(error)"])
        }
        await createDNSService()
        let grace = allocationRepairGrace
        repairLoop.withLock { loop in
            guard !loop.stopped else { return }
            loop.task = Task { [weak self] in await self?.repairAllocationsPeriodically(every: .seconds(180), grace: grace) }
        }
    }

    /// Creates the namespaces every cluster has, unless they exist.
    private func createSystemNamespaces() async {
        guard let namespaceResource = resources.resource(group: "", version: "v1", plural: "namespaces") else { return }
        for name in Self.systemNamespaces {
            let object: JSON = ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]]
            do {
                _ = try await createObject(namespaceResource, namespace: nil, object, options: WriteOptions(), manager: "flotilla")
            } catch let error as FlotillaError where error.code == .alreadyExists {
                continue
            } catch {
                logger.error("could not create namespace", metadata: ["namespace": "\(name)", "error": "\(error)"])
            }
        }
    }

    /// Kubernetes' reply for a path that names no resource.
    static let notFoundError = FlotillaError(.notFound, "the server could not find the requested resource")

    /// Kubernetes' reply for a verb a resource does not support.
    static let methodNotAllowed = FlotillaError(.methodNotAllowed, "the server does not allow this method on the requested resource")

    /// Any error as a ``FlotillaError``: unexpected ones become 500.
    static func flotillaError(_ error: any Error) -> FlotillaError {
        if let e = error as? FlotillaError { return e }
        return FlotillaError(.internalError, "Internal error occurred: \(error)")
    }

    private func serve(_ path: ResourcePath, _ request: APIRequest) async throws -> APIResponse {
        let resource = path.resource
        let method = request.method.uppercased()
        if resource.namespaced, path.namespace == nil, path.name != nil { throw Self.notFoundError }
        if let subresource = path.subresource, let name = path.name {
            return try await serveSubresource(subresource, of: path, name: name, request)
        }
        func require(_ verb: String) throws {
            guard resource.verbs.contains(verb) else { throw Self.methodNotAllowed }
        }
        guard let name = path.name else {
            switch method {
            case "GET":
                if try queryFlag(request, "watch") {
                    try require("watch")
                    return try await watch(path, request)
                }
                try require("list")
                if ResourceMetrics.handles(resource) { return try await resourceMetrics(path, name: nil, request) }
                return try await list(path, request)
            case "POST":
                try require("create")
                if resource.namespaced, path.namespace == nil { throw Self.methodNotAllowed }
                if ReviewKinds.handles(resource) { return try await review(path, request) }
                return try await create(path, request)
            case "DELETE":
                try require("deletecollection")
                return try await deleteCollection(path, request)
            default:
                throw Self.methodNotAllowed
            }
        }
        switch method {
        case "GET":
            if try queryFlag(request, "watch") {
                try require("watch")
                return try await watch(path, request, name: name)
            }
            try require("get")
            if ResourceMetrics.handles(resource) { return try await resourceMetrics(path, name: name, request) }
            return try await get(path, name: name, request)
        case "PUT":
            try require("update")
            return try await update(path, name: name, request)
        case "PATCH":
            try require("patch")
            return try await patch(path, name: name, request)
        case "DELETE":
            try require("delete")
            return try await delete(path, name: name, request)
        default:
            throw Self.methodNotAllowed
        }
    }

    /// The reply carrying one object (a stored version), shaped as the `Accept` header asks and
    /// in the version of `resource`; an in-process caller gets the object itself.
    func reply(_ stored: ObjectVersion, status: Int, resource: ResourceDefinition, _ request: APIRequest, warnings: [String] = []) throws -> APIResponse {
        let version = try VersionConversion.served(stored, as: resource)
        switch ResponseFormat.negotiate(request) {
        case .object where request.acceptsObjects:
            return Replies.object(status, try version.object(), warnings: warnings)
        case .object:
            return Replies.json(status, version.servedBytes, warnings: warnings)
        case .table(let v):
            let renderer = try TableRenderer(resource: resource, version: v, request: request)
            let object = try version.object()
            let table = renderer.table([object], resourceVersion: object["metadata"]["resourceVersion"].string)
            return Replies.json(status, table, warnings: warnings)
        case .partialMetadata(let v):
            return Replies.json(status, TableRenderer.partialMetadata(try version.object(), version: v), warnings: warnings)
        }
    }
}
