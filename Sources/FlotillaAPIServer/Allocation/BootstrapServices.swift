import FlotillaAPI
import FlotillaCore
import FlotillaStore

/// The services every cluster has, created by each API server when absent: `kube-system/kube-dns`
/// at the cluster DNS address (no selector: every node's agent answers DNS at that address), and
/// `default/kubernetes` at the first service address, whose endpoints are the API servers.
extension APIServer {
    /// The manager the API server records for the objects it writes itself.
    static let bootstrapManager = "flotilla-apiserver"

    /// Creates `kube-system/kube-dns` unless it exists.
    func createDNSService() async {
        let service: JSON = [
            "apiVersion": "v1", "kind": "Service",
            "metadata": ["name": "kube-dns", "namespace": "kube-system", "labels": ["k8s-app": "kube-dns"]],
            "spec": [
                "clusterIP": .string(network.dnsAddress.description),
                "ports": [
                    ["name": "dns", "port": 53, "protocol": "UDP", "targetPort": 53],
                    ["name": "dns-tcp", "port": 53, "protocol": "TCP", "targetPort": 53],
                ],
            ],
        ]
        await createUnlessPresent(plural: "services", group: "", namespace: "kube-system", service)
    }

    /// Creates `default/kubernetes` (port 443 to `port`) unless it exists, corrects its target
    /// port when it differs, and adds `host:port` (its advertised address) to its `Endpoints`
    /// and `EndpointSlice`, keeping the addresses other API servers added. Call it once the
    /// server listens.
    public func publishAPIEndpoint(host: String, port: Int) async {
        await ready()
        let address = Self.advertisedAddress(host)
        advertisedEndpoint.withLock { $0 = APIEndpoint(address: address, port: port) }
        let ports: JSON = [["name": "https", "port": 443, "protocol": "TCP", "targetPort": .int(Int64(port))]]
        let service: JSON = [
            "apiVersion": "v1", "kind": "Service",
            "metadata": ["name": "kubernetes", "namespace": "default", "labels": ["component": "apiserver", "provider": "kubernetes"]],
            "spec": ["clusterIP": .string(network.apiServerServiceAddress.description), "ports": ports, "sessionAffinity": "None"],
        ]
        await createUnlessPresent(plural: "services", group: "", namespace: "default", service)
        await updateBootstrap(plural: "services", group: "", name: "kubernetes") { svc in
            guard let current = svc["spec"]["ports"].array, current.count == 1, current[0]["targetPort"].int != Int64(port) else { return svc }
            var svc = svc
            svc[path: ["spec", "ports"]] = ports
            return svc
        }

        let endpointPort: JSON = ["name": "https", "port": .int(Int64(port)), "protocol": "TCP"]
        let endpoints: JSON = [
            "apiVersion": "v1", "kind": "Endpoints",
            "metadata": ["name": "kubernetes", "namespace": "default", "labels": ["endpointslice.kubernetes.io/skip-mirror": "true"]],
            "subsets": [["addresses": [["ip": .string(address)]], "ports": [endpointPort]]],
        ]
        await createUnlessPresent(plural: "endpoints", group: "", namespace: "default", endpoints)
        await updateBootstrap(plural: "endpoints", group: "", name: "kubernetes") { Self.addingAddress(address, port: endpointPort, to: $0) }

        let slice: JSON = [
            "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
            "metadata": [
                "name": "kubernetes", "namespace": "default",
                "labels": ["kubernetes.io/service-name": "kubernetes", "endpointslice.kubernetes.io/managed-by": "flotilla-apiserver"],
            ],
            "addressType": .string(address.contains(":") ? "IPv6" : "IPv4"),
            "endpoints": [["addresses": [.string(address)], "conditions": ["ready": true]]],
            "ports": [endpointPort],
        ]
        await createUnlessPresent(plural: "endpointslices", group: "discovery.k8s.io", namespace: "default", slice)
        await updateBootstrap(plural: "endpointslices", group: "discovery.k8s.io", name: "kubernetes") { current in
            guard current["ports"][0]["port"] == endpointPort["port"],
                  !(current["endpoints"].array ?? []).contains(where: { $0["addresses"][0].string == address })
            else { return current }
            var current = current
            current["endpoints"] = .array((current["endpoints"].array ?? []) + [["addresses": [.string(address)], "conditions": ["ready": true]]])
            return current
        }
    }

    /// `endpoints` with `address` in the subset of `port`, which is added when missing.
    static func addingAddress(_ address: String, port: JSON, to endpoints: JSON) -> JSON {
        var subsets = endpoints["subsets"].array ?? []
        if let i = subsets.firstIndex(where: { ($0["ports"].array ?? []).count == 1 && $0["ports"][0]["port"] == port["port"] }) {
            var addresses = subsets[i]["addresses"].array ?? []
            if addresses.contains(where: { $0["ip"].string == address }) { return endpoints }
            addresses.append(["ip": .string(address)])
            subsets[i]["addresses"] = .array(addresses)
        } else {
            subsets.append(["addresses": [["ip": .string(address)]], "ports": [port]])
        }
        var out = endpoints
        out["subsets"] = .array(subsets)
        return out
    }

    /// The address other components reach this server at: the listen address, or for a wildcard
    /// one the host's first non-loopback IPv4 address (loopback when it has none).
    static func advertisedAddress(_ host: String) -> String {
        if host != "0.0.0.0", host != "::", !host.isEmpty { return host }
        let v4 = HostIdentity.nonLoopbackAddresses().first { $0.count == 4 }
        return v4.map { $0.map(String.init).joined(separator: ".") } ?? "127.0.0.1"
    }

    func createUnlessPresent(plural: String, group: String, namespace: String, _ object: JSON) async {
        guard let resource = resources.resource(group: group, version: "v1", plural: plural) else { return }
        do {
            _ = try await createObject(resource, namespace: namespace, object, options: WriteOptions(), manager: Self.bootstrapManager)
        } catch let error as FlotillaError where error.code == .alreadyExists {
            return
        } catch {
            logger.error("could not create a bootstrap object", metadata: [
                "resource": "\(plural)", "name": "\(object["metadata"]["name"].string ?? "")", "error": "\(error)",
            ])
        }
    }

    func updateBootstrap(plural: String, group: String, namespace: String = "default", name: String, _ transform: (JSON) throws -> JSON) async {
        guard let resource = resources.resource(group: group, version: "v1", plural: plural) else { return }
        do {
            _ = try await guaranteedUpdate(
                resource, namespace: namespace, name: name, options: WriteOptions(), manager: Self.bootstrapManager, transform: transform)
        } catch {
            logger.error("could not update a bootstrap object", metadata: ["resource": "\(plural)", "name": "\(name)", "error": "\(error)"])
        }
    }
}
