import FlotillaCore
import Testing

@testable import FlotillaAPI

@Suite("Core pod defaults")
struct CorePodDefaultsTests {
    @Test("a minimal pod gets every default")
    func minimalPod() {
        var pod: JSON = [
            "apiVersion": "v1", "kind": "Pod", "metadata": ["name": "p", "namespace": "default"],
            "spec": ["containers": [["name": "c", "image": "nginx", "ports": [["containerPort": 80]]]]],
        ]
        PodDefaults.applyToPod(&pod)
        let spec = pod["spec"]
        #expect(spec["restartPolicy"] == "Always")
        #expect(spec["dnsPolicy"] == "ClusterFirst")
        #expect(spec["schedulerName"] == "default-scheduler")
        #expect(spec["terminationGracePeriodSeconds"] == 30)
        #expect(spec["securityContext"] == .emptyObject)
        #expect(spec["enableServiceLinks"] == true)
        let c = spec["containers"][0]
        #expect(c["imagePullPolicy"] == "Always")
        #expect(c["terminationMessagePath"] == "/dev/termination-log")
        #expect(c["terminationMessagePolicy"] == "File")
        #expect(c["resources"] == .emptyObject)
        #expect(c["ports"][0]["protocol"] == "TCP")
        #expect(pod["status"]["phase"] == "Pending")
        #expect(pod["status"]["qosClass"] == "BestEffort")
    }

    @Test("pull policy follows the image tag", arguments: [
        ("nginx", "Always"), ("nginx:latest", "Always"), ("nginx:1.25", "IfNotPresent"),
        ("registry:5000/app", "Always"), ("registry:5000/app:v1", "IfNotPresent"), ("app@sha256:abc", "IfNotPresent"),
        ("localhost:5000/team/app:latest", "Always"), ("localhost:5000/team/app", "Always"), ("team/app:latest2", "IfNotPresent"),
    ])
    func pullPolicy(image: String, policy: String) {
        #expect(PodDefaults.defaultPullPolicy(image: image) == policy)
    }

    @Test("probes, volumes, env and templates")
    func nestedDefaults() {
        var template: JSON = [
            "metadata": ["labels": ["app": "web"]],
            "spec": [
                "containers": [[
                    "name": "c", "image": "app:v1",
                    "livenessProbe": ["httpGet": ["port": 8080]],
                    "env": [["name": "NODE", "valueFrom": ["fieldRef": ["fieldPath": "spec.nodeName"]]]],
                    "resources": ["limits": ["cpu": "0.5", "memory": "1024Mi"]],
                ]],
                "volumes": [
                    ["name": "cfg", "configMap": ["name": "cfg"]], ["name": "host", "hostPath": ["path": "/tmp"]],
                    ["name": "scratch"],
                ],
            ],
        ]
        PodDefaults.applyToPodTemplate(&template)
        let c = template["spec"]["containers"][0]
        #expect(c["livenessProbe"] == ["httpGet": ["port": 8080, "path": "/", "scheme": "HTTP"], "timeoutSeconds": 1, "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3])
        #expect(c["env"][0]["valueFrom"]["fieldRef"]["apiVersion"] == "v1")
        #expect(c["resources"]["limits"] == ["cpu": "500m", "memory": "1Gi"])
        #expect(c["resources"]["requests"].isNull)
        #expect(template["spec"]["enableServiceLinks"].isNull)
        #expect(template["status"].isNull)
        let volumes = template["spec"]["volumes"]
        #expect(volumes[0]["configMap"]["defaultMode"] == 420)
        #expect(volumes[1]["hostPath"]["type"] == "")
        #expect(volumes[2]["emptyDir"] == .emptyObject)
    }

    @Test("requests come from limits and decide the QoS class")
    func qos() {
        var guaranteed: JSON = ["spec": ["containers": [["name": "c", "image": "i", "resources": ["limits": ["cpu": "1", "memory": "1Gi"]]]]]]
        PodDefaults.applyToPod(&guaranteed)
        #expect(guaranteed["spec"]["containers"][0]["resources"]["requests"] == ["cpu": "1", "memory": "1Gi"])
        #expect(guaranteed["status"]["qosClass"] == "Guaranteed")

        var burstable: JSON = ["spec": ["containers": [["name": "c", "image": "i", "resources": ["requests": ["cpu": "100m"]]]]]]
        PodDefaults.applyToPod(&burstable)
        #expect(burstable["status"]["qosClass"] == "Burstable")

        var partial: JSON = ["spec": ["containers": [["name": "c", "image": "i", "resources": ["limits": ["cpu": "1"]]]]]]
        PodDefaults.applyToPod(&partial)
        #expect(partial["status"]["qosClass"] == "Burstable")
    }

    @Test("defaults never overwrite what is set")
    func keepsValues() {
        var pod: JSON = ["spec": ["restartPolicy": "Never", "containers": [["name": "c", "image": "i", "imagePullPolicy": "Never"]]], "status": ["phase": "Running"]]
        PodDefaults.applyToPod(&pod)
        #expect(pod["spec"]["restartPolicy"] == "Never")
        #expect(pod["spec"]["containers"][0]["imagePullPolicy"] == "Never")
        #expect(pod["status"]["phase"] == "Running")
    }
}
