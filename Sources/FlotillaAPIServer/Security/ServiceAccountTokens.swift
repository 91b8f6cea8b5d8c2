import Crypto
import FlotillaAPI
import FlotillaCore
import FlotillaStore
import Foundation

/// Issues service account tokens and tells who a token belongs to.
///
/// Tokens are ES256 JSON Web Tokens (``ServiceAccountJWT``) signed with the cluster's
/// service account key. The key lives in the store, so every server of a cluster shares it; the
/// first server that needs it creates it. A token authenticates as
/// `system:serviceaccount:<namespace>:<name>` while it has not expired, one of its audiences is
/// the API's, and its service account (and the pod, secret or node it is bound to) still exists
/// with the uid it was issued for. A bound pod's token stops working a minute after the pod's
/// deletion began, as in Kubernetes.
public final class ServiceAccountTokens: Sendable {
    /// The store key of the signing key (PEM).
    static let signingKeyStoreKey = "/flotilla/service-account-signing-key"
    /// How long after its deletion began a bound pod's tokens still work.
    static let deletedPodGrace: TimeInterval = 60
    /// How far in the future a token's `nbf` may lie (clocks of several servers differ a little).
    static let clockSkew: Int64 = 60

    /// The tokens' issuer, `https://kubernetes.default.svc.<cluster domain>`; also the audience
    /// the API accepts.
    public let issuer: String
    private let store: any Store
    private let resources: ResourceCatalog
    private let key = Locked<P256.Signing.PrivateKey?>(nil)

    init(store: any Store, resources: ResourceCatalog, clusterDomain: String) {
        self.store = store
        self.resources = resources
        self.issuer = "https://kubernetes.default.svc.\(clusterDomain)"
    }

    /// The audiences a token must name (one of) to authenticate to the API.
    public var apiAudiences: [String] { [issuer] }

    /// Signs `claims` into a token.
    func issue(_ claims: ServiceAccountJWT) async throws -> String {
        try claims.signed(with: try await signingKey())
    }

    /// The service account user `token` authenticates as for one of `audiences` (the API's when
    /// nil), or nil: not a service account token, a bad signature, expired, meant for other
    /// audiences, or its service account or bound object is gone.
    public func user(forToken token: String, audiences: [String]? = nil, now: Date = Date()) async -> AuthenticatedUser? {
        guard token.utf8.count(where: { $0 == UInt8(ascii: ".") }) == 2,
            let key = try? await signingKey(),
            let claims = ServiceAccountJWT.verified(token, key: key.publicKey),
            claims.issuer == issuer
        else { return nil }
        let seconds = Int64(now.timeIntervalSince1970.rounded(.down))
        let wanted = audiences ?? apiAudiences
        guard seconds < claims.expires, claims.notBefore <= seconds + Self.clockSkew,
            claims.audiences.contains(where: wanted.contains)
        else { return nil }
        guard (try? await isCurrent(claims, now: now)) == true else { return nil }
        return .serviceAccount(namespace: claims.namespace, name: claims.serviceAccount, uid: claims.serviceAccountUID)
    }

    /// Whether the service account and the bound object still exist with the token's uids.
    private func isCurrent(_ claims: ServiceAccountJWT, now: Date) async throws -> Bool {
        guard let account = try await object("serviceaccounts", namespace: claims.namespace, name: claims.serviceAccount),
            account["metadata"]["uid"].string == claims.serviceAccountUID
        else { return false }
        if let pod = claims.pod {
            guard let object = try await object("pods", namespace: claims.namespace, name: pod.name),
                object["metadata"]["uid"].string == pod.uid
            else { return false }
            if let deleting = object["metadata"]["deletionTimestamp"].string.flatMap(Timestamp.parse),
                deleting.addingTimeInterval(Self.deletedPodGrace) < now
            {
                return false
            }
        }
        if let secret = claims.secret {
            guard let object = try await object("secrets", namespace: claims.namespace, name: secret.name),
                object["metadata"]["uid"].string == secret.uid
            else { return false }
        }
        if let node = claims.node {
            guard let object = try await object("nodes", namespace: nil, name: node.name), object["metadata"]["uid"].string == node.uid else {
                return false
            }
        }
        return true
    }

    /// A core object as stored, or nil when absent.
    func object(_ plural: String, namespace: String?, name: String) async throws -> JSON? {
        guard let resource = resources.resource(group: "", version: "v1", plural: plural),
            let kv = try await store.get(StorageKeys.key(resource, namespace: namespace, name: name))
        else { return nil }
        return try JSONParser.parse(kv.value)
    }

    /// The cluster's signing key: read from the store, or made and stored by the first server
    /// that needs it (a server that loses the race to create it reads the winner's).
    func signingKey() async throws -> P256.Signing.PrivateKey {
        if let known = key.withLock({ $0 }) { return known }
        let loaded: P256.Signing.PrivateKey
        if let stored = try await storedKey() {
            loaded = stored
        } else {
            let fresh = P256.Signing.PrivateKey()
            do {
                _ = try await store.create(Self.signingKeyStoreKey, value: Array(fresh.pemRepresentation.utf8))
                loaded = fresh
            } catch let error as FlotillaError where error.code == .alreadyExists {
                guard let stored = try await storedKey() else { throw error }
                loaded = stored
            }
        }
        return key.withLock { cached in
            if cached == nil { cached = loaded }
            return cached ?? loaded
        }
    }

    private func storedKey() async throws -> P256.Signing.PrivateKey? {
        guard let kv = try await store.get(Self.signingKeyStoreKey) else { return nil }
        return try P256.Signing.PrivateKey(pemRepresentation: String(decoding: kv.value, as: UTF8.self))
    }
}
