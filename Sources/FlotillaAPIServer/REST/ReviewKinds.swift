import FlotillaAPI
import FlotillaCore

/// The create-only review kinds, answered at once and never stored: access reviews (every
/// authenticated user may do everything until authorization exists), rules reviews, and who
/// the caller is.
enum ReviewKinds {
    static let accessReviews: Set<String> = ["SelfSubjectAccessReview", "SubjectAccessReview", "LocalSubjectAccessReview"]
    static let all: Set<String> = accessReviews.union(["SelfSubjectRulesReview", "SelfSubjectReview", "TokenReview"])

    /// Whether `resource` is one of the review kinds.
    static func handles(_ resource: ResourceDefinition) -> Bool {
        (resource.group == "authorization.k8s.io" || resource.group == "authentication.k8s.io") && all.contains(resource.kind)
    }

    /// The status of a review.
    static func status(of kind: String, user: String?) -> JSON {
        switch kind {
        case "SelfSubjectRulesReview":
            return [
                "resourceRules": [["verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]]],
                "nonResourceRules": [["verbs": ["*"], "nonResourceURLs": ["*"]]],
                "incomplete": false,
            ]
        case "SelfSubjectReview":
            return ["userInfo": ["username": .string(user ?? ""), "groups": ["system:authenticated"]]]
        case "TokenReview":
            return ["authenticated": false, "error": "token review is not available on this server"]
        default:
            return ["allowed": true, "reason": "every authenticated user is allowed everything"]
        }
    }
}

extension APIServer {
    /// `POST` of a review kind: the request echoed with its status, 201.
    func review(_ path: ResourcePath, _ request: APIRequest) async throws -> APIResponse {
        let resource = path.resource
        var body = try RequestBody.decodeObject(request, protobuf: protobufDecoder)
        try RequestBody.checkKind(&body.object, expected: resource.groupVersionKind)
        var object = body.object
        var meta = object["metadata"].object ?? [:]
        meta["creationTimestamp"] = .string(Timestamp.now())
        if let namespace = path.namespace { meta["namespace"] = .string(namespace) }
        object["metadata"] = .object(meta)
        if ReviewKinds.accessReviews.contains(resource.kind), object["spec"]["resourceAttributes"].isNull,
            object["spec"]["nonResourceAttributes"].isNull
        {
            throw FlotillaError.invalid(
                kind: resource.kind, group: resource.group, name: "",
                causes: [.required("spec.resourceAttributes", "exactly one of nonResourceAttributes or resourceAttributes must be specified")])
        }
        object["status"] = ReviewKinds.status(of: resource.kind, user: request.user)
        return Replies.json(201, object)
    }
}
