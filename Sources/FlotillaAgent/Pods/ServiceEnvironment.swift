import FlotillaCore
import Foundation

/// The environment variables a kubelet gives every container about the services that exist
/// when it starts: for each service of the pod's namespace (all of them only with
/// `enableServiceLinks`, the default) and for `default/kubernetes` (always), that has a
/// cluster IP, `{SVC}_SERVICE_HOST`, `{SVC}_SERVICE_PORT` (the first port),
/// `{SVC}_SERVICE_PORT_{NAME}` per named port, and Docker's link variables: `{SVC}_PORT`
/// (`tcp://ip:port` of the first port), `{SVC}_PORT_{port}_{PROTO}` with its `_PROTO`,
/// `_PORT` and `_ADDR`. Names are upper-cased with `-` turned into `_`. A service of the pod's
/// own namespace named `kubernetes` takes the place of the default one.
enum ServiceEnvironment {
    static func variables(services: [JSON], namespace: String, enableServiceLinks: Bool) -> [ContainerConfiguration.EnvironmentVariable] {
        var chosen: [String: JSON] = [:]
        for service in services {
            let name = service[path: ["metadata", "name"]].string ?? ""
            let serviceNamespace = service[path: ["metadata", "namespace"]].string ?? ""
            if serviceNamespace == namespace && enableServiceLinks {
                chosen[name] = service
            } else if serviceNamespace == ServiceCatalog.apiServerService.namespace && name == ServiceCatalog.apiServerService.name,
                      chosen[name] == nil {
                chosen[name] = service
            }
        }
        return chosen.sorted { $0.key < $1.key }.flatMap { variables(of: $0.value) }
    }

    /// One service's variables; none for a service without a cluster IP or ports.
    private static func variables(of service: JSON) -> [ContainerConfiguration.EnvironmentVariable] {
        let spec = service["spec"]
        guard let ip = spec["clusterIP"].string, !ip.isEmpty, ip != "None", let ports = spec["ports"].array, let first = ports.first else { return [] }
        let prefix = variableName(service[path: ["metadata", "name"]].string ?? "")
        var result: [ContainerConfiguration.EnvironmentVariable] = [
            .init(prefix + "_SERVICE_HOST", ip), .init(prefix + "_SERVICE_PORT", "\(first["port"].int ?? 0)"),
        ]
        for port in ports {
            if let name = port["name"].string, !name.isEmpty {
                result.append(.init(prefix + "_SERVICE_PORT_" + variableName(name), "\(port["port"].int ?? 0)"))
            }
        }
        for (index, port) in ports.enumerated() {
            let number = port["port"].int ?? 0
            let proto = (port["protocol"].string ?? "TCP").uppercased()
            let url = "\(proto.lowercased())://\(ip):\(number)"
            if index == 0 { result.append(.init(prefix + "_PORT", url)) }
            let portPrefix = "\(prefix)_PORT_\(number)_\(proto)"
            result += [
                .init(portPrefix, url), .init(portPrefix + "_PROTO", proto.lowercased()), .init(portPrefix + "_PORT", "\(number)"),
                .init(portPrefix + "_ADDR", ip),
            ]
        }
        return result
    }

    /// `my-svc` → `MY_SVC`.
    static func variableName(_ name: String) -> String {
        name.uppercased().replacingOccurrences(of: "-", with: "_")
    }
}
