import FlotillaCore
import Testing

@testable import FlotillaAPI

@Suite struct AppsValidationTests {
    typealias F = WorkloadFixtures

    private func deployment(_ spec: JSON = [:]) -> JSON {
        F.defaulted(AppsV1Resources.deployments, F.workload("Deployment", spec: spec))
    }

    @Test func validDeploymentPasses() {
        #expect(F.fields(AppsV1Resources.deployments, deployment()).isEmpty)
    }

    @Test(arguments: [
        (["replicas": -1] as JSON, "spec.replicas"),
        (["selector": ["matchLabels": ["app": "other"]]], "spec.template.metadata.labels"),
        (["selector": [:]], "spec.selector"),
        (["strategy": ["type": "Blue"]], "spec.strategy.type"),
        (["strategy": ["type": "Recreate", "rollingUpdate": ["maxSurge": 1]]], "spec.strategy.rollingUpdate"),
        (["strategy": ["type": "RollingUpdate", "rollingUpdate": ["maxSurge": 0, "maxUnavailable": "0%"]]], "spec.strategy.rollingUpdate.maxUnavailable"),
        (["strategy": ["type": "RollingUpdate", "rollingUpdate": ["maxSurge": "x%", "maxUnavailable": 1]]], "spec.strategy.rollingUpdate.maxSurge"),
        (["strategy": ["type": "RollingUpdate", "rollingUpdate": ["maxSurge": 1, "maxUnavailable": "150%"]]], "spec.strategy.rollingUpdate.maxUnavailable"),
        (["minReadySeconds": 700], "spec.progressDeadlineSeconds"),
        (["revisionHistoryLimit": -2], "spec.revisionHistoryLimit"),
    ] as [(JSON, String)])
    func deploymentRules(spec: JSON, field: String) {
        #expect(F.fields(AppsV1Resources.deployments, deployment(spec)).contains(field))
    }

    @Test func missingSelectorIsRequired() {
        var d = deployment()
        d[path: ["spec", "selector"]] = .null
        let causes = AppsV1Resources.deployments.validator?(d, nil) ?? []
        #expect(causes.contains { $0.field == "spec.selector" && $0.reason == "FieldValueRequired" })
    }

    @Test func selectorMismatchIsWordedAsKubernetesWordsIt() throws {
        let d = deployment(["selector": ["matchLabels": ["app": "other"]]])
        let cause = try #require(AppsV1Resources.deployments.validator?(d, nil).first { $0.field == "spec.template.metadata.labels" })
        #expect(cause.message == "Invalid value: map[string]string{\"app\":\"web\"}: `selector` does not match template `labels`")
        #expect(cause.reason == "FieldValueInvalid")
    }

    @Test func templateRestartPolicyMustBeAlways() {
        var d = deployment()
        d[path: ["spec", "template", "spec", "restartPolicy"]] = "Never"
        #expect(F.fields(AppsV1Resources.deployments, d).contains("spec.template.spec.restartPolicy"))
    }

    @Test func selectorIsImmutable() {
        let old = deployment()
        var new = old
        new[path: ["spec", "selector", "matchLabels", "tier"]] = "front"
        new[path: ["spec", "template", "metadata", "labels", "tier"]] = "front"
        let causes = AppsV1Resources.deployments.validator?(new, old) ?? []
        #expect(causes.map(\.field) == ["spec.selector"])
        #expect(causes.first?.message.hasSuffix("field is immutable") == true)
        #expect(F.fields(AppsV1Resources.deployments, old, old: old).isEmpty)
    }

    @Test func replicaSetRules() {
        let rs = F.defaulted(AppsV1Resources.replicaSets, F.workload("ReplicaSet", spec: ["replicas": -3]))
        #expect(F.fields(AppsV1Resources.replicaSets, rs) == ["spec.replicas"])
        var changed = rs
        changed[path: ["spec", "selector"]] = ["matchLabels": ["app": "web", "x": "y"]]
        #expect(F.fields(AppsV1Resources.replicaSets, changed, old: rs).contains("spec.selector"))
    }

    @Test func daemonSetRules() {
        let ok = F.defaulted(AppsV1Resources.daemonSets, F.workload("DaemonSet"))
        #expect(F.fields(AppsV1Resources.daemonSets, ok).isEmpty)
        var zero = ok
        zero[path: ["spec", "updateStrategy", "rollingUpdate"]] = ["maxUnavailable": 0, "maxSurge": 0]
        #expect(F.fields(AppsV1Resources.daemonSets, zero) == ["spec.updateStrategy.rollingUpdate.maxUnavailable"])
        var badType = ok
        badType[path: ["spec", "updateStrategy"]] = ["type": "Sometimes"]
        #expect(F.fields(AppsV1Resources.daemonSets, badType) == ["spec.updateStrategy.type"])
        var empty = ok
        empty[path: ["spec", "selector"]] = [:]
        #expect(F.fields(AppsV1Resources.daemonSets, empty) == ["spec.selector"])
    }

    @Test func statefulSetRules() {
        let ok = F.defaulted(AppsV1Resources.statefulSets, F.workload("StatefulSet", spec: ["serviceName": "web"]))
        #expect(F.fields(AppsV1Resources.statefulSets, ok).isEmpty)
        var bad = ok
        bad[path: ["spec", "podManagementPolicy"]] = "Random"
        bad[path: ["spec", "updateStrategy", "rollingUpdate", "partition"]] = -1
        bad[path: ["spec", "persistentVolumeClaimRetentionPolicy", "whenScaled"]] = "Keep"
        #expect(Set(F.fields(AppsV1Resources.statefulSets, bad)) == [
            "spec.podManagementPolicy", "spec.updateStrategy.rollingUpdate.partition",
            "spec.persistentVolumeClaimRetentionPolicy.whenScaled",
        ])
    }

    @Test func statefulSetContainersMayMountTheirClaimTemplates() {
        var set = F.defaulted(AppsV1Resources.statefulSets, F.workload("StatefulSet", spec: ["serviceName": "web"]))
        set[path: ["spec", "volumeClaimTemplates"]] = [["metadata": ["name": "data"], "spec": ["accessModes": ["ReadWriteOnce"]]]]
        func mounting(_ name: String) -> JSON {
            var containers = set[path: ["spec", "template", "spec", "containers"]].array ?? []
            containers[0]["volumeMounts"] = [["name": .string(name), "mountPath": "/data"]]
            var changed = set
            changed[path: ["spec", "template", "spec", "containers"]] = .array(containers)
            return changed
        }
        #expect(F.fields(AppsV1Resources.statefulSets, mounting("data")).isEmpty)
        set = mounting("other")
        #expect(F.fields(AppsV1Resources.statefulSets, set) == ["spec.template.spec.containers[0].volumeMounts[0].name"])
    }

    @Test func statefulSetSpecUpdatesAreLimited() {
        let old = F.defaulted(AppsV1Resources.statefulSets, F.workload("StatefulSet", spec: ["serviceName": "web"]))
        var scaled = old
        scaled[path: ["spec", "replicas"]] = 5
        scaled[path: ["spec", "template", "spec", "containers"]] = [["name": "nginx", "image": "nginx:1.28"]]
        #expect(F.fields(AppsV1Resources.statefulSets, scaled, old: old).isEmpty)
        var renamed = old
        renamed[path: ["spec", "serviceName"]] = "other"
        let causes = AppsV1Resources.statefulSets.validator?(renamed, old) ?? []
        #expect(causes.map(\.field) == ["spec"])
        #expect(causes.first?.reason == "FieldValueForbidden")
    }

    @Test func controllerRevisionDataIsImmutable() {
        let old: JSON = ["metadata": ["name": "web-1"], "data": ["spec": 1], "revision": 1]
        var new = old
        new["data"] = ["spec": 2]
        #expect(F.fields(AppsV1Resources.controllerRevisions, new, old: old) == ["data"])
        #expect(F.fields(AppsV1Resources.controllerRevisions, ["data": ["spec": 1], "revision": -1]) == ["revision"])
        #expect(F.fields(AppsV1Resources.controllerRevisions, ["revision": 1]) == ["data"])
        #expect(F.fields(AppsV1Resources.controllerRevisions, ["data": ["spec": 1]]) == ["revision"])
    }
}
