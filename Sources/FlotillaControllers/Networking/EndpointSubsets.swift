import FlotillaCore

/// The `subsets` of a service's Endpoints object, computed from the pods its selector matches,
/// as Kubernetes' endpoints controller packs them: addresses that resolve the same set of ports
/// share one subset; Ready pods go to `addresses`, the others to `notReadyAddresses` (all to
/// `addresses` when the service publishes not-ready addresses). Everything is sorted, so the
/// same pods always give the same JSON.
enum EndpointSubsets {
    /// The subsets for `service` over `pods` (already matched by its selector).
    static func make(service: JSON, pods: [JSON]) -> [JSON] {
        let publishNotReady = service["spec"]["publishNotReadyAddresses"].bool ?? false
        let headless = service["spec"]["clusterIP"].string == "None"
        let hasPorts = !(service["spec"]["ports"].array ?? []).isEmpty
        var groups: [[ServicePort]: (ready: [JSON], notReady: [JSON])] = [:]
        for pod in pods where EndpointPods.isCandidate(pod, includeTerminating: publishNotReady) {
            let ports = ServicePort.resolve(service, for: pod).sorted()
            // A port-less service has endpoints only when headless; otherwise a pod resolving
            // none of the service's ports serves nothing.
            if hasPorts ? ports.isEmpty : !headless { continue }
            let address = address(for: pod, service: service)
            if publishNotReady || PodState.isReady(pod) {
                groups[ports, default: ([], [])].ready.append(address)
            } else {
                groups[ports, default: ([], [])].notReady.append(address)
            }
        }
        return groups.sorted { $0.key.lexicographicallyPrecedes($1.key) }.map { ports, addresses in
            var subset: JSON = .emptyObject
            if !addresses.ready.isEmpty { subset["addresses"] = .array(addresses.ready.sorted(by: precedes)) }
            if !addresses.notReady.isEmpty { subset["notReadyAddresses"] = .array(addresses.notReady.sorted(by: precedes)) }
            if !ports.isEmpty { subset["ports"] = .array(ports.map(\.endpointsJSON)) }
            return subset
        }
    }

    /// The pod's `EndpointAddress`.
    static func address(for pod: JSON, service: JSON) -> JSON {
        var address: JSON = ["ip": .string(EndpointPods.ip(pod) ?? "")]
        if let hostname = EndpointPods.hostname(pod, service: service) { address["hostname"] = .string(hostname) }
        if let node = pod["spec"]["nodeName"].string, !node.isEmpty { address["nodeName"] = .string(node) }
        address["targetRef"] = EndpointPods.targetRef(pod)
        return address
    }

    /// Addresses in order of IP (numerically), then of the pod's uid.
    private static func precedes(_ a: JSON, _ b: JSON) -> Bool {
        let ipA = a["ip"].string.flatMap(IPv4Address.init) ?? IPv4Address(0)
        let ipB = b["ip"].string.flatMap(IPv4Address.init) ?? IPv4Address(0)
        if ipA != ipB { return ipA < ipB }
        return (a["targetRef"]["uid"].string ?? "") < (b["targetRef"]["uid"].string ?? "")
    }
}
