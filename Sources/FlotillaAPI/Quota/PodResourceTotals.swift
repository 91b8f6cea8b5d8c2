import FlotillaCore

/// The requests and limits of a whole pod, summed as Kubernetes does (`PodRequests`,
/// `PodLimits`): its containers add up, each ordinary init container needs its own amount plus
/// the sidecars (init containers with `restartPolicy: Always`) started before it, the pod needs
/// the larger of the two, and `spec.overhead` adds to every resource the pod names.
public enum PodResourceTotals {
    /// The pod's requests.
    public static func requests(_ spec: JSON) -> ResourceList { total(spec, "requests") }

    /// The pod's limits.
    public static func limits(_ spec: JSON) -> ResourceList { total(spec, "limits") }

    private static func total(_ spec: JSON, _ list: String) -> ResourceList {
        var sum = ResourceList()
        var sidecars = ResourceList()
        var largestInit = ResourceList()
        for container in spec["initContainers"].array ?? [] {
            let own = ResourceList(json: container["resources"][list])
            if container["restartPolicy"].string == "Always" {
                sum = sum + own
                sidecars = sidecars + own
                largestInit = .largest(largestInit, sidecars)
            } else {
                largestInit = .largest(largestInit, own + sidecars)
            }
        }
        for container in spec["containers"].array ?? [] {
            sum = sum + ResourceList(json: container["resources"][list])
        }
        var result = ResourceList.largest(sum, largestInit)
        for (name, q) in ResourceList(json: spec["overhead"]).values where result[name] != nil {
            result.add(name, q)
        }
        return result
    }
}
