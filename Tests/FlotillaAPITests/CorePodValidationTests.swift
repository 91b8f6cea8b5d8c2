import FlotillaCore
import Testing

@testable import FlotillaAPI

@Suite("Core pod validation")
struct CorePodValidationTests {
    /// A valid, defaulted pod spec with one container and one volume.
    static func validSpec() -> JSON {
        var pod: JSON = [
            "spec": [
                "containers": [[
                    "name": "web", "image": "nginx:1.25",
                    "ports": [["name": "http", "containerPort": 80]],
                    "volumeMounts": [["name": "data", "mountPath": "/data"]],
                    "env": [["name": "MODE", "value": "prod"]],
                ]],
                "volumes": [["name": "data", "emptyDir": [:]]],
            ]
        ]
        PodDefaults.applyToPod(&pod)
        return pod["spec"]
    }

    @Test("a valid spec has no problems")
    func valid() {
        #expect(PodValidation.validatePodSpec(Self.validSpec(), path: "spec").isEmpty)
    }

    @Test(
        "each rule reports its field",
        arguments: [
            (["containers"], JSON.array([]), "spec.containers", "FieldValueRequired"),
            (["containers", "0", "name"], "Web_1", "spec.containers[0].name", "FieldValueInvalid"),
            (["containers", "0", "image"], "", "spec.containers[0].image", "FieldValueRequired"),
            (["containers", "0", "image"], " nginx:1.25", "spec.containers[0].image", "FieldValueInvalid"),
            (["containers", "0", "image"], "nginx:1.25\n", "spec.containers[0].image", "FieldValueInvalid"),
            (["containers", "0", "ports", "0", "containerPort"], 70000, "spec.containers[0].ports[0].containerPort", "FieldValueInvalid"),
            (["containers", "0", "ports", "0", "hostPort"], 70000, "spec.containers[0].ports[0].hostPort", "FieldValueInvalid"),
            (["containers", "0", "ports", "0", "protocol"], "HTTP", "spec.containers[0].ports[0].protocol", "FieldValueNotSupported"),
            (["containers", "0", "ports", "0", "name"], "HTTP_PORT", "spec.containers[0].ports[0].name", "FieldValueInvalid"),
            (["containers", "0", "env", "0", "name"], "A=B", "spec.containers[0].env[0].name", "FieldValueInvalid"),
            (["containers", "0", "volumeMounts", "0", "name"], "missing", "spec.containers[0].volumeMounts[0].name", "FieldValueNotFound"),
            (["containers", "0", "resources"], ["limits": ["cpu": "1"], "requests": ["cpu": "2"]], "spec.containers[0].resources.requests", "FieldValueInvalid"),
            (["containers", "0", "resources"], ["limits": ["cpu": "lots"]], "spec.containers[0].resources.limits[cpu]", "FieldValueInvalid"),
            (["containers", "0", "livenessProbe"], ["periodSeconds": 10], "spec.containers[0].livenessProbe", "FieldValueRequired"),
            (["containers", "0", "readinessProbe"], ["exec": ["command": ["true"]], "tcpSocket": ["port": 80]], "spec.containers[0].readinessProbe.tcpSocket", "FieldValueForbidden"),
            (["volumes", "0", "name"], "Data!", "spec.volumes[0].name", "FieldValueInvalid"),
            (["volumes", "0", "hostPath"], ["path": "/x"], "spec.volumes[0].emptyDir", "FieldValueForbidden"),
            (["restartPolicy"], "Sometimes", "spec.restartPolicy", "FieldValueNotSupported"),
            (["dnsPolicy"], "Magic", "spec.dnsPolicy", "FieldValueNotSupported"),
            (["tolerations"], [["key": "k", "operator": "Maybe"]], "spec.tolerations[0].operator", "FieldValueNotSupported"),
            (["tolerations"], [["key": "k", "effect": "NoSchedule", "tolerationSeconds": 5]], "spec.tolerations[0].effect", "FieldValueInvalid"),
            (["nodeSelector"], ["disk": "-ssd"], "spec.nodeSelector", "FieldValueInvalid"),
            (["terminationGracePeriodSeconds"], -1, "spec.terminationGracePeriodSeconds", "FieldValueInvalid"),
            (["containers", "0", "lifecycle"], ["preStop": ["sleep": ["seconds": 31]]], "spec.containers[0].lifecycle.preStop.sleep.seconds", "FieldValueInvalid"),
            (["containers", "0", "lifecycle"], ["postStart": ["sleep": ["seconds": 0]]], "spec.containers[0].lifecycle.postStart.sleep.seconds", "FieldValueInvalid"),
            (["containers", "0", "lifecycle"], ["preStop": ["exec": ["command": []]]], "spec.containers[0].lifecycle.preStop.exec.command", "FieldValueRequired"),
            (["activeDeadlineSeconds"], 0, "spec.activeDeadlineSeconds", "FieldValueInvalid"),
        ] as [([String], JSON, String, String)])
    func rule(path: [String], value: JSON, field: String, reason: String) {
        var spec = Self.validSpec()
        spec = Self.setting(spec, path[...], value)
        let causes = PodValidation.validatePodSpec(spec, path: "spec")
        #expect(causes.contains { $0.field == field && $0.reason == reason }, "\(causes)")
    }

    @Test("container names are unique across init and regular containers")
    func uniqueNames() {
        var spec = Self.validSpec()
        spec["initContainers"] = [["name": "web", "image": "busybox", "terminationMessagePolicy": "File", "imagePullPolicy": "Always"]]
        let causes = PodValidation.validatePodSpec(spec, path: "spec")
        #expect(causes == [.duplicate("spec.containers[0].name", "web")])
    }

    @Test("pod templates report paths under their location")
    func templates() {
        let template: JSON = [
            "metadata": ["labels": ["app": "-x"]],
            "spec": ["containers": [], "restartPolicy": "Always", "dnsPolicy": "ClusterFirst"],
        ]
        let causes = PodValidation.validatePodTemplate(template, path: "spec.template")
        #expect(causes.map(\.field) == ["spec.template.metadata.labels", "spec.template.spec.containers"])
    }

    @Test("pod updates may change images but not other fields")
    func updates() {
        let old: JSON = ["spec": Self.validSpec()]
        var newImage = old
        newImage[path: ["spec", "containers"]] = .array([Self.setting(old["spec"]["containers"][0], ["image"], "nginx:1.26")])
        #expect(PodValidation.validatePod(newImage, old: old).isEmpty)

        var newPolicy = old
        newPolicy[path: ["spec", "restartPolicy"]] = "Never"
        let causes = PodValidation.validatePod(newPolicy, old: old)
        #expect(causes.map(\.field) == ["spec"])
        #expect(causes.first?.message.hasPrefix("Forbidden: pod updates may not change fields other than `spec.containers[*].image`") == true)

        var added = old
        added[path: ["spec", "tolerations"]] = [["key": "k", "operator": "Exists"]]
        #expect(PodValidation.validatePod(added, old: old).isEmpty)
    }

    /// `value` set at a path of object keys and array indices.
    static func setting(_ base: JSON, _ path: ArraySlice<String>, _ value: JSON) -> JSON {
        guard let first = path.first else { return value }
        if let index = Int(first), var items = base.array {
            items[index] = setting(items[index], path.dropFirst(), value)
            return .array(items)
        }
        var copy = base
        copy[first] = setting(base[first], path.dropFirst(), value)
        return copy
    }
}
