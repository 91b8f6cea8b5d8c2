import FlotillaAPI
import FlotillaCore
import FlotillaStore

/// Kubernetes' ServiceAccount admission for new pods: a pod runs as `spec.serviceAccountName`
/// (`default` when it names none), and unless the pod or its account turns
/// `automountServiceAccountToken` off, every container gets the account's credentials at
/// `/var/run/secrets/kubernetes.io/serviceaccount`: a projected volume `kube-api-access-<suffix>`
/// holding a token bound to the pod (`token`), the cluster CA (`ca.crt`, from the ConfigMap
/// `kube-root-ca.crt`) and the pod's `namespace`.
///
/// A pod naming an account that does not exist is refused, as in Kubernetes, except `default`,
/// which the service account controller is about to make in a new namespace; the node agent
/// waits for it.
struct ServiceAccountAdmission: MutatingAdmission {
    /// Where containers find the credentials.
    static let mountPath = "/var/run/secrets/kubernetes.io/serviceaccount"
    /// The ConfigMap with the cluster CA that every namespace holds.
    static let rootCAConfigMap = "kube-root-ca.crt"
    /// The projected token's lifetime, as Kubernetes asks for it (an hour and seven seconds).
    static let tokenSeconds: Int64 = 3607
    static let defaultAccount = "default"

    let store: any Store
    let resources: ResourceCatalog

    func admit(_ pod: inout JSON, _ attributes: AdmissionAttributes) async throws {
        guard attributes.isCore("pods"), attributes.old == nil, var spec = pod["spec"].object else { return }
        let named = [spec["serviceAccountName"]?.string, spec["serviceAccount"]?.string].compactMap { $0 }.first { !$0.isEmpty }
        let account = named ?? Self.defaultAccount
        spec["serviceAccountName"] = .string(account)
        spec["serviceAccount"] = .string(account)
        let stored = try await serviceAccount(account, namespace: attributes.namespace ?? "")
        if stored == nil, account != Self.defaultAccount {
            throw attributes.forbidden(
                pod, "error looking up service account \(attributes.namespace ?? "")/\(account): serviceaccount \"\(account)\" not found")
        }
        let automount = spec["automountServiceAccountToken"]?.bool ?? stored?["automountServiceAccountToken"].bool ?? true
        if automount { Self.mountCredentials(&spec) }
        pod["spec"] = .object(spec)
    }

    private func serviceAccount(_ name: String, namespace: String) async throws -> JSON? {
        guard let resource = resources.resource(group: "", version: "v1", plural: "serviceaccounts"),
            let kv = try await store.get(StorageKeys.key(resource, namespace: namespace, name: name))
        else { return nil }
        return try StoredObject.decode(kv)
    }

    /// Adds the credentials volume, and its mount to every container and init container that
    /// does not already mount something at ``mountPath``.
    static func mountCredentials(_ spec: inout JSONObject) {
        let containerKinds = ["initContainers", "containers"]
        let needing = containerKinds.map { kind in
            (spec[kind]?.array ?? []).map { container in
                !(container["volumeMounts"].array ?? []).contains { $0["mountPath"].string == mountPath }
            }
        }
        guard needing.joined().contains(true) else { return }
        let volumeName = "kube-api-access-" + APIServer.randomSuffix()
        var volumes = spec["volumes"]?.array ?? []
        volumes.append([
            "name": .string(volumeName),
            "projected": [
                "defaultMode": 420,
                "sources": [
                    ["serviceAccountToken": ["expirationSeconds": .int(tokenSeconds), "path": "token"]],
                    ["configMap": ["name": .string(rootCAConfigMap), "items": [["key": "ca.crt", "path": "ca.crt"]]]],
                    ["downwardAPI": ["items": [["path": "namespace", "fieldRef": ["apiVersion": "v1", "fieldPath": "metadata.namespace"]]]]],
                ],
            ],
        ])
        spec["volumes"] = .array(volumes)
        let mount: JSON = ["name": .string(volumeName), "readOnly": true, "mountPath": .string(mountPath)]
        for (kind, needs) in zip(containerKinds, needing) {
            guard var containers = spec[kind]?.array else { continue }
            for index in containers.indices where needs[index] {
                containers[index]["volumeMounts"] = .array((containers[index]["volumeMounts"].array ?? []) + [mount])
            }
            spec[kind] = .array(containers)
        }
    }
}
