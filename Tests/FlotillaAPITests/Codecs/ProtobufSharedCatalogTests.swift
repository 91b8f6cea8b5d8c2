import FlotillaAPI
import FlotillaCore
import Foundation
import Testing

/// The captured kubectl bodies decoded with the built-in catalogs: every field number kubectl
/// sends must be known to the real schemas, and the values land under the right JSON names.
@Suite("ProtobufRequestDecoder with the built-in schemas")
struct ProtobufSharedCatalogTests {
    let decoder = ProtobufRequestDecoder()

    func decode(_ base64: String) throws -> JSON {
        try decoder.decode(CapturedKubectlBodies.bytes(base64)).object
    }

    @Test(arguments: CapturedKubectlBodies.all)
    func everyNumberIsKnown(name: String, base64: String) throws {
        let d = try decoder.decode(CapturedKubectlBodies.bytes(base64))
        #expect(d.unknownFields == [], "\(name)")
        #expect(d.object["metadata"].object != nil, "\(name)")
    }

    @Test func deployment() throws {
        let o = try decode(CapturedKubectlBodies.deployment)
        #expect(o["apiVersion"] == "apps/v1")
        #expect(o[path: ["spec", "replicas"]] == 2)
        #expect(o[path: ["spec", "selector", "matchLabels"]] == ["app": "d"])
        let container = o[path: ["spec", "template", "spec", "containers"]][0]
        #expect(container["name"] == "nginx")
        #expect(container["image"] == "nginx")
        #expect(container["resources"] == .emptyObject)
        #expect(o[path: ["spec", "strategy"]] == .emptyObject)
        #expect(o[path: ["metadata", "creationTimestamp"]].isNull)
    }

    @Test func job() throws {
        let o = try decode(CapturedKubectlBodies.job)
        #expect(o[path: ["spec", "template", "spec", "restartPolicy"]] == "Never")
        #expect(o[path: ["spec", "template", "spec", "containers"]][0]["image"] == "busybox")
    }

    @Test func service() throws {
        let o = try decode(CapturedKubectlBodies.service)
        let port = o[path: ["spec", "ports"]][0]
        #expect(port["port"] == 80)
        #expect(port["targetPort"] == 8080)
        #expect(port["protocol"] == "TCP")
        #expect(o[path: ["spec", "type"]] == "ClusterIP")
        #expect(o[path: ["spec", "clusterIP"]].isNull)
    }

    @Test func secretAndConfigMap() throws {
        #expect(try decode(CapturedKubectlBodies.secret)["data"] == ["a": "Yg=="])
        #expect(try decode(CapturedKubectlBodies.configMap)["data"] == ["a": "b"])
    }

    @Test func selfSubjectAccessReview() throws {
        let o = try decode(CapturedKubectlBodies.canI)
        #expect(o["kind"] == "SelfSubjectAccessReview")
        #expect(o[path: ["spec", "resourceAttributes"]] == ["namespace": "default", "verb": "get", "resource": "pods"])
    }
}

/// Kinds beyond the workloads: access reviews, tokens, RBAC, policy, quotas.
@Suite("ProtobufRequestDecoder with the built-in schemas: other kinds")
struct ProtobufOtherKindsTests {
    let decoder = ProtobufRequestDecoder()

    func decode(_ base64: String) throws -> JSON {
        try decoder.decode(CapturedKubectlBodies.bytes(base64)).object
    }

    @Test func explicitZeroReplicasSurvive() throws {
        let o = try decode(CapturedKubectlBodies.deploymentWithZeroReplicas)
        #expect(o[path: ["spec", "replicas"]] == 0)
        #expect(o[path: ["spec", "template", "spec", "containers"]][0]["ports"][0]["containerPort"] == 8080)
    }

    @Test func rbac() throws {
        let role = try decode(CapturedKubectlBodies.role)
        #expect(role["rules"][1] == ["verbs": ["get", "list"], "apiGroups": ["apps"], "resources": ["deployments"]])
        let clusterRole = try decode(CapturedKubectlBodies.clusterRole)
        #expect(clusterRole["rules"][1] == ["verbs": ["get"], "nonResourceURLs": ["/healthz"]])
        let binding = try decode(CapturedKubectlBodies.roleBinding)
        #expect(binding["roleRef"] == ["apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "r"])
        #expect(binding["subjects"][1] == ["kind": "ServiceAccount", "name": "default", "namespace": "default"])
    }

    @Test func policyQuotaAndPriority() throws {
        #expect(try decode(CapturedKubectlBodies.podDisruptionBudget)[path: ["spec", "minAvailable"]] == "50%")
        #expect(try decode(CapturedKubectlBodies.resourceQuota)[path: ["spec", "hard"]] == ["cpu": "2", "memory": "1Gi", "pods": "10"])
        let pc = try decode(CapturedKubectlBodies.priorityClass)
        #expect(pc["value"] == 1000)
        #expect(pc["description"] == "important")
    }

    @Test func reviewsAndTokens() throws {
        #expect(try decode(CapturedKubectlBodies.selfSubjectRulesReview)[path: ["spec", "namespace"]] == "default")
        #expect(try decode(CapturedKubectlBodies.selfSubjectReview)["kind"] == "SelfSubjectReview")
        #expect(try decode(CapturedKubectlBodies.tokenRequest)["spec"] == .emptyObject)
        let cron = try decode(CapturedKubectlBodies.cronJob)
        #expect(cron[path: ["spec", "schedule"]] == "*/5 * * * *")
        #expect(cron[path: ["spec", "jobTemplate", "spec", "template", "spec", "containers"]][0]["command"] == ["echo", "hi"])
    }
}
