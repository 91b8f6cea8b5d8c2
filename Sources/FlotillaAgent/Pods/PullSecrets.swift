import FlotillaCore
import Foundation

/// The registry credentials of a pod's `imagePullSecrets`: Secrets of type
/// `kubernetes.io/dockerconfigjson` (`.dockerconfigjson`, Docker's `config.json` with its `auths`)
/// or `kubernetes.io/dockercfg` (`.dockercfg`, the older form without `auths`), one entry per
/// registry, and which of them an image's registry takes.
enum PullSecrets {
    /// The credentials in the pod's pull secrets that exist, in the order the pod names them.
    static func credentials(of pod: JSON, inputs: PodInputs) -> [RegistryCredentials] {
        (pod["spec"]["imagePullSecrets"].array ?? []).flatMap { reference -> [RegistryCredentials] in
            guard let name = reference["name"].string, let secret = inputs.secrets[name] else { return [] }
            let data = secret["data"]
            var registries: JSON = .null
            if let text = data[".dockerconfigjson"].string.flatMap({ Data(base64Encoded: $0) }) {
                registries = (try? JSONParser.parse(Array(text)))?["auths"] ?? .null
            } else if let text = data[".dockercfg"].string.flatMap({ Data(base64Encoded: $0) }) {
                registries = (try? JSONParser.parse(Array(text))) ?? .null
            }
            return (registries.object ?? [:]).sorted { $0.key < $1.key }.map { server, entry in
                RegistryCredentials(
                    username: entry["username"].string ?? "", password: entry["password"].string ?? "", auth: entry["auth"].string ?? "",
                    serverAddress: host(ofServer: server), identityToken: entry["identitytoken"].string ?? "",
                    registryToken: entry["registrytoken"].string ?? "")
            }
        }
    }

    /// The credentials for `image` among `all`: those of its registry.
    static func credentials(for image: String, in all: [RegistryCredentials]) -> RegistryCredentials? {
        let registry = host(ofImage: image)
        return all.first { $0.serverAddress == registry }
    }

    /// The registry of an image reference: its first component when that names a host
    /// (`localhost`, or with a `.` or `:`), else Docker Hub.
    static func host(ofImage image: String) -> String {
        let first = image.split(separator: "/", maxSplits: 1).first.map(String.init) ?? ""
        guard image.contains("/"), first == "localhost" || first.contains(".") || first.contains(":") else { return "docker.io" }
        return first
    }

    /// The host of a `auths` key, which may be a URL (`https://index.docker.io/v1/`).
    static func host(ofServer server: String) -> String {
        var text = server
        for scheme in ["https://", "http://"] where text.hasPrefix(scheme) { text.removeFirst(scheme.count) }
        let host = text.split(separator: "/").first.map(String.init) ?? text
        return ["index.docker.io", "registry-1.docker.io"].contains(host) ? "docker.io" : host
    }
}
