import FlotillaCore
import Testing

@testable import FlotillaAPI

@Suite("Core services, secrets and other kinds")
struct CoreServiceTests {
    @Test("a service gets Kubernetes' defaults")
    func serviceDefaults() {
        var svc: JSON = ["metadata": ["name": "web"], "spec": ["selector": ["app": "web"], "ports": [["port": 80]]]]
        CoreDefaults.service(&svc)
        let spec = svc["spec"]
        #expect(spec["type"] == "ClusterIP")
        #expect(spec["sessionAffinity"] == "None")
        #expect(spec["ports"][0] == ["port": 80, "protocol": "TCP", "targetPort": 80])
        #expect(spec["internalTrafficPolicy"] == "Cluster")
        #expect(spec["ipFamilyPolicy"] == "SingleStack")
        #expect(spec["ipFamilies"] == ["IPv4"])
        #expect(spec["externalTrafficPolicy"].isNull)
        #expect(svc["status"] == ["loadBalancer": [:]])

        var nodePort: JSON = ["spec": ["type": "NodePort", "ports": [["port": 80, "targetPort": "http"]]]]
        CoreDefaults.service(&nodePort)
        #expect(nodePort["spec"]["externalTrafficPolicy"] == "Cluster")
        #expect(nodePort["spec"]["ports"][0]["targetPort"] == "http")

        var external: JSON = ["spec": ["type": "ExternalName", "externalName": "example.com"]]
        CoreDefaults.service(&external)
        #expect(external["spec"]["ipFamilies"].isNull)
    }

    @Test("service validation")
    func serviceValidation() {
        func causes(_ spec: JSON, old: JSON? = nil) -> [FlotillaError.Cause] {
            var svc: JSON = ["metadata": ["name": "s"], "spec": spec]
            CoreDefaults.service(&svc)
            return ServiceValidation.validateService(svc, old: old)
        }
        #expect(causes(["ports": [["port": 80]]]).isEmpty)
        #expect(causes([:]).map(\.field) == ["spec.ports"])
        #expect(causes(["clusterIP": "None"]).isEmpty)
        #expect(causes(["type": "ExternalName", "externalName": "db.example.com"]).isEmpty)
        #expect(causes(["type": "ExternalName"]).map(\.field) == ["spec.externalName"])
        #expect(causes(["ports": [["port": 0]]]).map(\.field) == ["spec.ports[0].port", "spec.ports[0].targetPort"])
        #expect(causes(["ports": [["port": 80], ["port": 81]]]).map(\.field) == ["spec.ports[0].name", "spec.ports[1].name"])
        #expect(causes(["ports": [["name": "a", "port": 80], ["name": "a", "port": 81]]]).map(\.reason) == ["FieldValueDuplicate"])
        #expect(causes(["type": "Magic", "ports": [["port": 80]]]).map(\.reason) == ["FieldValueNotSupported"])
        #expect(causes(["ports": [["port": 80, "nodePort": 30080]]]).map(\.field) == ["spec.ports[0].nodePort"])
        #expect(causes(["ports": [["port": 80]], "clusterIP": "10.0.0.300"]).map(\.field) == ["spec.clusterIPs[0]"])

        var old: JSON = ["spec": ["ports": [["port": 80]], "clusterIP": "10.96.0.5"]]
        CoreDefaults.service(&old)
        #expect(causes(["ports": [["port": 80]], "clusterIP": "10.96.0.6"], old: old).map(\.field) == ["spec.clusterIPs[0]"])
        #expect(causes(["ports": [["port": 80]], "clusterIP": "10.96.0.5"], old: old).isEmpty)
        #expect(causes(["ports": [["port": 80]]], old: old).isEmpty)
    }

    @Test("secret stringData is encoded into data")
    func secretStringData() {
        var secret: JSON = ["metadata": ["name": "s"], "data": ["a": "eA=="], "stringData": ["b": "hello", "a": "y"]]
        CoreDefaults.secret(&secret)
        #expect(secret["type"] == "Opaque")
        #expect(secret["data"] == ["a": "eQ==", "b": "aGVsbG8="])
        #expect(secret["stringData"].isNull)
        #expect(CoreValidation.secret(secret, old: nil).isEmpty)
    }

    @Test("secret and config map validation")
    func secretValidation() {
        #expect(CoreValidation.secret(["data": ["k": "not base64!"]], old: nil).map(\.field) == ["data[k]"])
        #expect(CoreValidation.secret(["data": ["bad key": "eA=="]], old: nil).map(\.field) == ["data[bad key]"])
        #expect(CoreValidation.secret(["type": "kubernetes.io/tls", "data": ["tls.crt": "eA=="]], old: nil).map(\.field) == ["data[tls.key]"])
        let old: JSON = ["type": "Opaque", "immutable": true, "data": ["a": "eA=="]]
        let changed: JSON = ["type": "Opaque", "immutable": true, "data": ["a": "eQ=="]]
        #expect(CoreValidation.secret(changed, old: old).map(\.reason) == ["FieldValueForbidden"])
        #expect(CoreValidation.configMap(["data": ["a": "1"], "binaryData": ["a": "eA=="]], old: nil).count == 2)
        #expect(CoreValidation.configMap(["data": ["..": "1"]], old: nil).map(\.field) == ["data[..]"])
        let cmOld: JSON = ["immutable": true, "data": ["a": "1"]]
        #expect(CoreValidation.configMap(["data": ["a": "1"]], old: cmOld).map(\.field) == ["immutable"])
    }

    @Test("namespace, volume and claim defaults and checks")
    func otherKinds() {
        var ns: JSON = ["metadata": ["name": "team-a"]]
        CoreDefaults.namespace(&ns)
        #expect(ns["spec"]["finalizers"] == ["kubernetes"])
        #expect(ns["status"]["phase"] == "Active")
        #expect(ns["metadata"]["labels"]["kubernetes.io/metadata.name"] == "team-a")

        var pv: JSON = ["spec": ["capacity": ["storage": "1Gi"], "accessModes": ["ReadWriteOnce"], "hostPath": ["path": "/data"]]]
        CoreDefaults.persistentVolume(&pv)
        #expect(pv["spec"]["persistentVolumeReclaimPolicy"] == "Retain")
        #expect(pv["status"]["phase"] == "Pending")
        #expect(CoreValidation.persistentVolume(pv, old: nil).isEmpty)
        #expect(CoreValidation.persistentVolume(["spec": [:]], old: nil).map(\.field) == ["spec.accessModes", "spec.capacity", "spec"])
        pv["spec"]["hostPath"]["type"] = "Folder"
        #expect(CoreValidation.persistentVolume(pv, old: nil).map(\.field) == ["spec.hostPath.type"])
        pv["spec"]["hostPath"]["type"] = "DirectoryOrCreate"
        #expect(CoreValidation.persistentVolume(pv, old: nil).isEmpty)

        var pvc: JSON = ["spec": ["accessModes": ["ReadWriteOnce"], "resources": ["requests": ["storage": "1Gi"]]]]
        CoreDefaults.persistentVolumeClaim(&pvc)
        #expect(pvc["spec"]["volumeMode"] == "Filesystem")
        #expect(CoreValidation.persistentVolumeClaim(pvc, old: nil).isEmpty)
        #expect(CoreValidation.persistentVolumeClaim(["spec": [:]], old: nil).map(\.field) == ["spec.accessModes", "spec.resources[storage]"])

        #expect(CoreValidation.node(["spec": ["taints": [["key": "k", "effect": "Sometimes"]]]], old: nil).map(\.field) == ["spec.taints[0].effect"])
        let event: JSON = ["metadata": ["namespace": "a"], "involvedObject": ["namespace": "b"]]
        #expect(CoreValidation.event(event, old: nil).map(\.field) == ["involvedObject.namespace"])
    }
}
