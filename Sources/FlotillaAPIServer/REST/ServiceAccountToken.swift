import FlotillaAPI
import FlotillaCore
import Foundation

/// `POST serviceaccounts/<name>/token`: a TokenRequest answered with a fresh random token.
extension APIServer {
    static let tokenRequestKind = GroupVersionKind("authentication.k8s.io", "v1", "TokenRequest")

    func issueToken(_ path: ResourcePath, name: String, _ request: APIRequest) async throws -> APIResponse {
        var body = try RequestBody.decodeObject(request, protobuf: protobufDecoder).object
        try RequestBody.checkKind(&body, expected: Self.tokenRequestKind)
        _ = try await read(path.resource, namespace: path.namespace, name: name)
        let seconds = body["spec"]["expirationSeconds"].int ?? 3600
        guard seconds >= 600 else {
            throw FlotillaError.invalid(
                kind: "TokenRequest", group: "authentication.k8s.io", name: name,
                causes: [.invalid("spec.expirationSeconds", .int(seconds), "may not specify a duration less than 10 minutes")])
        }
        var generator = SystemRandomNumberGenerator()
        let token = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
        var spec = body["spec"].object ?? [:]
        spec["audiences"] = spec["audiences"] ?? []
        spec["expirationSeconds"] = .int(seconds)
        let reply: JSON = [
            "kind": "TokenRequest", "apiVersion": "authentication.k8s.io/v1",
            "metadata": ["name": .string(name), "namespace": .string(path.namespace ?? ""), "creationTimestamp": .string(Timestamp.now())],
            "spec": .object(spec),
            "status": [
                "token": .string(token),
                "expirationTimestamp": .string(Timestamp.format(Date().addingTimeInterval(TimeInterval(seconds)))),
            ],
        ]
        return Replies.json(201, reply)
    }
}
