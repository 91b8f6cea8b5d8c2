import FlotillaAPI
import FlotillaCore
import Foundation
import ServiceLifecycle

/// Where one API server is reached: its advertised address and its port.
public struct APIEndpoint: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var address: String
    public var port: Int

    public init(address: String, port: Int) {
        self.address = address
        self.port = port
    }

    /// `address:port`, the holder identity of the server's lease.
    public var description: String { "\(address):\(port)" }

    /// Reads `address:port` (the address may be IPv6, so the port follows the last colon).
    public init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]) else { return nil }
        self.init(address: String(text[..<colon]), port: port)
    }

    public static func < (lhs: APIEndpoint, rhs: APIEndpoint) -> Bool {
        (lhs.address, lhs.port) < (rhs.address, rhs.port)
    }
}

/// Keeps the endpoints of `default/kubernetes` to the API servers that are alive, as
/// Kubernetes' lease endpoint reconciler does. Each server holds a Lease in `kube-system`
/// (labelled ``leaseLabel``, its holder `address:port`) that it renews every ``interval``;
/// after each renewal it sets the `kubernetes` Endpoints and EndpointSlice to the servers whose
/// leases have not expired. A server that stops gracefully deletes its lease and takes its
/// address out at once; one that dies drops out when its lease expires.
public struct APIEndpointReconciler: Service {
    /// The label on the API servers' endpoint leases.
    public static let leaseLabel = "flotilla.io/apiserver-endpoint"

    let server: APIServer
    let interval: Duration
    let leaseSeconds: Int

    public init(server: APIServer, interval: Duration = .seconds(10), leaseSeconds: Int = 15) {
        self.server = server
        self.interval = interval
        self.leaseSeconds = leaseSeconds
    }

    public func run() async throws {
        var endpoint: APIEndpoint?
        while endpoint == nil, !Task.isCancelled, !Task.isShuttingDownGracefully {
            endpoint = server.advertisedEndpoint.withLock { $0 }
            if endpoint == nil { try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(100)) } }
        }
        guard let endpoint else { return }
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            do {
                try await server.reconcileAPIEndpoints(renewing: endpoint, leaseSeconds: leaseSeconds)
            } catch {
                server.logger.warning("cannot reconcile the API server endpoints", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
        await server.withdrawAPIEndpoint(endpoint)
    }
}

extension APIServer {
    /// The name of the lease of the API server at `endpoint`.
    static func endpointLeaseName(_ endpoint: APIEndpoint) -> String {
        "apiserver-" + endpoint.description.map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
    }

    /// Renews this server's lease, then sets the `kubernetes` endpoints to every server with a
    /// live lease (this one always among them).
    func reconcileAPIEndpoints(renewing own: APIEndpoint, leaseSeconds: Int) async throws {
        let name = Self.endpointLeaseName(own)
        let now = Date()
        let spec: JSON = [
            "holderIdentity": .string(own.description), "leaseDurationSeconds": .int(Int64(leaseSeconds)),
            "renewTime": .string(Timestamp.formatMicro(now)),
        ]
        let lease: JSON = [
            "apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
            "metadata": ["name": .string(name), "namespace": "kube-system", "labels": [.init(APIEndpointReconciler.leaseLabel): "true"]],
            "spec": spec,
        ]
        try await renewEndpointLease(name: name, spec: spec, lease: lease)
        var live: Set<APIEndpoint> = [own]
        for lease in try await storedObjects(plural: "leases", group: "coordination.k8s.io", namespace: "kube-system")
        where lease[path: ["metadata", "labels", APIEndpointReconciler.leaseLabel]].string != nil {
            guard let holder = lease["spec"]["holderIdentity"].string.flatMap(APIEndpoint.init),
                  let renewed = lease["spec"]["renewTime"].string.flatMap(Timestamp.parse)
            else { continue }
            let duration = Double(lease["spec"]["leaseDurationSeconds"].int ?? Int64(leaseSeconds))
            if renewed.addingTimeInterval(duration) >= now { live.insert(holder) }
        }
        await setAPIEndpoints(live.sorted(), port: own.port)
    }

    /// Renews the lease `name` with `spec`, and creates it as `lease` only when it is missing
    /// (the first renewal, or after another server or a user deleted it).
    private func renewEndpointLease(name: String, spec: JSON, lease: JSON) async throws {
        guard let leases = resources.resource(group: "coordination.k8s.io", version: "v1", plural: "leases") else { return }
        do {
            _ = try await guaranteedUpdate(
                leases, namespace: "kube-system", name: name, options: WriteOptions(), manager: Self.bootstrapManager
            ) { current in
                var current = current
                current["spec"] = spec
                return current
            }
        } catch let error as FlotillaError where error.code == .notFound {
            _ = try await createObject(leases, namespace: "kube-system", lease, options: WriteOptions(), manager: Self.bootstrapManager)
        }
    }

    /// Deletes this server's lease and takes its address out of the `kubernetes` endpoints.
    func withdrawAPIEndpoint(_ own: APIEndpoint) async {
        if let leases = resources.resource(group: "coordination.k8s.io", version: "v1", plural: "leases") {
            _ = try? await deleteObject(leases, namespace: "kube-system", name: Self.endpointLeaseName(own), options: DeleteOptions())
        }
        await updateBootstrap(plural: "endpoints", group: "", name: "kubernetes") { endpoints in
            var endpoints = endpoints
            endpoints["subsets"] = Self.subsets((Self.endpoints(in: endpoints).filter { $0 != own }))
            return endpoints
        }
        await updateBootstrap(plural: "endpointslices", group: "discovery.k8s.io", name: "kubernetes") { slice in
            guard slice["ports"][0]["port"].int == Int64(own.port) else { return slice }
            var slice = slice
            slice["endpoints"] = .array((slice["endpoints"].array ?? []).filter { $0["addresses"][0].string != own.address })
            return slice
        }
    }

    /// Sets the `kubernetes` Endpoints to `live` and its EndpointSlice to those of `live` on
    /// `port` (a slice has one set of ports); writes nothing when they already are.
    private func setAPIEndpoints(_ live: [APIEndpoint], port: Int) async {
        await updateBootstrap(plural: "endpoints", group: "", name: "kubernetes") { endpoints in
            guard Set(Self.endpoints(in: endpoints)) != Set(live) else { return endpoints }
            var endpoints = endpoints
            endpoints["subsets"] = Self.subsets(live)
            return endpoints
        }
        let addresses = live.filter { $0.port == port }.map(\.address)
        await updateBootstrap(plural: "endpointslices", group: "discovery.k8s.io", name: "kubernetes") { slice in
            guard slice["ports"][0]["port"].int == Int64(port),
                  (slice["endpoints"].array ?? []).compactMap({ $0["addresses"][0].string }) != addresses
            else { return slice }
            var slice = slice
            slice["endpoints"] = .array(addresses.map { ["addresses": [.string($0)], "conditions": ["ready": true]] })
            return slice
        }
    }

    /// The API servers an Endpoints object lists.
    static func endpoints(in endpoints: JSON) -> [APIEndpoint] {
        (endpoints["subsets"].array ?? []).flatMap { subset -> [APIEndpoint] in
            guard let port = subset["ports"][0]["port"].int else { return [] }
            return (subset["addresses"].array ?? []).compactMap { $0["ip"].string }.map { APIEndpoint(address: $0, port: Int(port)) }
        }
    }

    /// Endpoints subsets for `servers`: one per port, addresses sorted.
    static func subsets(_ servers: [APIEndpoint]) -> JSON {
        let byPort = Dictionary(grouping: servers, by: \.port)
        return .array(byPort.keys.sorted().map { port in
            [
                "addresses": .array(byPort[port]!.map(\.address).sorted().map { ["ip": .string($0)] }),
                "ports": [["name": "https", "port": .int(Int64(port)), "protocol": "TCP"]],
            ]
        })
    }
}
