import FlotillaCore
import Foundation
import Testing

@testable import FlotillaAPI

@Suite struct OtherGroupColumnsTests {
    let now = Date(timeIntervalSince1970: 1_700_000_000)

    private func cells(_ resource: ResourceDefinition, _ object: JSON) -> [String: JSON] {
        var out: [String: JSON] = [:]
        for column in resource.columns { out[column.name] = column.cell(object, now) }
        return out
    }

    @Test func hpaColumns() {
        var hpa: JSON = [
            "spec": [
                "scaleTargetRef": ["kind": "Deployment", "name": "web"], "minReplicas": 2, "maxReplicas": 5,
                "metrics": [["type": "Resource", "resource": ["name": "cpu", "target": ["type": "Utilization", "averageUtilization": 80]]]],
            ],
            "status": ["currentReplicas": 3],
        ]
        var c = cells(HorizontalPodAutoscalers.resource, hpa)
        #expect(c["Reference"] == "Deployment/web")
        #expect(c["Targets"] == "cpu: <unknown>/80%")
        #expect(c["MinPods"] == "2")
        #expect(c["MaxPods"] == 5)
        #expect(c["Replicas"] == 3)
        hpa[path: ["status", "currentMetrics"]] = [["type": "Resource", "resource": ["name": "cpu", "current": ["averageUtilization": 42]]]]
        hpa[path: ["spec", "metrics"]] = .array((hpa[path: ["spec", "metrics"]].array ?? []) + [
            ["type": "Pods", "pods": ["metric": ["name": "rps"], "target": ["type": "AverageValue", "averageValue": "100"]]],
            ["type": "External", "external": ["metric": ["name": "queue"], "target": ["type": "Value", "value": "30"]]],
        ])
        c = cells(HorizontalPodAutoscalers.resource, hpa)
        #expect(c["Targets"] == "cpu: 42%/80%, <unknown>/100 + 1 more...")
        #expect(cells(HorizontalPodAutoscalers.resource, ["spec": [:]])["Targets"] == "<none>")
        #expect(cells(HorizontalPodAutoscalers.resource, ["spec": [:]])["MinPods"] == "<unset>")
    }

    @Test func pdbColumns() {
        let c = cells(PodDisruptionBudgets.resource, ["spec": ["minAvailable": "50%"], "status": ["disruptionsAllowed": 1]])
        #expect(c["Min Available"] == "50%")
        #expect(c["Max Unavailable"] == "N/A")
        #expect(c["Allowed Disruptions"] == 1)
    }

    @Test func leaseAndPriorityClassColumns() {
        #expect(cells(Leases.resource, ["spec": ["holderIdentity": "node-1"]])["Holder"] == "node-1")
        let pc = cells(PriorityClasses.resource, ["value": 1000, "globalDefault": true])
        #expect(pc["Value"] == 1000)
        #expect(pc["Global-Default"] == true)
    }

    @Test func endpointSliceColumns() {
        let slice: JSON = [
            "addressType": "IPv4",
            "endpoints": [["addresses": ["10.0.0.1"]], ["addresses": ["10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5"]]],
            "ports": [["port": 80], ["name": "dns"]],
        ]
        let c = cells(EndpointSlices.resource, slice)
        #expect(c["AddressType"] == "IPv4")
        #expect(c["Ports"] == "80,dns")
        #expect(c["Endpoints"] == "10.0.0.1,10.0.0.2,10.0.0.3 + 2 more...")
        let empty = cells(EndpointSlices.resource, ["addressType": "IPv4"])
        #expect(empty["Ports"] == "<unset>")
        #expect(empty["Endpoints"] == "<unset>")
    }

    @Test func rbacColumns() {
        #expect(RBACResources.roles.columns.map(\.name) == ["Created At"])
        #expect(cells(RBACResources.clusterRoles, ["metadata": ["creationTimestamp": "2025-01-02T03:04:05Z"]])["Created At"] == "2025-01-02T03:04:05Z")
        let binding: JSON = [
            "roleRef": ["kind": "ClusterRole", "name": "view"],
            "subjects": [["kind": "User", "name": "jane"], ["kind": "ServiceAccount", "name": "ci", "namespace": "build"], ["kind": "Group", "name": "devs"]],
        ]
        let c = cells(RBACResources.roleBindings, binding)
        #expect(c["Role"] == "ClusterRole/view")
        #expect(c["Users"] == "jane")
        #expect(c["Groups"] == "devs")
        #expect(c["ServiceAccounts"] == "build/ci")
        #expect(RBACResources.roleBindings.columns.filter { $0.priority == 0 }.map(\.name) == ["Role", "Age"])
    }
}
