@testable import FlotillaAgent
import FlotillaCore
import Foundation
import Testing

@Suite struct PodInputsTests {
    static let pod: JSON = [
        "metadata": ["name": "web", "namespace": "shop", "uid": "u-1", "labels": ["app": "web", "tier": "front"]],
        "spec": [
            "nodeName": "n1",
            "containers": [[
                "name": "app", "image": "busybox",
                "resources": ["limits": ["cpu": "1500m", "memory": "64Mi"], "requests": ["cpu": "250m"]],
            ]],
        ],
    ]

    static let inputs = PodInputs(
        configMaps: ["settings": ["metadata": ["namespace": "shop"], "data": ["greeting": "hello", "color": "blue"], "binaryData": ["raw": "AAE="]]],
        secrets: ["creds": ["metadata": ["namespace": "shop"], "data": ["password": "czNjcmV0"]]],
        hostIP: "192.0.2.9", nodeCPUMillis: 4000, nodeMemoryBytes: 1 << 30)

    func environment(_ env: JSON, envFrom: JSON = .null) throws -> ContainerEnvironment {
        try ContainerEnvironment(container: ["name": "app", "env": env, "envFrom": envFrom], pod: Self.pod, inputs: Self.inputs)
    }

    @Test func resolvesValuesReferencesAndExpansion() throws {
        let env = try environment([
            ["name": "A", "value": "1"], ["name": "B", "value": "$(A)-$$(A)-$(NOPE)-$"],
            ["name": "G", "valueFrom": ["configMapKeyRef": ["name": "settings", "key": "greeting"]]],
            ["name": "P", "valueFrom": ["secretKeyRef": ["name": "creds", "key": "password"]]],
            ["name": "N", "valueFrom": ["fieldRef": ["fieldPath": "metadata.labels['tier']"]]],
            ["name": "IP", "valueFrom": ["fieldRef": ["fieldPath": "status.podIP"]]],
            ["name": "HOST", "valueFrom": ["fieldRef": ["fieldPath": "status.hostIP"]]],
            ["name": "CPU", "valueFrom": ["resourceFieldRef": ["resource": "limits.cpu"]]],
            ["name": "CPU_M", "valueFrom": ["resourceFieldRef": ["resource": "requests.cpu", "divisor": "1m"]]],
            ["name": "MEM", "valueFrom": ["resourceFieldRef": ["resource": "limits.memory", "divisor": "1Mi"]]],
            ["name": "A", "value": "again"],
        ])
        let values = Dictionary(uniqueKeysWithValues: env.variables.map { ($0.name, $0.value) })
        #expect(env.variables.first?.name == "A" && values["A"] == "again")
        #expect(values["B"] == "1-$(A)-$(NOPE)-$")
        #expect(values["G"] == "hello" && values["P"] == "s3cret" && values["N"] == "front" && values["HOST"] == "192.0.2.9")
        #expect(values["CPU"] == "2" && values["CPU_M"] == "250" && values["MEM"] == "64")
        #expect(values["IP"] == nil && env.podIPVariables == ["IP"])
    }

    @Test func envFromTakesEveryValidKeyWithItsPrefix() throws {
        let env = try environment(
            [["name": "color", "value": "red"]],
            envFrom: [["configMapRef": ["name": "settings"], "prefix": "CM_"], ["secretRef": ["name": "creds"]], ["configMapRef": ["name": "gone", "optional": true]]])
        let values = Dictionary(uniqueKeysWithValues: env.variables.map { ($0.name, $0.value) })
        #expect(values["CM_greeting"] == "hello" && values["CM_color"] == "blue" && values["password"] == "s3cret")
        #expect(values["color"] == "red")
    }

    @Test func missingReferencesFailUnlessOptional() throws {
        #expect(throws: FlotillaError.self) { try environment([["name": "X", "valueFrom": ["configMapKeyRef": ["name": "gone", "key": "k"]]]]) }
        #expect(throws: FlotillaError.self) { try environment([["name": "X", "valueFrom": ["secretKeyRef": ["name": "creds", "key": "nope"]]]]) }
        #expect(throws: FlotillaError.self) { try environment(.null, envFrom: [["secretRef": ["name": "gone"]]]) }
        let optional = try environment([["name": "X", "valueFrom": ["configMapKeyRef": ["name": "gone", "key": "k", "optional": true]]]])
        #expect(optional.variables.isEmpty)
        do {
            _ = try environment([["name": "X", "valueFrom": ["configMapKeyRef": ["name": "settings", "key": "nope"]]]])
        } catch let error as FlotillaError {
            #expect(error.message == "couldn't find key nope in ConfigMap shop/settings")
        }
    }

    @Test func volumeFilesFollowKeysItemsAndModes() throws {
        let all = try VolumeFiles.files(of: ["name": "v", "configMap": ["name": "settings", "defaultMode": 0o400]], pod: Self.pod, inputs: Self.inputs)
        #expect(all.map(\.path) == ["color", "greeting", "raw"])
        #expect(all.allSatisfy { $0.mode == 0o400 } && all[2].content == [0, 1])
        let items = try VolumeFiles.files(
            of: ["name": "v", "secret": ["secretName": "creds", "items": [["key": "password", "path": "db/pass", "mode": 0o600]]]],
            pod: Self.pod, inputs: Self.inputs)
        #expect(items == [PodVolume.File(path: "db/pass", content: Array("s3cret".utf8), mode: 0o600)])
        let downward = try VolumeFiles.files(
            of: ["name": "v", "downwardAPI": ["items": [["path": "labels", "fieldRef": ["fieldPath": "metadata.labels"]]]]],
            pod: Self.pod, inputs: Self.inputs)
        #expect(String(decoding: downward[0].content, as: UTF8.self) == "app=\"web\"\ntier=\"front\"")
        #expect(throws: FlotillaError.self) {
            try VolumeFiles.files(of: ["name": "v", "configMap": ["name": "settings", "items": [["key": "nope", "path": "x"]]]], pod: Self.pod, inputs: Self.inputs)
        }
        #expect(try VolumeFiles.files(of: ["name": "v", "secret": ["secretName": "gone", "optional": true]], pod: Self.pod, inputs: Self.inputs).isEmpty)
    }

    @Test func projectedTokensAreWrittenOrHoldTheContainer() throws {
        let source: JSON = ["serviceAccountToken": ["expirationSeconds": 3607, "path": "token"]]
        let volume: JSON = ["name": "v", "projected": ["defaultMode": 0o644, "sources": [source, ["downwardAPI": ["items": [["path": "namespace", "fieldRef": ["fieldPath": "metadata.namespace"]]]]]]]]
        #expect(PodInputs.tokenSources(in: ["spec": ["volumes": [volume]]]) == [source["serviceAccountToken"]])
        var inputs = Self.inputs
        inputs.serviceAccountTokens[PodInputs.tokenKey(source["serviceAccountToken"])] = .success("a.b.c")
        let files = try VolumeFiles.files(of: volume, pod: Self.pod, inputs: inputs)
        #expect(files == [
            PodVolume.File(path: "token", content: Array("a.b.c".utf8), mode: 0o644),
            PodVolume.File(path: "namespace", content: Array("shop".utf8), mode: 0o644),
        ])
        inputs.serviceAccountTokens[PodInputs.tokenKey(source["serviceAccountToken"])] = .failure(FlotillaError(.notFound, #"serviceaccounts "default" not found"#))
        #expect(throws: FlotillaError(.notFound, #"cannot get a service account token: serviceaccounts "default" not found"#)) {
            try VolumeFiles.files(of: volume, pod: Self.pod, inputs: inputs)
        }
        #expect(throws: FlotillaError.self) { try VolumeFiles.files(of: volume, pod: Self.pod, inputs: Self.inputs) }
        guard case .files(_, _, let inMemory) = PodVolume(json: volume)?.source else {
            Issue.record("a projected volume is files")
            return
        }
        #expect(inMemory, "tokens live in memory, as secrets do")
    }

    @Test func referencesAreCollectedFromEnvAndVolumes() {
        let pod: JSON = ["spec": [
            "containers": [["name": "a", "envFrom": [["configMapRef": ["name": "c1"]]], "env": [["name": "x", "valueFrom": ["secretKeyRef": ["name": "s1", "key": "k"]]]]]],
            "volumes": [["name": "v", "projected": ["sources": [["configMap": ["name": "c2"]], ["secret": ["name": "s2"]]]]], ["name": "w", "secret": ["secretName": "s3"]]],
        ]]
        let references = PodInputs.references(in: pod)
        #expect(references.configMaps == ["c1", "c2"] && references.secrets == ["s1", "s2", "s3"])
    }

    @Test func pullSecretsGiveCredentialsPerRegistry() throws {
        let config = #"{"auths":{"https://index.docker.io/v1/":{"auth":"dTpw"},"127.0.0.1:5000":{"username":"u","password":"p"}}}"#
        let old = #"{"registry.example.com":{"username":"o","password":"q"}}"#
        let inputs = PodInputs(secrets: [
            "new": ["type": "kubernetes.io/dockerconfigjson", "data": [".dockerconfigjson": .string(Data(config.utf8).base64EncodedString())]],
            "old": ["type": "kubernetes.io/dockercfg", "data": [".dockercfg": .string(Data(old.utf8).base64EncodedString())]],
        ])
        let pod: JSON = ["spec": ["imagePullSecrets": [["name": "new"], ["name": "old"], ["name": "missing"]]]]
        let all = PullSecrets.credentials(of: pod, inputs: inputs)
        #expect(all.map(\.serverAddress) == ["127.0.0.1:5000", "docker.io", "registry.example.com"])
        #expect(PullSecrets.credentials(for: "127.0.0.1:5000/app:1", in: all)?.username == "u")
        #expect(PullSecrets.credentials(for: "busybox", in: all)?.auth == "dTpw")
        #expect(PullSecrets.credentials(for: "library/busybox:1", in: all)?.auth == "dTpw")
        #expect(PullSecrets.credentials(for: "registry.example.com/team/app", in: all)?.username == "o")
        #expect(PullSecrets.credentials(for: "other.example.com/app", in: all) == nil)
    }
}
