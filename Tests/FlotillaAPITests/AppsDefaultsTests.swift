import FlotillaCore
import Foundation
import Testing

@testable import FlotillaAPI

/// Objects the apps and batch tests start from.
enum WorkloadFixtures {
    static let template: JSON = [
        "metadata": ["labels": ["app": "web"]],
        "spec": ["containers": [["name": "nginx", "image": "nginx:1.27"]]],
    ]

    static func workload(_ kind: String, spec extra: JSON = [:]) -> JSON {
        var spec: JSON = ["selector": ["matchLabels": ["app": "web"]], "template": template]
        for (k, v) in extra.object ?? [:] { spec[k] = v }
        return ["apiVersion": "apps/v1", "kind": .string(kind), "metadata": ["name": "web", "namespace": "default"], "spec": spec]
    }

    /// The object after the resource's defaulter.
    static func defaulted(_ resource: ResourceDefinition, _ object: JSON) -> JSON {
        var o = object
        resource.defaulter?(&o)
        return o
    }

    /// The field paths of the problems the resource's validator finds.
    static func fields(_ resource: ResourceDefinition, _ object: JSON, old: JSON? = nil) -> [String] {
        resource.validator?(object, old).map(\.field) ?? []
    }
}

@Suite struct AppsDefaultsTests {
    @Test func deploymentDefaults() {
        let d = WorkloadFixtures.defaulted(AppsV1Resources.deployments, WorkloadFixtures.workload("Deployment"))
        #expect(d[path: ["spec", "replicas"]] == 1)
        #expect(d[path: ["spec", "strategy", "type"]] == "RollingUpdate")
        #expect(d[path: ["spec", "strategy", "rollingUpdate", "maxSurge"]] == "25%")
        #expect(d[path: ["spec", "strategy", "rollingUpdate", "maxUnavailable"]] == "25%")
        #expect(d[path: ["spec", "revisionHistoryLimit"]] == 10)
        #expect(d[path: ["spec", "progressDeadlineSeconds"]] == 600)
        #expect(d[path: ["spec", "template", "spec", "restartPolicy"]] == "Always")
    }

    @Test func deploymentKeepsGivenValues() {
        let d = WorkloadFixtures.defaulted(
            AppsV1Resources.deployments,
            WorkloadFixtures.workload("Deployment", spec: ["replicas": 0, "strategy": ["type": "Recreate"], "revisionHistoryLimit": 2]))
        #expect(d[path: ["spec", "replicas"]] == 0)
        #expect(d[path: ["spec", "strategy"]] == ["type": "Recreate"])
        #expect(d[path: ["spec", "revisionHistoryLimit"]] == 2)
    }

    @Test func rollingUpdateFillsOnlyTheMissingLimit() {
        let d = WorkloadFixtures.defaulted(
            AppsV1Resources.deployments,
            WorkloadFixtures.workload("Deployment", spec: ["strategy": ["rollingUpdate": ["maxSurge": 2]]]))
        #expect(d[path: ["spec", "strategy", "rollingUpdate", "maxSurge"]] == 2)
        #expect(d[path: ["spec", "strategy", "rollingUpdate", "maxUnavailable"]] == "25%")
    }

    @Test func replicaSetDefaults() {
        let rs = WorkloadFixtures.defaulted(AppsV1Resources.replicaSets, WorkloadFixtures.workload("ReplicaSet"))
        #expect(rs[path: ["spec", "replicas"]] == 1)
    }

    @Test func daemonSetDefaults() {
        let ds = WorkloadFixtures.defaulted(AppsV1Resources.daemonSets, WorkloadFixtures.workload("DaemonSet"))
        #expect(ds[path: ["spec", "updateStrategy"]] == ["type": "RollingUpdate", "rollingUpdate": ["maxUnavailable": 1, "maxSurge": 0]])
        #expect(ds[path: ["spec", "revisionHistoryLimit"]] == 10)
        #expect(ds[path: ["spec", "replicas"]].isNull)
    }

    @Test func statefulSetDefaults() {
        let claim: JSON = ["metadata": ["name": "data"], "spec": ["accessModes": ["ReadWriteOnce"]]]
        let sts = WorkloadFixtures.defaulted(
            AppsV1Resources.statefulSets, WorkloadFixtures.workload("StatefulSet", spec: ["volumeClaimTemplates": [claim]]))
        #expect(sts[path: ["spec", "replicas"]] == 1)
        #expect(sts[path: ["spec", "podManagementPolicy"]] == "OrderedReady")
        #expect(sts[path: ["spec", "updateStrategy"]] == ["type": "RollingUpdate", "rollingUpdate": ["partition": 0]])
        #expect(sts[path: ["spec", "revisionHistoryLimit"]] == 10)
        #expect(sts[path: ["spec", "persistentVolumeClaimRetentionPolicy"]] == ["whenDeleted": "Retain", "whenScaled": "Retain"])
        let defaultedClaim = sts[path: ["spec", "volumeClaimTemplates"]][0]
        #expect(defaultedClaim[path: ["spec", "volumeMode"]] == "Filesystem")
        #expect(defaultedClaim["kind"] == "PersistentVolumeClaim")
        #expect(defaultedClaim[path: ["status", "phase"]] == "Pending")
    }

    @Test func onDeleteStatefulSetGetsNoPartition() {
        let sts = WorkloadFixtures.defaulted(
            AppsV1Resources.statefulSets, WorkloadFixtures.workload("StatefulSet", spec: ["updateStrategy": ["type": "OnDelete"]]))
        #expect(sts[path: ["spec", "updateStrategy"]] == ["type": "OnDelete"])
    }
}
