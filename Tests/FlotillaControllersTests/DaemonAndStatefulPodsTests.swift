import FlotillaCore
import Testing

@testable import FlotillaControllers

@Suite("Daemon set placement and stateful set pods")
struct DaemonAndStatefulPodsTests {
    let daemonSet: JSON = [
        "metadata": ["name": "agent", "namespace": "kube-system", "uid": "d1"],
        "spec": ["template": ["metadata": ["labels": ["app": "agent"]], "spec": ["nodeSelector": ["role": "edge"], "containers": [["name": "a", "image": "i"]]]]],
    ]

    func node(_ name: String, labels: JSON = ["role": "edge"], taints: JSON = []) -> JSON {
        ["metadata": ["name": .string(name), "labels": labels], "spec": ["taints": taints]]
    }

    @Test func daemonPodsGoWhereSelectorAndTaintsAllow() {
        let template = DaemonSetPlacement.template(of: daemonSet)
        #expect(DaemonSetPlacement.shouldRun(template, on: node("a")))
        #expect(!DaemonSetPlacement.shouldRun(template, on: node("b", labels: ["role": "core"])))
        #expect(!DaemonSetPlacement.shouldRun(template, on: node("c", taints: [["key": "dedicated", "value": "gpu", "effect": "NoSchedule"]])))
        // Troubled and cordoned nodes keep their daemons.
        #expect(DaemonSetPlacement.shouldRun(template, on: node("d", taints: [["key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"]])))
        #expect(DaemonSetPlacement.shouldRun(template, on: node("e", taints: [["key": "node.kubernetes.io/unreachable", "effect": "NoExecute"]])))
        // A PreferNoSchedule taint does not keep a daemon away.
        #expect(DaemonSetPlacement.shouldRun(template, on: node("f", taints: [["key": "x", "effect": "PreferNoSchedule"]])))
    }

    @Test func aDaemonPodIsPinnedToItsNode() {
        let pinned = DaemonSetPlacement.pinned(DaemonSetPlacement.template(of: daemonSet), to: "edge-1")
        #expect(DaemonSetPlacement.node(of: ["spec": pinned["spec"]]) == "edge-1")
        #expect(DaemonSetPlacement.node(of: ["spec": ["nodeName": "edge-2"]]) == "edge-2")
        #expect(DaemonSetPlacement.node(of: ["spec": [:]]) == nil)
    }

    @Test func statefulPodsHaveStableNamesAndClaims() {
        let set: JSON = [
            "metadata": ["name": "db", "namespace": "shop", "uid": "s1"],
            "spec": [
                "serviceName": "db", "selector": ["matchLabels": ["app": "db"]],
                "template": ["metadata": ["labels": ["app": "db"]], "spec": ["containers": [["name": "c", "image": "i"]]]],
                "volumeClaimTemplates": [["metadata": ["name": "data"], "spec": ["accessModes": ["ReadWriteOnce"]]]],
            ],
        ]
        let pod = StatefulSetPods.make(set: set, ordinal: 2, revision: "db-abc", ownerReference: ["uid": "s1"])
        #expect(pod["metadata"]["name"].string == "db-2")
        #expect(pod["metadata"]["generateName"].isNull)
        #expect(pod["spec"]["hostname"].string == "db-2")
        #expect(pod["spec"]["subdomain"].string == "db")
        #expect(pod["metadata"]["labels"][StatefulSetPods.podNameLabel].string == "db-2")
        #expect(pod["spec"]["volumes"][0]["persistentVolumeClaim"]["claimName"].string == "data-db-2")
        let claims = StatefulSetPods.claims(of: set, ordinal: 2)
        #expect(claims.count == 1)
        #expect(claims[0]["metadata"]["name"].string == "data-db-2")
        #expect(claims[0]["metadata"]["labels"]["app"].string == "db")
        #expect(StatefulSetPods.ordinal(of: "db-10", set: "db") == 10)
        #expect(StatefulSetPods.ordinal(of: "db-01", set: "db") == nil)
        #expect(StatefulSetPods.ordinal(of: "dbx-1", set: "db") == nil)
    }
}
