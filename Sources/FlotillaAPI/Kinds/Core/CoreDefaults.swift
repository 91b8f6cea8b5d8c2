import FlotillaCore
import Foundation

/// The defaults Kubernetes fills into the core kinds other than pods (`SetDefaults_Service`,
/// `SetDefaults_Namespace`, `SetDefaults_Secret`, persistent volume and claim defaults, …).
public enum CoreDefaults {
    /// Namespace: the `kubernetes` finalizer, phase Active and the `kubernetes.io/metadata.name` label.
    public static func namespace(_ ns: inout JSON) {
        guard ns.object != nil else { return }
        if let name = ns["metadata"]["name"].string, !name.isEmpty {
            ns[path: ["metadata", "labels", "kubernetes.io/metadata.name"]] = .string(name)
        }
        ns.fillIfAbsent(["spec", "finalizers"], ["kubernetes"])
        ns.fillIfAbsent(["status", "phase"], "Active")
    }

    /// Service: type ClusterIP, session affinity None, port protocol TCP and target port, traffic
    /// policies, IP families, and an empty load balancer status.
    public static func service(_ svc: inout JSON) {
        guard svc.object != nil else { return }
        svc.fillIfAbsent(["spec", "type"], "ClusterIP")
        let type = svc["spec"]["type"].string ?? "ClusterIP"
        svc.fillIfAbsent(["spec", "sessionAffinity"], "None")
        if svc["spec"]["sessionAffinity"].string == "ClientIP" {
            svc.fillIfAbsent(["spec", "sessionAffinityConfig", "clientIP", "timeoutSeconds"], 10800)
        }
        svc["spec"].updateEach("ports") { port in
            guard port.object != nil else { return }
            port.fillIfAbsent(["protocol"], "TCP")
            let target = port["targetPort"]
            if target.isNull || target.int == 0 || target.string == "" { port["targetPort"] = port["port"] }
        }
        if type == "NodePort" || type == "LoadBalancer" {
            svc.fillIfAbsent(["spec", "externalTrafficPolicy"], "Cluster")
        }
        if type == "LoadBalancer" { svc.fillIfAbsent(["spec", "allocateLoadBalancerNodePorts"], true) }
        if type != "ExternalName" {
            svc.fillIfAbsent(["spec", "internalTrafficPolicy"], "Cluster")
            if let ip = svc["spec"]["clusterIP"].string, !ip.isEmpty {
                svc.fillIfAbsent(["spec", "clusterIPs"], [.string(ip)])
            } else if let first = svc["spec"]["clusterIPs"][0].string, !first.isEmpty {
                svc[path: ["spec", "clusterIP"]] = .string(first)
            }
            svc.fillIfAbsent(["spec", "ipFamilyPolicy"], "SingleStack")
            svc.fillIfAbsent(["spec", "ipFamilies"], ["IPv4"])
        }
        svc.fillIfAbsent(["status", "loadBalancer"], .emptyObject)
    }

    /// Secret: type Opaque; `stringData` is base64-encoded into `data` and removed.
    public static func secret(_ secret: inout JSON) {
        guard secret.object != nil else { return }
        secret.fillIfAbsent(["type"], "Opaque")
        if let plain = secret["stringData"].object {
            var data = secret["data"].object ?? [:]
            for (key, value) in plain {
                if let text = value.string { data[key] = .string(Data(text.utf8).base64EncodedString()) }
            }
            secret["data"] = .object(data)
            secret["stringData"] = .null
        }
    }

    /// PersistentVolume: reclaim policy Retain, volume mode Filesystem, phase Pending.
    public static func persistentVolume(_ pv: inout JSON) {
        guard pv.object != nil else { return }
        pv.fillIfAbsent(["spec", "persistentVolumeReclaimPolicy"], "Retain")
        pv.fillIfAbsent(["spec", "volumeMode"], "Filesystem")
        if pv["spec"]["hostPath"].object != nil { pv.fillIfAbsent(["spec", "hostPath", "type"], "") }
        pv.fillIfAbsent(["status", "phase"], "Pending")
    }

    /// PersistentVolumeClaim: volume mode Filesystem, phase Pending.
    public static func persistentVolumeClaim(_ pvc: inout JSON) {
        guard pvc.object != nil else { return }
        pvc.fillIfAbsent(["spec", "volumeMode"], "Filesystem")
        pvc.fillIfAbsent(["status", "phase"], "Pending")
    }

    /// Endpoints: port protocol TCP.
    public static func endpoints(_ ep: inout JSON) {
        ep.updateEach("subsets") { subset in
            subset.updateEach("ports") { port in
                if port.object != nil { port.fillIfAbsent(["protocol"], "TCP") }
            }
        }
    }

    /// Node: allocatable equals capacity when not reported.
    public static func node(_ node: inout JSON) {
        guard node["status"]["capacity"].object != nil else { return }
        node.fillIfAbsent(["status", "allocatable"], node["status"]["capacity"])
    }

    /// LimitRange: for Container items, default limits come from max and default requests from
    /// the default limits (or min), as Kubernetes fills them.
    public static func limitRange(_ lr: inout JSON) {
        lr["spec"].updateEach("limits") { item in
            guard item["type"].string == "Container" else { return }
            var defaults = item["default"].object ?? [:]
            for (name, value) in item["max"].object ?? [:] where defaults[name] == nil { defaults[name] = value }
            var requests = item["defaultRequest"].object ?? [:]
            for (name, value) in defaults where requests[name] == nil { requests[name] = value }
            for (name, value) in item["min"].object ?? [:] where requests[name] == nil { requests[name] = value }
            if !defaults.isEmpty { item["default"] = .object(defaults) }
            if !requests.isEmpty { item["defaultRequest"] = .object(requests) }
        }
    }

    /// PodTemplate: the pod defaults of its template.
    public static func podTemplate(_ pt: inout JSON) {
        guard pt["template"].object != nil else { return }
        PodDefaults.applyToPodTemplate(&pt["template"])
    }
}
