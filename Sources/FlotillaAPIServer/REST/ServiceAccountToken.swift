import FlotillaAPI
import FlotillaCore
import Foundation

/// `POST serviceaccounts/<name>/token`: a TokenRequest answered with a signed token for the
/// service account (``ServiceAccountTokens``), optionally bound to a pod, secret or node.
extension APIServer {
    static let tokenRequestKind = GroupVersionKind("authentication.k8s.io", "v1", "TokenRequest")
    /// The kinds a token may be bound to, and the resource each is read from.
    static let boundObjectResources = ["Pod": "pods", "Secret": "secrets", "Node": "nodes"]
    /// The longest lifetime a token may ask for (Kubernetes' limit, 2³² seconds).
    static let maxTokenSeconds: Int64 = 1 << 32

    func issueToken(_ path: ResourcePath, name: String, _ request: APIRequest) async throws -> APIResponse {
        var body = try RequestBody.decodeObject(request, protobuf: protobufDecoder).object
        try RequestBody.checkKind(&body, expected: Self.tokenRequestKind)
        let namespace = path.namespace ?? ""
        var spec = body["spec"].object ?? [:]
        let seconds = try Self.tokenLifetime(spec["expirationSeconds"] ?? .null, name: name)
        let audiences = try Self.tokenAudiences(spec["audiences"] ?? .null, name: name)
        let account = try await read(path.resource, namespace: namespace, name: name).object()
        var bound = spec["boundObjectRef"] ?? .null
        let binding = try await tokenBinding(&bound, namespace: namespace, name: name)

        let now = Int64(Date().timeIntervalSince1970.rounded(.down))
        let claims = ServiceAccountJWT(
            issuer: serviceAccountTokens.issuer, audiences: audiences.isEmpty ? serviceAccountTokens.apiAudiences : audiences,
            namespace: namespace, serviceAccount: name, serviceAccountUID: account["metadata"]["uid"].string ?? "",
            pod: binding.kind == "Pod" ? binding.object : nil, secret: binding.kind == "Secret" ? binding.object : nil,
            node: binding.kind == "Node" ? binding.object : nil,
            issuedAt: now, notBefore: now, expires: now + seconds, id: BufferedRandom.uuidString())
        let token = try await serviceAccountTokens.issue(claims)

        spec["audiences"] = .array(claims.audiences.map(JSON.string))
        spec["expirationSeconds"] = .int(seconds)
        if !bound.isNull { spec["boundObjectRef"] = bound }
        let reply: JSON = [
            "kind": "TokenRequest", "apiVersion": "authentication.k8s.io/v1",
            "metadata": ["name": .string(name), "namespace": .string(namespace), "creationTimestamp": .string(Timestamp.now())],
            "spec": .object(spec),
            "status": [
                "token": .string(token),
                "expirationTimestamp": .string(Timestamp.format(Date(timeIntervalSince1970: TimeInterval(claims.expires)))),
            ],
        ]
        return Replies.json(201, reply)
    }

    /// `spec.expirationSeconds`: an hour when absent, at least ten minutes, at most 2³² seconds.
    private static func tokenLifetime(_ value: JSON, name: String) throws -> Int64 {
        if value.isNull { return 3600 }
        guard let seconds = value.int else {
            throw tokenRequestInvalid(name, .invalid("spec.expirationSeconds", value, "must be an integer"))
        }
        guard seconds >= 600 else {
            throw tokenRequestInvalid(name, .invalid("spec.expirationSeconds", value, "may not specify a duration less than 10 minutes"))
        }
        guard seconds <= maxTokenSeconds else {
            throw tokenRequestInvalid(name, .invalid("spec.expirationSeconds", value, "may not specify a duration larger than 2^32 seconds"))
        }
        return seconds
    }

    /// `spec.audiences`: a list of non-empty strings (empty means the API's).
    private static func tokenAudiences(_ value: JSON, name: String) throws -> [String] {
        if value.isNull { return [] }
        guard let list = value.array else { throw tokenRequestInvalid(name, .invalid("spec.audiences", value, "must be a list of strings")) }
        return try list.enumerated().map { index, audience in
            guard let text = audience.string, !text.isEmpty else {
                throw tokenRequestInvalid(name, .invalid("spec.audiences[\(index)]", audience, "must be a non-empty string"))
            }
            return text
        }
    }

    /// The object `spec.boundObjectRef` names, which must exist (with the uid given, if any);
    /// fills in its uid. No binding when absent.
    private func tokenBinding(_ ref: inout JSON, namespace: String, name: String) async throws -> (kind: String, object: ServiceAccountJWT.BoundObject?) {
        if ref.isNull { return ("", nil) }
        guard let kind = ref["kind"].string, let plural = Self.boundObjectResources[kind] else {
            throw Self.tokenRequestInvalid(
                name, .notSupported("spec.boundObjectRef.kind", ref["kind"], Self.boundObjectResources.keys.sorted()))
        }
        if let version = ref["apiVersion"].string, version != "v1" {
            throw Self.tokenRequestInvalid(name, .notSupported("spec.boundObjectRef.apiVersion", ref["apiVersion"], ["v1"]))
        }
        guard let objectName = ref["name"].string, !objectName.isEmpty else {
            throw Self.tokenRequestInvalid(name, .required("spec.boundObjectRef.name", "must name the object the token is bound to"))
        }
        let objectNamespace = kind == "Node" ? nil : namespace
        guard let object = try await serviceAccountTokens.object(plural, namespace: objectNamespace, name: objectName) else {
            throw FlotillaError.notFound(resource: plural, name: objectName)
        }
        let uid = object["metadata"]["uid"].string ?? ""
        if let wanted = ref["uid"].string, !wanted.isEmpty, wanted != uid {
            throw FlotillaError(
                .conflict,
                "Operation cannot be fulfilled on \(plural) \"\(objectName)\": the UID in the bound object reference (\(wanted)) does not match the UID in record (\(uid)). The object might have been deleted and then recreated",
                name: objectName, kind: plural)
        }
        ref["uid"] = .string(uid)
        ref["apiVersion"] = "v1"
        return (kind, ServiceAccountJWT.BoundObject(name: objectName, uid: uid))
    }

    private static func tokenRequestInvalid(_ name: String, _ cause: FlotillaError.Cause) -> FlotillaError {
        FlotillaError.invalid(kind: "TokenRequest", group: "authentication.k8s.io", name: name, causes: [cause])
    }
}
