import FlotillaCore

/// One port of a service resolved for one pod: the service port's name, protocol and
/// application protocol with the pod's port number (a named `targetPort` resolves to the number
/// of the pod's container port of that name and protocol).
struct ServicePort: Hashable, Comparable, Sendable {
    var name: String
    var port: Int64
    var `protocol`: String
    var appProtocol: String?

    /// The service's ports as `pod` serves them, in the service's order; a port whose named
    /// `targetPort` no container of the pod declares is left out.
    static func resolve(_ service: JSON, for pod: JSON) -> [ServicePort] {
        (service["spec"]["ports"].array ?? []).compactMap { servicePort in
            let proto = servicePort["protocol"].string ?? "TCP"
            guard let number = targetPort(servicePort, protocol: proto, in: pod) else { return nil }
            return ServicePort(
                name: servicePort["name"].string ?? "", port: number, protocol: proto, appProtocol: servicePort["appProtocol"].string)
        }
    }

    /// The port number behind `servicePort` on `pod`: a numeric `targetPort` as is, a named one
    /// looked up among the pod's container ports, none at all the service port itself.
    private static func targetPort(_ servicePort: JSON, protocol proto: String, in pod: JSON) -> Int64? {
        switch servicePort["targetPort"] {
        case .int(let number): return number
        case .string(let name):
            if let number = Int64(name) { return number }
            for container in pod["spec"]["containers"].array ?? [] {
                for port in container["ports"].array ?? []
                where port["name"].string == name && (port["protocol"].string ?? "TCP") == proto {
                    return port["containerPort"].int
                }
            }
            return nil
        default: return servicePort["port"].int
        }
    }

    /// The port as an Endpoints `EndpointPort` (an empty name left out, as Kubernetes serves it).
    var endpointsJSON: JSON {
        var json: JSON = .emptyObject
        if !name.isEmpty { json["name"] = .string(name) }
        json["port"] = .int(port)
        json["protocol"] = .string(`protocol`)
        if let appProtocol { json["appProtocol"] = .string(appProtocol) }
        return json
    }

    /// The port as an EndpointSlice `EndpointPort` (the name always present, possibly empty).
    var sliceJSON: JSON {
        var json: JSON = ["name": .string(name), "port": .int(port), "protocol": .string(`protocol`)]
        if let appProtocol { json["appProtocol"] = .string(appProtocol) }
        return json
    }

    static func < (a: ServicePort, b: ServicePort) -> Bool {
        (a.name, a.port, a.protocol, a.appProtocol ?? "") < (b.name, b.port, b.protocol, b.appProtocol ?? "")
    }
}
