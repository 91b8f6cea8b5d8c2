import FlotillaCore
import Foundation
import Testing

@testable import FlotillaAPI

@Suite struct AppsColumnsTests {
    let now = Date(timeIntervalSince1970: 1_700_000_000)

    private func cells(_ resource: ResourceDefinition, _ object: JSON, wide: Bool = false) -> [String: JSON] {
        var out: [String: JSON] = [:]
        for column in resource.columns where wide || column.priority == 0 { out[column.name] = column.cell(object, now) }
        return out
    }

    private var deployment: JSON {
        var d = WorkloadFixtures.workload("Deployment", spec: ["replicas": 3])
        d[path: ["metadata", "creationTimestamp"]] = .string(Timestamp.format(now.addingTimeInterval(-302)))
        d["status"] = ["readyReplicas": 2, "updatedReplicas": 3, "availableReplicas": 2]
        return d
    }

    @Test func deploymentColumns() {
        let resource = AppsV1Resources.deployments
        #expect(resource.columns.filter { $0.priority == 0 }.map(\.name) == ["Ready", "Up-to-date", "Available", "Age"])
        #expect(resource.columns.filter { $0.priority == 1 }.map(\.name) == ["Containers", "Images", "Selector"])
        let c = cells(resource, deployment, wide: true)
        #expect(c["Ready"] == "2/3")
        #expect(c["Up-to-date"] == 3)
        #expect(c["Available"] == 2)
        #expect(c["Age"] == "5m2s")
        #expect(c["Containers"] == "nginx")
        #expect(c["Images"] == "nginx:1.27")
        #expect(c["Selector"] == "app=web")
    }

    @Test func emptyStatusPrintsZeros() {
        let c = cells(AppsV1Resources.deployments, WorkloadFixtures.workload("Deployment", spec: ["replicas": 1]))
        #expect(c["Ready"] == "0/1")
        #expect(c["Available"] == 0)
    }

    @Test func replicaSetColumns() {
        var rs = WorkloadFixtures.workload("ReplicaSet", spec: ["replicas": 2])
        rs["status"] = ["replicas": 2, "readyReplicas": 1]
        let c = cells(AppsV1Resources.replicaSets, rs)
        #expect(c["Desired"] == 2)
        #expect(c["Current"] == 2)
        #expect(c["Ready"] == 1)
    }

    @Test func daemonSetColumns() {
        var ds = WorkloadFixtures.workload("DaemonSet")
        ds["status"] = ["desiredNumberScheduled": 3, "currentNumberScheduled": 3, "numberReady": 2, "updatedNumberScheduled": 3, "numberAvailable": 2]
        var c = cells(AppsV1Resources.daemonSets, ds)
        #expect(AppsV1Resources.daemonSets.columns.filter { $0.priority == 0 }.map(\.name)
            == ["Desired", "Current", "Ready", "Up-to-date", "Available", "Node Selector", "Age"])
        #expect(c["Node Selector"] == "<none>")
        #expect(c["Ready"] == 2)
        ds[path: ["spec", "template", "spec", "nodeSelector"]] = ["zone": "b", "disk": "ssd"]
        c = cells(AppsV1Resources.daemonSets, ds)
        #expect(c["Node Selector"] == "disk=ssd,zone=b")
    }

    @Test func statefulSetColumns() {
        var sts = WorkloadFixtures.workload("StatefulSet", spec: ["replicas": 3])
        sts["status"] = ["readyReplicas": 3]
        #expect(cells(AppsV1Resources.statefulSets, sts)["Ready"] == "3/3")
    }

    @Test func selectorWithExpressions() {
        let selector: JSON = [
            "matchLabels": ["app": "web"],
            "matchExpressions": [["key": "tier", "operator": "In", "values": ["b", "a"]], ["key": "canary", "operator": "DoesNotExist"]],
        ]
        #expect(WorkloadColumns.selectorText(selector) == "app=web,!canary,tier in (a,b)")
        #expect(WorkloadColumns.selectorText([:]) == "<none>")
    }

    @Test func controllerRevisionController() {
        let revision: JSON = [
            "metadata": ["ownerReferences": [["apiVersion": "apps/v1", "kind": "DaemonSet", "name": "agent", "controller": true]]],
            "revision": 4,
        ]
        let c = cells(AppsV1Resources.controllerRevisions, revision)
        #expect(c["Controller"] == "daemonset.apps/agent")
        #expect(c["Revision"] == 4)
        #expect(cells(AppsV1Resources.controllerRevisions, ["revision": 1])["Controller"] == "<none>")
    }
}
