import FlotillaCore
import Foundation
import Testing

@testable import FlotillaAPI

@Suite("Core table columns")
struct CoreColumnsTests {
    static let now = Date(timeIntervalSince1970: 1_700_000_000)

    static func pod(_ status: JSON, deleting: Bool = false, initContainers: JSON = .null) -> JSON {
        var pod: JSON = [
            "metadata": ["name": "p", "creationTimestamp": .string(Timestamp.format(now.addingTimeInterval(-300)))],
            "spec": ["containers": [["name": "a"], ["name": "b"]], "nodeName": "n1"],
            "status": status,
        ]
        if deleting { pod[path: ["metadata", "deletionTimestamp"]] = .string(Timestamp.format(now)) }
        if !initContainers.isNull { pod[path: ["spec", "initContainers"]] = initContainers }
        return pod
    }

    static func running(_ name: String, ready: Bool, restarts: Int64 = 0) -> JSON {
        ["name": .string(name), "ready": .bool(ready), "restartCount": .int(restarts), "state": ["running": ["startedAt": "2023-11-14T22:00:00Z"]]]
    }

    @Test("pending, running, waiting, terminating and initializing pods")
    func podStatus() {
        #expect(PodColumns.summary(Self.pod(["phase": "Pending"])) == .init(ready: "0/2", status: "Pending", restarts: 0, lastRestart: nil))

        let running = PodColumns.summary(Self.pod(["phase": "Running", "containerStatuses": [Self.running("a", ready: true), Self.running("b", ready: false, restarts: 3)]]))
        #expect(running.ready == "1/2")
        #expect(running.status == "Running")
        #expect(running.restarts == 3)

        let crash = PodColumns.summary(Self.pod(["phase": "Running", "containerStatuses": [
            Self.running("a", ready: true),
            ["name": "b", "ready": false, "restartCount": 5, "state": ["waiting": ["reason": "CrashLoopBackOff"]],
             "lastState": ["terminated": ["exitCode": 1, "finishedAt": .string(Timestamp.format(Self.now.addingTimeInterval(-120)))]]],
        ]]))
        #expect(crash.status == "CrashLoopBackOff")
        let restarts = PodColumns.all.first { $0.name == "Restarts" }!
        #expect(restarts.cell(Self.pod(["phase": "Running", "containerStatuses": [
            ["name": "b", "restartCount": 5, "state": ["waiting": ["reason": "CrashLoopBackOff"]],
             "lastState": ["terminated": ["exitCode": 1, "finishedAt": .string(Timestamp.format(Self.now.addingTimeInterval(-120)))]]],
        ]]), Self.now) == "5 (2m ago)")

        #expect(PodColumns.summary(Self.pod(["phase": "Running"], deleting: true)).status == "Terminating")
        #expect(PodColumns.summary(Self.pod(["phase": "Succeeded"], deleting: true)).status == "Succeeded")

        let exited = PodColumns.summary(Self.pod(["phase": "Failed", "containerStatuses": [["name": "a", "state": ["terminated": ["exitCode": 2]]]]]))
        #expect(exited.status == "ExitCode:2")

        let initializing = PodColumns.summary(Self.pod(
            ["phase": "Pending", "initContainerStatuses": [["name": "init", "state": ["running": [:]]]]],
            initContainers: [["name": "init"]]))
        #expect(initializing.status == "Init:0/1")
        let initFailed = PodColumns.summary(Self.pod(
            ["phase": "Pending", "initContainerStatuses": [["name": "init", "state": ["waiting": ["reason": "ImagePullBackOff"]]]]],
            initContainers: [["name": "init"]]))
        #expect(initFailed.status == "Init:ImagePullBackOff")
    }

    @Test("wide pod cells")
    func wideCells() {
        let pod = Self.pod(["phase": "Running", "podIP": "10.244.0.5", "podIPs": [["ip": "10.244.0.5"]]])
        let cells = Dictionary(uniqueKeysWithValues: PodColumns.all.map { ($0.name, $0.cell(pod, Self.now)) })
        #expect(cells["IP"] == "10.244.0.5")
        #expect(cells["Node"] == "n1")
        #expect(cells["Nominated Node"] == "<none>")
        #expect(cells["Readiness Gates"] == "<none>")
        #expect(cells["Age"] == "5m")
        #expect(PodColumns.all.filter { $0.priority == 1 }.map(\.name) == ["IP", "Node", "Nominated Node", "Readiness Gates"])
    }

    @Test("nodes, services, endpoints and events")
    func otherKinds() {
        let node: JSON = [
            "metadata": ["labels": ["node-role.kubernetes.io/control-plane": ""]],
            "spec": ["unschedulable": true],
            "status": ["conditions": [["type": "Ready", "status": "True"]], "addresses": [["type": "InternalIP", "address": "10.0.0.1"]]],
        ]
        #expect(NodeColumns.status(node) == "Ready,SchedulingDisabled")
        #expect(NodeColumns.roles(node) == "control-plane")
        #expect(NodeColumns.address(node, type: "ExternalIP") == "<none>")

        let svc: JSON = ["spec": ["type": "NodePort", "clusterIP": "10.96.0.9", "ports": [["port": 80, "nodePort": 30080, "protocol": "TCP"], ["port": 53, "protocol": "UDP"]]]]
        #expect(ServiceColumns.ports(svc) == "80:30080/TCP,53/UDP")
        #expect(ServiceColumns.externalIP(svc, wide: false) == "<none>")
        #expect(ServiceColumns.externalIP(["spec": ["type": "LoadBalancer"]], wide: false) == "<pending>")

        let ep: JSON = ["subsets": [["addresses": [["ip": "10.0.0.1"], ["ip": "10.0.0.2"], ["ip": "10.0.0.3"], ["ip": "10.0.0.4"]], "ports": [["port": 80]]]]]
        #expect(ServiceColumns.endpointList(ep) == "10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 1 more...")
        #expect(ServiceColumns.endpointList([:]) == "<none>")

        let event: JSON = ["involvedObject": ["kind": "Pod", "name": "web"], "source": ["component": "kubelet", "host": "n1"]]
        #expect(EventColumns.object(event) == "pod/web")
        #expect(EventColumns.source(event) == "kubelet, n1")
        #expect(EventColumns.count(event) == 1)

        let quota: JSON = ["status": ["hard": ["pods": "10", "limits.cpu": "2", "requests.cpu": "1"], "used": ["pods": "3"]]]
        #expect(ConfigColumns.quotaUsage(quota, limits: false) == "pods: 3/10, requests.cpu: 0/1")
        #expect(ConfigColumns.quotaUsage(quota, limits: true) == "limits.cpu: 0/2")
        #expect(TableCells.accessModes(["ReadWriteMany", "ReadWriteOnce"]) == "RWO,RWX")
    }
}
