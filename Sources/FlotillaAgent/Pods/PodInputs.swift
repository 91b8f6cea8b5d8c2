import FlotillaClient
import FlotillaCore
import Foundation

/// What a pod takes from outside its own spec: the ConfigMaps and Secrets its environment and
/// volumes name and the PersistentVolumeClaims its volumes name with the PersistentVolumes they
/// are bound to (those that exist), the node's address and allocatable cpu and memory (for
/// `resourceFieldRef` of containers without limits), the services its environment tells of and
/// how its resolv.conf is made, and the service account tokens of its projected volumes.
public struct PodInputs: Sendable, Equatable {
    /// ConfigMaps of the pod's namespace by name; one named but missing is absent.
    public var configMaps: [String: JSON]
    /// Secrets of the pod's namespace by name; one named but missing is absent.
    public var secrets: [String: JSON]
    /// PersistentVolumeClaims of the pod's namespace by name; one named but missing is absent.
    public var persistentVolumeClaims: [String: JSON] = [:]
    /// The PersistentVolumes those claims are bound to, by name; one named but missing is absent.
    public var persistentVolumes: [String: JSON] = [:]
    public var hostIP: String
    /// The services the pod's containers get environment variables for (``ServiceEnvironment``):
    /// those of its namespace and `default/kubernetes`.
    public var services: [JSON] = []
    /// How the pod's resolv.conf and domain are made; nil leaves them to the runtime.
    public var dns: PodDNS?
    public var nodeCPUMillis: Int64
    public var nodeMemoryBytes: Int64
    /// The tokens of the pod's projected `serviceAccountToken` sources, by ``tokenKey(_:)``, or
    /// why the API gave none.
    public var serviceAccountTokens: [String: Result<String, FlotillaError>] = [:]

    public init(
        configMaps: [String: JSON] = [:], secrets: [String: JSON] = [:], hostIP: String = "",
        nodeCPUMillis: Int64 = Int64(ProcessInfo.processInfo.activeProcessorCount) * 1000,
        nodeMemoryBytes: Int64 = Int64(ProcessInfo.processInfo.physicalMemory)
    ) {
        self.configMaps = configMaps
        self.secrets = secrets
        self.hostIP = hostIP
        self.nodeCPUMillis = nodeCPUMillis
        self.nodeMemoryBytes = nodeMemoryBytes
    }

    /// Reads from the API every ConfigMap, Secret and PersistentVolumeClaim that `pod` names,
    /// and the PersistentVolumes of those claims; gets the tokens of its projected service
    /// account token sources from `tokens`.
    public static func fetch(
        for pod: JSON, client: KubernetesClient, hostIP: String, tokens: ServiceAccountTokenSource? = nil
    ) async throws -> PodInputs {
        let namespace = pod[path: ["metadata", "namespace"]].string ?? "default"
        let (configMapNames, secretNames) = references(in: pod)
        var inputs = PodInputs(hostIP: hostIP)
        if let tokens {
            for source in tokenSources(in: pod) {
                do {
                    inputs.serviceAccountTokens[tokenKey(source)] = .success(try await tokens.token(for: pod, source: source))
                } catch let error as FlotillaError where error.code != .internalError && error.code != .serviceUnavailable {
                    inputs.serviceAccountTokens[tokenKey(source)] = .failure(error)
                }
            }
        }
        for name in configMapNames.sorted() {
            inputs.configMaps[name] = try await optional { try await client.get(.configMaps, namespace: namespace, name: name) }
        }
        for name in secretNames.sorted() {
            inputs.secrets[name] = try await optional { try await client.get(.secrets, namespace: namespace, name: name) }
        }
        for name in claims(in: pod).sorted() {
            let claim = try await optional { try await client.get(.persistentVolumeClaims, namespace: namespace, name: name) }
            guard let claim else { continue }
            inputs.persistentVolumeClaims[name] = claim
            if let volume = claim["spec"]["volumeName"].string, !volume.isEmpty {
                inputs.persistentVolumes[volume] = try await optional { try await client.get(.persistentVolumes, name: volume) }
            }
        }
        return inputs
    }

    private static func optional(_ read: () async throws -> JSON) async throws -> JSON? {
        do {
            return try await read()
        } catch let error as FlotillaError where error.code == .notFound {
            return nil
        }
    }

    /// The names of the ConfigMaps and Secrets the pod's containers' `env` and `envFrom`, its
    /// `imagePullSecrets` and its volumes (directly or projected) refer to.
    static func references(in pod: JSON) -> (configMaps: Set<String>, secrets: Set<String>) {
        var configMaps: Set<String> = [], secrets: Set<String> = []
        let containers = (pod["spec"]["initContainers"].array ?? []) + (pod["spec"]["containers"].array ?? [])
        for container in containers {
            for source in container["envFrom"].array ?? [] {
                if let name = source["configMapRef"]["name"].string { configMaps.insert(name) }
                if let name = source["secretRef"]["name"].string { secrets.insert(name) }
            }
            for variable in container["env"].array ?? [] {
                if let name = variable["valueFrom"]["configMapKeyRef"]["name"].string { configMaps.insert(name) }
                if let name = variable["valueFrom"]["secretKeyRef"]["name"].string { secrets.insert(name) }
            }
        }
        for reference in pod["spec"]["imagePullSecrets"].array ?? [] {
            if let name = reference["name"].string { secrets.insert(name) }
        }
        for volume in pod["spec"]["volumes"].array ?? [] {
            if let name = volume["configMap"]["name"].string { configMaps.insert(name) }
            if let name = volume["secret"]["secretName"].string { secrets.insert(name) }
            for source in volume["projected"]["sources"].array ?? [] {
                if let name = source["configMap"]["name"].string { configMaps.insert(name) }
                if let name = source["secret"]["name"].string { secrets.insert(name) }
            }
        }
        return (configMaps, secrets)
    }

    /// The `serviceAccountToken` sources of the pod's projected volumes.
    static func tokenSources(in pod: JSON) -> [JSON] {
        (pod["spec"]["volumes"].array ?? []).flatMap { volume in
            (volume["projected"]["sources"].array ?? []).map { $0["serviceAccountToken"] }.filter { !$0.isNull }
        }
    }

    /// How ``serviceAccountTokens`` knows a source: its audience and lifetime.
    static func tokenKey(_ source: JSON) -> String {
        "\(source["audience"].string ?? "")|\(source["expirationSeconds"].int ?? 3600)"
    }

    /// The names of the PersistentVolumeClaims the pod's volumes refer to.
    static func claims(in pod: JSON) -> Set<String> {
        Set((pod["spec"]["volumes"].array ?? []).compactMap { $0["persistentVolumeClaim"]["claimName"].string })
    }

    /// The value of `key` in ConfigMap `name` (`data`, else `binaryData`), or why there is none.
    func configMapValue(_ name: String, key: String) -> Lookup {
        guard let map = configMaps[name] else { return .missingObject("configmap \"\(name)\" not found") }
        if let text = map["data"][key].string { return .found(Array(text.utf8)) }
        if let encoded = map["binaryData"][key].string, let data = Data(base64Encoded: encoded) { return .found(Array(data)) }
        return .missingKey("couldn't find key \(key) in ConfigMap \(map[path: ["metadata", "namespace"]].string ?? "")/\(name)")
    }

    /// The value of `key` in Secret `name` (decoded from `data`), or why there is none.
    func secretValue(_ name: String, key: String) -> Lookup {
        guard let secret = secrets[name] else { return .missingObject("secret \"\(name)\" not found") }
        if let encoded = secret["data"][key].string, let data = Data(base64Encoded: encoded) { return .found(Array(data)) }
        return .missingKey("couldn't find key \(key) in Secret \(secret[path: ["metadata", "namespace"]].string ?? "")/\(name)")
    }

    /// Every key and value of ConfigMap or Secret `name`, sorted by key; nil when it is missing.
    func entries(configMap name: String) -> [(key: String, value: [UInt8])]? {
        guard let map = configMaps[name] else { return nil }
        var all: [String: [UInt8]] = [:]
        for (key, value) in map["binaryData"].object ?? [:] {
            if let data = value.string.flatMap({ Data(base64Encoded: $0) }) { all[key] = Array(data) }
        }
        for (key, value) in map["data"].object ?? [:] { all[key] = Array((value.string ?? "").utf8) }
        return all.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    func entries(secret name: String) -> [(key: String, value: [UInt8])]? {
        guard let secret = secrets[name] else { return nil }
        return (secret["data"].object ?? [:]).compactMap { key, value in
            value.string.flatMap { Data(base64Encoded: $0) }.map { (key, Array($0)) }
        }.sorted { $0.key < $1.key }
    }

    /// A looked-up value, or which part of the reference is missing.
    enum Lookup {
        case found([UInt8])
        case missingObject(String)
        case missingKey(String)
    }
}
