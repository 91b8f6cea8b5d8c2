import FlotillaCore
import Foundation

/// The `kubectl get services` and `kubectl get endpoints` columns.
public enum ServiceColumns {
    /// TYPE, CLUSTER-IP, EXTERNAL-IP, PORT(S), AGE and, with `-o wide`, SELECTOR.
    public static let services: [TableColumn] = [
        TableColumn("Type", description: "The service type.") { svc, _ in
            TableCells.text(svc["spec"]["type"])
        },
        TableColumn("Cluster-IP", description: "The service's virtual IP address.") { svc, _ in
            let ip = svc["spec"]["clusterIPs"][0].string ?? svc["spec"]["clusterIP"].string ?? ""
            return .string(ip.isEmpty ? "<none>" : ip)
        },
        TableColumn("External-IP", description: "Addresses the service is reachable at from outside.") { svc, _ in
            .string(externalIP(svc, wide: false))
        },
        TableColumn("Port(s)", description: "The service's ports, with node ports.") { svc, _ in
            .string(ports(svc))
        },
        .age,
        TableColumn("Selector", description: "Labels of the pods behind the service.", priority: 1) { svc, _ in
            .string(TableCells.labels(svc["spec"]["selector"]))
        },
    ]

    /// ENDPOINTS and AGE.
    public static let endpoints: [TableColumn] = [
        TableColumn("Endpoints", description: "Up to three addresses, then how many more.") { ep, _ in
            .string(endpointList(ep))
        },
        .age,
    ]

    /// "80/TCP" or "80:30080/TCP" for each port, comma-separated, or "<none>".
    static func ports(_ svc: JSON) -> String {
        let parts = (svc["spec"]["ports"].array ?? []).map { p -> String in
            let port = p["port"].int ?? 0
            let proto = p["protocol"].string ?? "TCP"
            if let nodePort = p["nodePort"].int, nodePort != 0 { return "\(port):\(nodePort)/\(proto)" }
            return "\(port)/\(proto)"
        }
        return parts.isEmpty ? "<none>" : parts.joined(separator: ",")
    }

    /// kubectl's EXTERNAL-IP: external IPs, load balancer addresses, "<pending>" for a load
    /// balancer without any, the external name for ExternalName services.
    static func externalIP(_ svc: JSON, wide: Bool) -> String {
        let externalIPs = (svc["spec"]["externalIPs"].array ?? []).compactMap(\.string)
        switch svc["spec"]["type"].string ?? "ClusterIP" {
        case "ClusterIP", "NodePort":
            return externalIPs.isEmpty ? "<none>" : externalIPs.joined(separator: ",")
        case "LoadBalancer":
            let ingress = (svc["status"]["loadBalancer"]["ingress"].array ?? []).compactMap { i -> String? in
                let ip = i["ip"].string ?? ""
                return ip.isEmpty ? i["hostname"].string : ip
            }
            var lb = ingress.joined(separator: ",")
            if !wide && lb.count > 16 { lb = String(lb.prefix(13)) + "..." }
            if !externalIPs.isEmpty {
                return ((lb.isEmpty ? [] : lb.split(separator: ",").map(String.init)) + externalIPs).joined(separator: ",")
            }
            return lb.isEmpty ? "<pending>" : lb
        case "ExternalName":
            return svc["spec"]["externalName"].string ?? ""
        default:
            return "<unknown>"
        }
    }

    /// "ip:port" pairs, at most three, then " + N more...", or "<none>" without subsets.
    static func endpointList(_ ep: JSON) -> String {
        let subsets = ep["subsets"].array ?? []
        if subsets.isEmpty { return "<none>" }
        let limit = 3
        var list: [String] = []
        var more = false
        var count = 0
        for subset in subsets {
            let addresses = (subset["addresses"].array ?? []).map { $0["ip"].string ?? "" }
            let ports = subset["ports"].array ?? []
            if ports.isEmpty {
                count += addresses.count
                for ip in addresses {
                    if list.count == limit { more = true; break }
                    list.append(ip)
                }
                continue
            }
            for port in ports {
                count += addresses.count
                for ip in addresses {
                    if list.count == limit { more = true; break }
                    let host = ip.contains(":") ? "[\(ip)]" : ip
                    list.append("\(host):\(port["port"].int ?? 0)")
                }
            }
        }
        let joined = list.joined(separator: ",")
        return more ? "\(joined) + \(count - limit) more..." : joined
    }
}
