import FlotillaCore
import Testing

@testable import FlotillaAPI

@Suite struct OtherGroupValidationTests {
    typealias F = WorkloadFixtures

    private var hpa: JSON {
        F.defaulted(HorizontalPodAutoscalers.resource, [
            "metadata": ["name": "web", "namespace": "default"],
            "spec": ["scaleTargetRef": ["apiVersion": "apps/v1", "kind": "Deployment", "name": "web"], "maxReplicas": 5],
        ])
    }

    @Test func hpaDefaults() {
        #expect(hpa[path: ["spec", "minReplicas"]] == 1)
        #expect(hpa[path: ["spec", "metrics"]] == [[
            "type": "Resource", "resource": ["name": "cpu", "target": ["type": "Utilization", "averageUtilization": 80]],
        ]])
        #expect(hpa[path: ["spec", "behavior"]].isNull)
        #expect(F.fields(HorizontalPodAutoscalers.resource, hpa).isEmpty)
    }

    @Test func hpaBehaviorDefaults() {
        var h = hpa
        h[path: ["spec", "behavior"]] = ["scaleDown": ["stabilizationWindowSeconds": 60]]
        HorizontalPodAutoscalers.defaults(&h)
        #expect(h[path: ["spec", "behavior", "scaleUp"]] == HorizontalPodAutoscalers.defaultScaleUp)
        #expect(h[path: ["spec", "behavior", "scaleDown", "stabilizationWindowSeconds"]] == 60)
        #expect(h[path: ["spec", "behavior", "scaleDown", "selectPolicy"]] == "Max")
        #expect(h[path: ["spec", "behavior", "scaleDown", "policies"]] == [["type": "Percent", "value": 100, "periodSeconds": 15]])
    }

    @Test func hpaRules() {
        var h = hpa
        h[path: ["spec", "minReplicas"]] = 6
        #expect(F.fields(HorizontalPodAutoscalers.resource, h) == ["spec.maxReplicas"])
        h[path: ["spec", "minReplicas"]] = 0
        #expect(F.fields(HorizontalPodAutoscalers.resource, h) == ["spec.minReplicas"])
        var noTarget = hpa
        noTarget[path: ["spec", "scaleTargetRef", "name"]] = .null
        #expect(F.fields(HorizontalPodAutoscalers.resource, noTarget) == ["spec.scaleTargetRef.name"])
        var badMetric = hpa
        badMetric[path: ["spec", "metrics"]] = [["type": "Resource", "resource": ["name": "cpu", "target": ["type": "Utilization", "averageUtilization": 0]]]]
        #expect(F.fields(HorizontalPodAutoscalers.resource, badMetric) == ["spec.metrics[0].resource.target.averageUtilization"])
        var unknown = hpa
        unknown[path: ["spec", "metrics"]] = [["type": "Magic"]]
        #expect(F.fields(HorizontalPodAutoscalers.resource, unknown) == ["spec.metrics[0].type"])
        var policy = hpa
        policy[path: ["spec", "behavior"]] = ["scaleUp": ["policies": [["type": "Pods", "value": 0, "periodSeconds": 4000]]]]
        #expect(Set(F.fields(HorizontalPodAutoscalers.resource, policy)) == [
            "spec.behavior.scaleUp.policies[0].value", "spec.behavior.scaleUp.policies[0].periodSeconds",
        ])
    }

    @Test func pdbRules() {
        let pdb = PodDisruptionBudgets.resource
        func spec(_ s: JSON) -> JSON { ["metadata": ["name": "p", "namespace": "default"], "spec": s] }
        #expect(F.fields(pdb, spec(["minAvailable": "50%", "selector": ["matchLabels": ["app": "web"]]])).isEmpty)
        #expect(F.fields(pdb, spec(["minAvailable": 1, "maxUnavailable": 1])) == ["spec"])
        #expect(F.fields(pdb, spec(["maxUnavailable": "120%"])) == ["spec.maxUnavailable"])
        #expect(F.fields(pdb, spec(["minAvailable": -1])) == ["spec.minAvailable"])
        #expect(F.fields(pdb, spec(["minAvailable": "lots"])) == ["spec.minAvailable"])
        #expect(F.fields(pdb, spec(["unhealthyPodEvictionPolicy": "Sometimes"])) == ["spec.unhealthyPodEvictionPolicy"])
        #expect(F.fields(pdb, spec(["selector": ["matchExpressions": [["key": "a", "operator": "Near"]]]]))
            == ["spec.selector.matchExpressions[0].operator"])
        let both = pdb.validator?(spec(["minAvailable": 1, "maxUnavailable": 1]), nil).first
        #expect(both?.message.hasSuffix("minAvailable and maxUnavailable cannot be both set") == true)
    }

    @Test func leaseRules() {
        func lease(_ s: JSON) -> JSON { ["metadata": ["name": "node-1"], "spec": s] }
        #expect(F.fields(Leases.resource, lease(["holderIdentity": "node-1", "leaseDurationSeconds": 40])).isEmpty)
        #expect(F.fields(Leases.resource, lease(["leaseDurationSeconds": 0])) == ["spec.leaseDurationSeconds"])
        #expect(F.fields(Leases.resource, lease(["leaseTransitions": -1])) == ["spec.leaseTransitions"])
        #expect(F.fields(Leases.resource, lease(["preferredHolder": "b"])) == ["spec.preferredHolder"])
    }

    @Test func endpointSliceRules() {
        let r = EndpointSlices.resource
        let slice = F.defaulted(r, [
            "metadata": ["name": "web-abc"], "addressType": "IPv4",
            "endpoints": [["addresses": ["10.244.0.5"], "conditions": ["ready": true]]],
            "ports": [["port": 80]],
        ])
        #expect(slice["ports"] == [["port": 80, "name": "", "protocol": "TCP"]])
        #expect(F.fields(r, slice).isEmpty)
        var bad = slice
        bad["addressType"] = "IPv5"
        bad["endpoints"] = [["addresses": []], ["addresses": ["10.0.0.256"]]]
        bad["ports"] = [["name": "Http", "protocol": "TCP", "port": 70000], ["name": "Http", "protocol": "ICMP"]]
        #expect(Set(F.fields(r, bad)) == [
            "addressType", "endpoints[0].addresses", "ports[0].name", "ports[0].port", "ports[1].name", "ports[1].protocol",
        ])
        var six = slice
        six["addressType"] = "IPv6"
        six["endpoints"] = [["addresses": ["fd00::1", "2001:db8:0:0:0:0:0:1", "::ffff:10.0.0.1", "fd00:::1"]]]
        #expect(F.fields(r, six, old: nil) == ["endpoints[0].addresses[3]"])
        #expect(F.fields(r, six, old: slice).contains("addressType"))
    }

    @Test func priorityClassRules() {
        let r = PriorityClasses.resource
        let pc = F.defaulted(r, ["metadata": ["name": "high"], "value": 1000])
        #expect(pc["preemptionPolicy"] == "PreemptLowerPriority")
        #expect(F.fields(r, pc).isEmpty)
        #expect(F.fields(r, ["metadata": ["name": "huge"], "value": 1_000_000_001]) == ["value"])
        #expect(F.fields(r, ["metadata": ["name": "system-mine"], "value": 1]) == ["metadata.name"])
        #expect(F.fields(r, ["metadata": ["name": "system-node-critical"], "value": 2_000_001_000]).isEmpty)
        #expect(F.fields(r, ["metadata": ["name": "p"], "value": 1, "preemptionPolicy": "Always"]) == ["preemptionPolicy"])
        var changed = pc
        changed["value"] = 5
        #expect(F.fields(r, changed, old: pc) == ["value"])
    }

    @Test func roleRules() {
        let role: JSON = ["metadata": ["name": "reader", "namespace": "default"], "rules": [
            ["verbs": ["get"], "apiGroups": [""], "resources": ["pods"]],
            ["verbs": [], "apiGroups": [""], "resources": ["pods"]],
            ["verbs": ["get"], "resources": ["pods"]],
            ["verbs": ["get"], "nonResourceURLs": ["/healthz"]],
        ]]
        #expect(F.fields(RBACResources.roles, role) == ["rules[1].verbs", "rules[2].apiGroups", "rules[3].nonResourceURLs"])
        var clusterRole = role
        clusterRole["rules"] = [["verbs": ["get"], "nonResourceURLs": ["/healthz"]], ["verbs": ["get"], "nonResourceURLs": ["/x"], "resources": ["pods"]]]
        clusterRole["aggregationRule"] = ["clusterRoleSelectors": []]
        #expect(F.fields(RBACResources.clusterRoles, clusterRole) == ["rules[1].nonResourceURLs", "aggregationRule.clusterRoleSelectors"])
    }

    @Test func bindingDefaultsAndRules() {
        let binding = F.defaulted(RBACResources.roleBindings, [
            "metadata": ["name": "read", "namespace": "default"],
            "roleRef": ["kind": "Role", "name": "reader"],
            "subjects": [["kind": "User", "name": "jane"], ["kind": "ServiceAccount", "name": "builder", "namespace": "ci"]],
        ])
        #expect(binding[path: ["roleRef", "apiGroup"]] == "rbac.authorization.k8s.io")
        #expect(binding["subjects"][0]["apiGroup"] == "rbac.authorization.k8s.io")
        #expect(binding["subjects"][1]["apiGroup"] == "")
        #expect(F.fields(RBACResources.roleBindings, binding).isEmpty)

        var changed = binding
        changed[path: ["roleRef", "name"]] = "writer"
        let causes = RBACResources.roleBindings.validator?(changed, binding) ?? []
        #expect(causes.map(\.field) == ["roleRef"])
        #expect(causes.first?.message.hasSuffix("cannot change roleRef") == true)

        var bad = binding
        bad["roleRef"] = ["apiGroup": "example.com", "kind": "Secret"]
        bad["subjects"] = [["kind": "Robot", "name": "r"], ["kind": "User", "apiGroup": ""]]
        #expect(Set(F.fields(RBACResources.roleBindings, bad)) == [
            "roleRef.apiGroup", "roleRef.kind", "roleRef.name", "subjects[0].kind", "subjects[1].name", "subjects[1].apiGroup",
        ])
    }

    @Test func clusterRoleBindingNeedsClusterRoleAndNamespacedServiceAccounts() {
        let binding = F.defaulted(RBACResources.clusterRoleBindings, [
            "metadata": ["name": "read"], "roleRef": ["kind": "Role", "name": "reader"],
            "subjects": [["kind": "ServiceAccount", "name": "builder"]],
        ])
        #expect(F.fields(RBACResources.clusterRoleBindings, binding) == ["roleRef.kind", "subjects[0].namespace"])
    }

    @Test func accessReviewRules() {
        let ok: JSON = ["spec": ["resourceAttributes": ["verb": "get", "resource": "pods"]]]
        #expect(F.fields(AccessReviews.selfSubjectAccessReviews, ok).isEmpty)
        let neither: JSON = ["spec": [:]]
        let cause = AccessReviews.selfSubjectAccessReviews.validator?(neither, nil).first
        #expect(cause?.field == "spec.resourceAttributes")
        #expect(cause?.message == "Invalid value: \"null\": exactly one of nonResourceAttributes or resourceAttributes must be specified")
        let both: JSON = ["spec": ["resourceAttributes": ["verb": "get"], "nonResourceAttributes": ["path": "/"]]]
        #expect(F.fields(AccessReviews.selfSubjectAccessReviews, both) == ["spec.nonResourceAttributes"])
        #expect(F.fields(AccessReviews.subjectAccessReviews, ok) == ["spec.user"])
    }
}
