import FlotillaClient
import FlotillaCore
import Foundation

/// The tokens of pods' projected `serviceAccountToken` volume sources, as the kubelet gets them:
/// a TokenRequest for the pod's service account, bound to the pod, for the source's audience
/// and lifetime. A token is kept and given again until 80 % of its lifetime (at most 24 hours)
/// has passed, then a new one is asked for; a pod's running containers see it through the
/// periodic rewrite of volume files.
public final class ServiceAccountTokenSource: Sendable {
    /// One projected source of one pod.
    struct Key: Hashable, Sendable {
        var podUID: String
        var audience: String
        var seconds: Int64
    }

    private struct Held: Sendable {
        var token: String
        var renewAt: Date
    }

    private let client: KubernetesClient
    private let held = Locked<[Key: Held]>([:])

    public init(client: KubernetesClient) {
        self.client = client
    }

    /// The token for `source` (a `serviceAccountToken` projection) of `pod`, from the cache or
    /// the API. Throws the API's error (e.g. the service account does not exist yet).
    func token(for pod: JSON, source: JSON, now: Date = Date()) async throws -> String {
        let key = Self.key(pod: pod, source: source)
        if let known = held.withLock({ $0[key] }), now < known.renewAt { return known.token }
        let namespace = pod["metadata"]["namespace"].string ?? "default"
        let account = pod["spec"]["serviceAccountName"].string.flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        var spec: JSON = [
            "expirationSeconds": .int(key.seconds),
            "boundObjectRef": [
                "kind": "Pod", "apiVersion": "v1", "name": pod["metadata"]["name"], "uid": .string(key.podUID),
            ],
        ]
        if !key.audience.isEmpty { spec["audiences"] = [.string(key.audience)] }
        let path = ResourceRef.serviceAccounts.objectPath(namespace: namespace, name: account, subresource: "token")
        let reply = try await client.call(
            "POST", path, body: ["apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest", "spec": spec])
        guard let token = reply["status"]["token"].string else {
            throw FlotillaError(.internalError, "the TokenRequest for service account \(namespace)/\(account) came back without a token")
        }
        let expires = reply["status"]["expirationTimestamp"].string.flatMap(Timestamp.parse) ?? now.addingTimeInterval(TimeInterval(key.seconds))
        let lifetime = min(expires.timeIntervalSince(now), 24 * 3600)
        held.withLock { $0[key] = Held(token: token, renewAt: now.addingTimeInterval(lifetime * 0.8)) }
        return token
    }

    /// Forgets the tokens of a pod that is gone.
    func forget(podUID: String) {
        held.withLock { held in held = held.filter { $0.key.podUID != podUID } }
    }

    /// The cache key of a projected source: the pod, the audience and the lifetime asked for.
    static func key(pod: JSON, source: JSON) -> Key {
        Key(
            podUID: pod["metadata"]["uid"].string ?? "", audience: source["audience"].string ?? "",
            seconds: source["expirationSeconds"].int ?? 3600)
    }
}
