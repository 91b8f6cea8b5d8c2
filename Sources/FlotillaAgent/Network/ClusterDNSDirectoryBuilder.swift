import FlotillaCore
import FlotillaNetwork

/// Builds the ``ServiceDirectory`` cluster DNS answers from, out of the API's Service and
/// discovery.k8s.io/v1 EndpointSlice objects: a slice belongs to the service named by its
/// `kubernetes.io/service-name` label in its namespace; an endpoint is ready unless
/// `conditions.ready` is false. Only IPv4 slices count.
enum ClusterDNSDirectoryBuilder {
    static let serviceNameLabel = "kubernetes.io/service-name"

    static func build(services: [JSON], endpointSlices: [JSON]) -> ServiceDirectory {
        var endpointsByService: [ServiceDirectory.Key: [ServiceDirectory.Endpoint]] = [:]
        for slice in endpointSlices {
            guard let name = slice[path: ["metadata", "labels", serviceNameLabel]].string,
                let namespace = slice[path: ["metadata", "namespace"]].string,
                (slice["addressType"].string ?? "IPv4") == "IPv4"
            else { continue }
            let ports = (slice["ports"].array ?? []).compactMap(port)
            for endpoint in slice["endpoints"].array ?? [] {
                let ready = endpoint[path: ["conditions", "ready"]].bool != false
                let hostname = endpoint["hostname"].string
                for address in endpoint["addresses"].array ?? [] {
                    guard let ip = address.string.flatMap(IPv4Address.init) else { continue }
                    endpointsByService[ServiceDirectory.Key(namespace: namespace, name: name), default: []].append(
                        ServiceDirectory.Endpoint(ip: ip, hostname: hostname, ready: ready, ports: ports))
                }
            }
        }
        return ServiceDirectory(services: services.compactMap { service in
            guard let name = service[path: ["metadata", "name"]].string, let namespace = service[path: ["metadata", "namespace"]].string
            else { return nil }
            let spec = service["spec"]
            let kind: ServiceDirectory.Kind
            if spec["type"].string == "ExternalName" {
                guard let target = spec["externalName"].string, !target.isEmpty else { return nil }
                kind = .externalName(target)
            } else if spec["clusterIP"].string == "None" {
                kind = .headless
            } else {
                kind = .clusterIP(spec["clusterIP"].string.flatMap(IPv4Address.init))
            }
            return ServiceDirectory.Service(
                namespace: namespace, name: name, kind: kind, ports: (spec["ports"].array ?? []).compactMap(port),
                endpoints: endpointsByService[ServiceDirectory.Key(namespace: namespace, name: name)] ?? [])
        })
    }

    /// A service or slice port; nil without a port number.
    private static func port(_ json: JSON) -> ServiceDirectory.Port? {
        guard let number = json["port"].int else { return nil }
        return ServiceDirectory.Port(name: json["name"].string ?? "", protocol: json["protocol"].string ?? "TCP", port: Int(number))
    }
}
