import FlotillaCore

/// What the scheduler needs to know about a pod, decoded once from its JSON when the informer
/// reports it, so that a scheduling cycle never reads JSON.
public final class PodInfo: Sendable, CustomStringConvertible {
    /// `namespace/name`, the informer's key.
    public let key: String
    public let namespace: String
    public let name: String
    public let uid: String
    public let labels: [String: String]
    /// `spec.nodeName`; empty while the pod is pending.
    public let nodeName: String
    /// `spec.schedulerName`; empty means `default-scheduler`.
    public let schedulerName: String
    /// `spec.priority`, or the value of its `priorityClassName` when the pod has none.
    public let priority: Int32
    /// `spec.preemptionPolicy: Never`: the pod waits instead of evicting others.
    public let neverPreempts: Bool
    /// Whether `spec.schedulingGates` holds the pod back from scheduling.
    public let isSchedulingGated: Bool
    public let requests: PodRequests
    public let hostPorts: [HostPort]
    public let placement: RequiredNodePlacement
    public let preferredNodeTerms: [WeightedNodeSelectorTerm]
    public let tolerations: [Toleration]
    public let requiredAffinity: [PodAffinityTerm]
    public let requiredAntiAffinity: [PodAffinityTerm]
    public let preferredAffinity: [PodAffinityTerm]
    public let preferredAntiAffinity: [PodAffinityTerm]
    public let spreadConstraints: [TopologySpreadConstraint]
    /// The PersistentVolumeClaims the pod's volumes use (`persistentVolumeClaim.claimName`, and
    /// `<pod>-<volume>` for generic ephemeral volumes).
    public let claimNames: [String]
    public let marathonConstraints: [MarathonConstraint]
    /// Why the `flotilla.io/constraints` annotation could not be read, if it could not.
    public let constraintsError: String?
    public let ownerGroup: OwnerGroup
    /// Whether the pod has a `deletionTimestamp`.
    public let isTerminating: Bool
    /// `status.phase`.
    public let phase: String
    /// `status.nominatedNodeName`.
    public let nominatedNodeName: String
    /// The message of the pod's `PodScheduled=False` condition, if it has one.
    public let unschedulableMessage: String?
    /// `status.startTime`, else `metadata.creationTimestamp` (RFC 3339).
    public let startTime: String
    /// Changes whenever something scheduling depends on changes (spec, labels, constraints),
    /// but not for status updates.
    public let schedulingHash: Int

    /// Decodes a pod; `priorityOfClass` gives the value of a PriorityClass by name ("" asks
    /// for the global default class) when the pod carries no `spec.priority`.
    public init(json pod: JSON, priorityOfClass: (String) -> Int32? = { _ in nil }) {
        let metadata = pod["metadata"]
        let spec = pod["spec"]
        let status = pod["status"]
        let namespace = metadata["namespace"].string ?? ""
        self.namespace = namespace
        let podName = metadata["name"].string ?? ""
        name = podName
        key = namespace.isEmpty ? podName : namespace + "/" + podName
        uid = metadata["uid"].string ?? ""
        var labels: [String: String] = [:]
        for (key, value) in metadata["labels"].object ?? [:] { labels[key] = value.string ?? "" }
        self.labels = labels
        nodeName = spec["nodeName"].string ?? ""
        schedulerName = spec["schedulerName"].string ?? ""
        if let value = spec["priority"].int {
            priority = Int32(clamping: value)
        } else {
            priority = priorityOfClass(spec["priorityClassName"].string ?? "") ?? 0
        }
        neverPreempts = spec["preemptionPolicy"].string == "Never"
        isSchedulingGated = !(spec["schedulingGates"].array ?? []).isEmpty
        requests = PodRequests(spec: spec)
        hostPorts = HostPort.ofPodSpec(spec)

        var selector: [String: String] = [:]
        for (key, value) in spec["nodeSelector"].object ?? [:] { selector[key] = value.string ?? "" }
        let nodeAffinity = spec["affinity"]["nodeAffinity"]
        let required = nodeAffinity["requiredDuringSchedulingIgnoredDuringExecution"]
        placement = RequiredNodePlacement(
            nodeSelector: selector,
            terms: required.isNull ? nil : (required["nodeSelectorTerms"].array ?? []).map { NodeSelectorTerm(json: $0) })
        preferredNodeTerms = (nodeAffinity["preferredDuringSchedulingIgnoredDuringExecution"].array ?? []).map {
            WeightedNodeSelectorTerm(weight: $0["weight"].int ?? 0, term: NodeSelectorTerm(json: $0["preference"]))
        }
        tolerations = (spec["tolerations"].array ?? []).map { Toleration(json: $0) }

        let affinity = spec["affinity"]["podAffinity"]
        let antiAffinity = spec["affinity"]["podAntiAffinity"]
        let requiredKey = "requiredDuringSchedulingIgnoredDuringExecution"
        let preferredKey = "preferredDuringSchedulingIgnoredDuringExecution"
        requiredAffinity = PodAffinityTerm.required(affinity[requiredKey], namespace: namespace, podLabels: labels)
        requiredAntiAffinity = PodAffinityTerm.required(antiAffinity[requiredKey], namespace: namespace, podLabels: labels)
        preferredAffinity = PodAffinityTerm.preferred(affinity[preferredKey], namespace: namespace, podLabels: labels)
        preferredAntiAffinity = PodAffinityTerm.preferred(antiAffinity[preferredKey], namespace: namespace, podLabels: labels)
        spreadConstraints = (spec["topologySpreadConstraints"].array ?? []).map {
            TopologySpreadConstraint(json: $0, namespace: namespace, podLabels: labels)
        }

        claimNames = (spec["volumes"].array ?? []).compactMap { volume in
            if let claim = volume["persistentVolumeClaim"]["claimName"].string { return claim }
            if !volume["ephemeral"].isNull, let volumeName = volume["name"].string { return "\(podName)-\(volumeName)" }
            return nil
        }

        let constraintsText = metadata["annotations"][MarathonConstraint.annotation].string
        var constraints: [MarathonConstraint] = []
        var constraintsError: String?
        if let constraintsText {
            do {
                constraints = try MarathonConstraint.parse(constraintsText)
            } catch {
                constraintsError = error.message
            }
        }
        marathonConstraints = constraints
        self.constraintsError = constraintsError
        ownerGroup = OwnerGroup(metadata: metadata, labels: labels)
        isTerminating = !metadata["deletionTimestamp"].isNull
        phase = status["phase"].string ?? ""
        nominatedNodeName = status["nominatedNodeName"].string ?? ""
        unschedulableMessage = Self.unschedulableMessage(status)
        startTime = status["startTime"].string ?? metadata["creationTimestamp"].string ?? ""

        var hasher = Hasher()
        hasher.combine(spec)
        hasher.combine(metadata["labels"])
        hasher.combine(constraintsText)
        hasher.combine(isTerminating)
        schedulingHash = hasher.finalize()
    }

    /// The same pod as reported later in its life: bound, running or finished, with nothing
    /// else that scheduling reads changed (the caller checks that), so the informer's report of
    /// a binding or a phase needs no second decoding of the pod. The scheduling hash stays the
    /// pending pod's: a bound pod is never queued, where the hash is compared.
    public func progressed(to pod: JSON) -> PodInfo {
        PodInfo(self, progressedTo: pod)
    }

    private init(_ earlier: PodInfo, progressedTo pod: JSON) {
        let status = pod["status"]
        key = earlier.key
        namespace = earlier.namespace
        name = earlier.name
        uid = earlier.uid
        labels = earlier.labels
        nodeName = pod["spec"]["nodeName"].string ?? ""
        schedulerName = earlier.schedulerName
        priority = earlier.priority
        neverPreempts = earlier.neverPreempts
        isSchedulingGated = earlier.isSchedulingGated
        requests = earlier.requests
        hostPorts = earlier.hostPorts
        placement = earlier.placement
        preferredNodeTerms = earlier.preferredNodeTerms
        tolerations = earlier.tolerations
        requiredAffinity = earlier.requiredAffinity
        requiredAntiAffinity = earlier.requiredAntiAffinity
        preferredAffinity = earlier.preferredAffinity
        preferredAntiAffinity = earlier.preferredAntiAffinity
        spreadConstraints = earlier.spreadConstraints
        claimNames = earlier.claimNames
        marathonConstraints = earlier.marathonConstraints
        constraintsError = earlier.constraintsError
        ownerGroup = earlier.ownerGroup
        isTerminating = earlier.isTerminating
        phase = status["phase"].string ?? ""
        nominatedNodeName = status["nominatedNodeName"].string ?? ""
        unschedulableMessage = Self.unschedulableMessage(status)
        startTime = status["startTime"].string ?? pod["metadata"]["creationTimestamp"].string ?? ""
        schedulingHash = earlier.schedulingHash
    }

    private static func unschedulableMessage(_ status: JSON) -> String? {
        let scheduled = (status["conditions"].array ?? []).first { $0["type"].string == "PodScheduled" }
        return scheduled.flatMap { $0["status"].string == "False" ? ($0["message"].string ?? "") : nil }
    }

    /// Whether the pod states any inter-pod affinity or anti-affinity term.
    public var hasPodAffinity: Bool {
        !requiredAffinity.isEmpty || !requiredAntiAffinity.isEmpty || !preferredAffinity.isEmpty || !preferredAntiAffinity.isEmpty
    }

    /// Whether the pod has finished (its resources are free again).
    public var isFinished: Bool { phase == "Succeeded" || phase == "Failed" }

    public var description: String { key }
}
