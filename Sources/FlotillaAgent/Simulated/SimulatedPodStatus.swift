import FlotillaCore

/// The status a hollow node reports for a pod bound to it: Running at once, every container
/// started and ready, every init container completed. Nothing runs.
enum SimulatedPodStatus {
    /// The `status` of `pod` running on a hollow node with address `hostIP`.
    static func running(_ pod: JSON, hostIP: String, podIP: String, now: String) -> JSON {
        let spec = pod["spec"]
        let podIP = spec["hostNetwork"].bool == true ? hostIP : podIP
        let uid = pod[path: ["metadata", "uid"]].string ?? ""
        func containerStatus(_ container: JSON, running: Bool) -> JSON {
            let name = container["name"].string ?? ""
            let state: JSON = running
                ? ["running": ["startedAt": .string(now)]]
                : ["terminated": [
                    "exitCode": 0, "reason": "Completed", "startedAt": .string(now), "finishedAt": .string(now),
                    "containerID": .string("simulated://\(uid)/\(name)"),
                ]]
            return [
                "name": .string(name), "image": container["image"], "imageID": "",
                "containerID": .string("simulated://\(uid)/\(name)"), "ready": .bool(running), "started": .bool(running),
                "restartCount": 0, "state": state,
            ]
        }
        func condition(_ type: String) -> JSON {
            ["type": .string(type), "status": "True", "lastProbeTime": nil, "lastTransitionTime": .string(now)]
        }
        var status: JSONObject = [
            "phase": "Running",
            "conditions": [
                condition("PodReadyToStartContainers"), condition("Initialized"), condition("Ready"),
                condition("ContainersReady"), condition("PodScheduled"),
            ],
            "hostIP": .string(hostIP), "hostIPs": [["ip": .string(hostIP)]],
            "podIP": .string(podIP), "podIPs": [["ip": .string(podIP)]],
            "startTime": .string(now),
            "containerStatuses": .array((spec["containers"].array ?? []).map { containerStatus($0, running: true) }),
        ]
        if let initContainers = spec["initContainers"].array, !initContainers.isEmpty {
            status["initContainerStatuses"] = .array(initContainers.map { containerStatus($0, running: false) })
        }
        if let qos = pod["status"]["qosClass"].string { status["qosClass"] = .string(qos) }
        return .object(status)
    }
}
