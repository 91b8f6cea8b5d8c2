import FlotillaCore

/// What an update of a service keeps from the stored version when it leaves it out, and what a
/// type change drops, as Kubernetes' service strategy does: `kubectl apply` and `kubectl replace`
/// send services without the cluster IP and node ports the server filled in.
enum ServiceUpdateCarryOver {
    /// `new` with the cluster IP and node ports of `old` where `new` omits them, and without
    /// the ones its new type no longer uses (cluster IP, node ports, external traffic policy, load
    /// balancer node port allocation) when they are unchanged from `old`.
    static func apply(old: JSON, new: JSON) -> JSON {
        var svc = new
        let oldSpec = old["spec"]
        let type = svc["spec"]["type"].string ?? "ClusterIP"
        let oldIP = oldSpec["clusterIP"].string ?? ""
        let newIP = svc["spec"]["clusterIP"].string ?? ""

        if type == "ExternalName" {
            if newIP.isEmpty || newIP == oldIP {
                for field in ["clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy", "internalTrafficPolicy"]
                where svc["spec"][field].isNull || svc["spec"][field] == oldSpec[field] {
                    svc[path: ["spec", field]] = .null
                }
            }
        } else if newIP.isEmpty, !oldIP.isEmpty, (oldSpec["type"].string ?? "ClusterIP") != "ExternalName" {
            svc[path: ["spec", "clusterIP"]] = .string(oldIP)
            svc[path: ["spec", "clusterIPs"]] = oldSpec["clusterIPs"].isNull ? [.string(oldIP)] : oldSpec["clusterIPs"]
        }

        if type != "NodePort", type != "LoadBalancer", svc["spec"]["externalTrafficPolicy"] == oldSpec["externalTrafficPolicy"] {
            svc[path: ["spec", "externalTrafficPolicy"]] = .null
        }
        if type != "LoadBalancer", svc["spec"]["allocateLoadBalancerNodePorts"] == oldSpec["allocateLoadBalancerNodePorts"] {
            svc[path: ["spec", "allocateLoadBalancerNodePorts"]] = .null
        }

        let oldPorts = ServiceAllocator.usesNodePorts(oldSpec) ? oldSpec["ports"].array ?? [] : []
        var ports = svc["spec"]["ports"].array ?? []
        if ServiceAllocator.usesNodePorts(svc["spec"]) {
            for i in ports.indices where (ports[i]["nodePort"].int ?? 0) == 0 {
                if let match = matching(ports[i], in: oldPorts), let nodePort = match["nodePort"].int, nodePort != 0 {
                    ports[i]["nodePort"] = .int(nodePort)
                }
            }
        } else if !oldPorts.isEmpty {
            let oldNodePorts = Set(oldPorts.compactMap { $0["nodePort"].int })
            if ports.allSatisfy({ ($0["nodePort"].int ?? 0) == 0 || oldNodePorts.contains($0["nodePort"].int!) }) {
                for i in ports.indices { ports[i]["nodePort"] = .null }
            }
        }
        if !ports.isEmpty { svc[path: ["spec", "ports"]] = .array(ports) }
        return svc
    }

    /// The old port `port` continues: the one with its number and protocol, else the one with
    /// its (non-empty) name.
    static func matching(_ port: JSON, in old: [JSON]) -> JSON? {
        let proto = port["protocol"].string ?? "TCP"
        if let same = old.first(where: { $0["port"] == port["port"] && ($0["protocol"].string ?? "TCP") == proto }) { return same }
        guard let name = port["name"].string, !name.isEmpty else { return nil }
        return old.first { $0["name"].string == name }
    }
}
