import FlotillaCore

/// Reads Services and EndpointSlices as the API serves them into the service ports the proxy
/// carries, as kube-proxy does: services with a cluster IP (not headless, not ExternalName),
/// each port matched by name and protocol with the ports of the EndpointSlices labelled
/// `kubernetes.io/service-name` with the service's name (IPv4 slices only). An endpoint whose
/// `conditions.ready` is absent counts as ready, as the API documents. An endpoint whose
/// `nodeName` is the proxy's node is local (for the `Local` traffic policies). External
/// addresses are `spec.externalIPs` and, for `LoadBalancer` services, the ingress IPs in the
/// status.
public enum ProxiedServices {
    /// The label of an EndpointSlice naming its service.
    public static let serviceNameLabel = "kubernetes.io/service-name"

    /// The service ports of `services` with their endpoints from `endpointSlices`, sorted by
    /// name; services whose cluster IP is in `skipping` (the cluster DNS address, which each
    /// node answers itself) are left out. `nodeName` is the proxy's node.
    public static func ports(
        services: [JSON], endpointSlices: [JSON], skipping: Set<IPv4Address> = [], nodeName: String? = nil
    ) -> [ProxiedServicePort] {
        var slicesByService: [String: [JSON]] = [:]
        for slice in endpointSlices where (slice["addressType"].string ?? "IPv4") == "IPv4" {
            guard let service = slice[path: ["metadata", "labels", serviceNameLabel]].string else { continue }
            let namespace = slice[path: ["metadata", "namespace"]].string ?? "default"
            slicesByService[namespace + "/" + service, default: []].append(slice)
        }
        var ports: [ProxiedServicePort] = []
        for service in services {
            let spec = service["spec"]
            guard spec["type"].string != "ExternalName", let ip = spec["clusterIP"].string.flatMap(IPv4Address.init),
                  !skipping.contains(ip)
            else { continue }
            let namespace = service[path: ["metadata", "namespace"]].string ?? "default"
            let name = service[path: ["metadata", "name"]].string ?? ""
            let affinity = spec["sessionAffinity"].string == "ClientIP"
                ? Int(spec[path: ["sessionAffinityConfig", "clientIP", "timeoutSeconds"]].int ?? 10800) : nil
            let exposesNodePorts = spec["type"].string == "NodePort" || spec["type"].string == "LoadBalancer"
            let internalLocal = spec["internalTrafficPolicy"].string == "Local"
            let externalLocal = exposesNodePorts && spec["externalTrafficPolicy"].string == "Local"
            let ingress = spec["type"].string == "LoadBalancer" ? service[path: ["status", "loadBalancer", "ingress"]].array ?? [] : []
            let externalAddresses = Set(((spec["externalIPs"].array ?? []) + ingress.map { $0["ip"] }).compactMap { $0.string.flatMap(IPv4Address.init) })
            let slices = slicesByService[namespace + "/" + name] ?? []
            for port in spec["ports"].array ?? [] {
                guard let number = port["port"].int,
                      let proto = ProxiedServicePort.TransportProtocol(rawValue: port["protocol"].string ?? "TCP")
                else { continue }
                let portName = port["name"].string ?? ""
                ports.append(ProxiedServicePort(
                    namespace: namespace, serviceName: name, portName: portName, transportProtocol: proto, clusterIP: ip,
                    port: Int(number), nodePort: exposesNodePorts ? port["nodePort"].int.map(Int.init).flatMap { $0 > 0 ? $0 : nil } : nil,
                    externalAddresses: Array(externalAddresses),
                    affinitySeconds: affinity, internalTrafficLocal: internalLocal, externalTrafficLocal: externalLocal,
                    endpoints: endpoints(in: slices, portName: portName, protocol: proto, nodeName: nodeName)))
            }
        }
        return ports.sorted { ($0.namespace, $0.serviceName, $0.portName) < ($1.namespace, $1.serviceName, $1.portName) }
    }

    /// The endpoints of the slices' port named `portName`, each address once (ready when any
    /// slice says so, local when any names `nodeName`).
    private static func endpoints(
        in slices: [JSON], portName: String, protocol proto: ProxiedServicePort.TransportProtocol, nodeName: String?
    ) -> [ProxiedServicePort.Endpoint] {
        var found: [String: ProxiedServicePort.Endpoint] = [:]
        for slice in slices {
            guard let port = (slice["ports"].array ?? []).first(where: {
                ($0["name"].string ?? "") == portName && ($0["protocol"].string ?? "TCP") == proto.rawValue
            }), let number = port["port"].int else { continue }
            for endpoint in slice["endpoints"].array ?? [] {
                let ready = endpoint[path: ["conditions", "ready"]].bool ?? true
                let local = nodeName != nil && endpoint["nodeName"].string == nodeName
                for address in (endpoint["addresses"].array ?? []).compactMap({ $0.string.flatMap(IPv4Address.init) }) {
                    var merged = ProxiedServicePort.Endpoint(address: address, port: Int(number), ready: ready, local: local)
                    if let seen = found[merged.description] {
                        merged.ready = merged.ready || seen.ready
                        merged.local = merged.local || seen.local
                    }
                    found[merged.description] = merged
                }
            }
        }
        return Array(found.values)
    }
}
