import FlotillaCore

/// What the endpoints and endpoint slice controllers read from a pod: whether it belongs
/// behind a service at all, its address, and the reference and host name its endpoint carries.
enum EndpointPods {
    /// The pod's IPv4 address, if it has one.
    static func ip(_ pod: JSON) -> String? {
        guard let text = pod["status"]["podIP"].string, IPv4Address(text) != nil else { return nil }
        return text
    }

    /// Whether the pod is being deleted.
    static func isTerminating(_ pod: JSON) -> Bool {
        !pod["metadata"]["deletionTimestamp"].isNull
    }

    /// Whether the pod belongs in a service's endpoints: it has an address, has not finished
    /// (Succeeded or Failed), and is not being deleted unless `includeTerminating`.
    static func isCandidate(_ pod: JSON, includeTerminating: Bool) -> Bool {
        guard ip(pod) != nil else { return false }
        let phase = pod["status"]["phase"].string ?? ""
        if phase == "Succeeded" || phase == "Failed" { return false }
        return includeTerminating || !isTerminating(pod)
    }

    /// The pod's `spec.hostname` when its `spec.subdomain` names the service (the pod's DNS
    /// name is then `<hostname>.<service>.<namespace>.svc`).
    static func hostname(_ pod: JSON, service: JSON) -> String? {
        guard let hostname = pod["spec"]["hostname"].string, !hostname.isEmpty,
            pod["spec"]["subdomain"].string == service["metadata"]["name"].string
        else { return nil }
        return hostname
    }

    /// The endpoint's `targetRef`: the pod.
    static func targetRef(_ pod: JSON) -> JSON {
        [
            "kind": "Pod", "namespace": pod["metadata"]["namespace"], "name": pod["metadata"]["name"],
            "uid": pod["metadata"]["uid"],
        ]
    }

    /// Whether anything an endpoint depends on differs between two states of a pod; the other
    /// status updates (container states, restarts) leave endpoints as they are.
    static func changed(_ old: JSON, _ new: JSON) -> Bool {
        relevant(old) != relevant(new)
    }

    private static func relevant(_ pod: JSON) -> [JSON] {
        let ready = (pod["status"]["conditions"].array ?? []).first { $0["type"].string == "Ready" }?["status"] ?? .null
        return [
            pod["metadata"]["labels"], pod["metadata"]["deletionTimestamp"], pod["status"]["podIP"], pod["status"]["phase"], ready,
            pod["spec"]["hostname"], pod["spec"]["subdomain"], pod["spec"]["nodeName"],
            .array((pod["spec"]["containers"].array ?? []).map { $0["ports"] }),
        ]
    }
}
