import Crypto
import FlotillaCore
import Foundation

/// A service account token as Kubernetes writes one: a JSON Web Token signed with ES256 whose
/// claims name the issuer, the subject (`system:serviceaccount:<namespace>:<name>`), the
/// audiences, the lifetime, and under `kubernetes.io` the service account and the object the
/// token is bound to.
struct ServiceAccountJWT: Sendable, Equatable {
    /// An object a token is bound to: the token is good only while it exists with this uid.
    struct BoundObject: Sendable, Equatable {
        var name: String
        var uid: String
    }

    var issuer: String
    var audiences: [String]
    var namespace: String
    var serviceAccount: String
    var serviceAccountUID: String
    var pod: BoundObject?
    var secret: BoundObject?
    var node: BoundObject?
    /// Seconds since the epoch.
    var issuedAt: Int64
    var notBefore: Int64
    var expires: Int64
    /// The token's own id (`jti`).
    var id: String

    /// `system:serviceaccount:<namespace>:<name>`.
    var subject: String { AuthenticatedUser.serviceAccountName(namespace: namespace, name: serviceAccount) }

    /// The token: header, claims and signature, each base64url-encoded, joined by dots.
    func signed(with key: P256.Signing.PrivateKey) throws -> String {
        let header: JSON = ["alg": "ES256", "kid": .string(Self.keyID(of: key.publicKey))]
        let input = Base64URL.encode(header.serialized()) + "." + Base64URL.encode(claims.serialized())
        let signature = try key.signature(for: Array(input.utf8))
        return input + "." + Base64URL.encode(Array(signature.rawRepresentation))
    }

    /// The claims of `token` when it is a well-formed ES256 token signed by `key`; nil otherwise.
    /// Times and audiences are the caller's to judge.
    static func verified(_ token: String, key: P256.Signing.PublicKey) -> ServiceAccountJWT? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3,
            let headerBytes = Base64URL.decode(parts[0]), let header = try? JSONParser.parse(headerBytes),
            header["alg"].string == "ES256",
            let signatureBytes = Base64URL.decode(parts[2]),
            let signature = try? P256.Signing.ECDSASignature(rawRepresentation: signatureBytes),
            key.isValidSignature(signature, for: Array("\(parts[0]).\(parts[1])".utf8)),
            let claimBytes = Base64URL.decode(parts[1]), let claims = try? JSONParser.parse(claimBytes)
        else { return nil }
        return ServiceAccountJWT(claims: claims)
    }

    /// The key id Kubernetes gives a signing key: the base64url SHA-256 of its public key (DER).
    static func keyID(of key: P256.Signing.PublicKey) -> String {
        Base64URL.encode(Array(SHA256.hash(data: key.derRepresentation)))
    }

    private var claims: JSON {
        var kubernetes: JSONObject = [
            "namespace": .string(namespace),
            "serviceaccount": ["name": .string(serviceAccount), "uid": .string(serviceAccountUID)],
        ]
        for (field, object) in [("pod", pod), ("secret", secret), ("node", node)] {
            if let object { kubernetes[field] = ["name": .string(object.name), "uid": .string(object.uid)] }
        }
        return [
            "iss": .string(issuer), "sub": .string(subject), "aud": .array(audiences.map(JSON.string)),
            "iat": .int(issuedAt), "nbf": .int(notBefore), "exp": .int(expires), "jti": .string(id),
            "kubernetes.io": .object(kubernetes),
        ]
    }

    /// Reads the claims; nil when one is missing or the subject does not match the service account.
    private init?(claims: JSON) {
        let kubernetes = claims["kubernetes.io"]
        guard let issuer = claims["iss"].string, let subject = claims["sub"].string,
            let namespace = kubernetes["namespace"].string,
            let name = kubernetes["serviceaccount"]["name"].string, let uid = kubernetes["serviceaccount"]["uid"].string,
            let issuedAt = claims["iat"].int, let notBefore = claims["nbf"].int, let expires = claims["exp"].int
        else { return nil }
        // `aud` may be one string or a list (RFC 7519).
        let audiences = claims["aud"].string.map { [$0] } ?? claims["aud"].array?.compactMap(\.string) ?? []
        func bound(_ field: String) -> BoundObject? {
            guard let name = kubernetes[field]["name"].string, let uid = kubernetes[field]["uid"].string else { return nil }
            return BoundObject(name: name, uid: uid)
        }
        self.init(
            issuer: issuer, audiences: audiences, namespace: namespace, serviceAccount: name, serviceAccountUID: uid,
            pod: bound("pod"), secret: bound("secret"), node: bound("node"),
            issuedAt: issuedAt, notBefore: notBefore, expires: expires, id: claims["jti"].string ?? "")
        guard subject == self.subject else { return nil }
    }

    init(
        issuer: String, audiences: [String], namespace: String, serviceAccount: String, serviceAccountUID: String,
        pod: BoundObject? = nil, secret: BoundObject? = nil, node: BoundObject? = nil,
        issuedAt: Int64, notBefore: Int64, expires: Int64, id: String
    ) {
        self.issuer = issuer
        self.audiences = audiences
        self.namespace = namespace
        self.serviceAccount = serviceAccount
        self.serviceAccountUID = serviceAccountUID
        self.pod = pod
        self.secret = secret
        self.node = node
        self.issuedAt = issuedAt
        self.notBefore = notBefore
        self.expires = expires
        self.id = id
    }
}

/// Base64 with the URL alphabet and no padding (RFC 4648 §5), as JSON Web Tokens use it.
enum Base64URL {
    static func encode(_ bytes: [UInt8]) -> String {
        var text = Data(bytes).base64EncodedString()
        while text.last == "=" { text.removeLast() }
        return String(text.map { $0 == "+" ? "-" : $0 == "/" ? "_" : $0 })
    }

    /// The bytes of `text`; nil when it is not base64url.
    static func decode(_ text: Substring) -> [UInt8]? {
        guard !text.contains("+"), !text.contains("/"), !text.contains("=") else { return nil }
        var standard = String(text.map { $0 == "-" ? "+" : $0 == "_" ? "/" : $0 })
        guard standard.count % 4 != 1 else { return nil }
        while standard.count % 4 != 0 { standard.append("=") }
        return Data(base64Encoded: standard).map(Array.init)
    }
}
