import FlotillaAPI
import FlotillaCore

/// The create-only review kinds, answered at once and never stored: access reviews (every
/// authenticated user may do everything until authorization exists), rules reviews, who the
/// caller is, and token reviews.
enum ReviewKinds {
    static let accessReviews: Set<String> = ["SelfSubjectAccessReview", "SubjectAccessReview", "LocalSubjectAccessReview"]
    static let all: Set<String> = accessReviews.union(["SelfSubjectRulesReview", "SelfSubjectReview", "TokenReview"])

    /// Whether `resource` is one of the review kinds.
    static func handles(_ resource: ResourceDefinition) -> Bool {
        (resource.group == "authorization.k8s.io" || resource.group == "authentication.k8s.io") && all.contains(resource.kind)
    }

    /// The status of a review other than a TokenReview, for the caller of `request`.
    static func status(of kind: String, request: APIRequest) -> JSON {
        switch kind {
        case "SelfSubjectRulesReview":
            return [
                "resourceRules": [["verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]]],
                "nonResourceRules": [["verbs": ["*"], "nonResourceURLs": ["*"]]],
                "incomplete": false,
            ]
        case "SelfSubjectReview":
            let groups = request.groups.isEmpty ? ["system:authenticated"] : request.groups
            return ["userInfo": userInfo(AuthenticatedUser(name: request.user ?? "", uid: request.userUID, groups: groups))]
        default:
            return ["allowed": true, "reason": "every authenticated user is allowed everything"]
        }
    }

    /// A `UserInfo` object.
    static func userInfo(_ user: AuthenticatedUser) -> JSON {
        var info: JSON = ["username": .string(user.name), "groups": .array(user.groups.map(JSON.string))]
        if !user.uid.isEmpty { info["uid"] = .string(user.uid) }
        return info
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
        if resource.kind == "TokenReview" {
            object["status"] = try await tokenReviewStatus(object["spec"])
        } else {
            object["status"] = ReviewKinds.status(of: resource.kind, request: request)
        }
        return Replies.json(201, object)
    }

    /// Whether the token of a TokenReview's `spec` authenticates, for whom, and for which of the
    /// audiences asked (the API's when none are).
    private func tokenReviewStatus(_ spec: JSON) async throws -> JSON {
        guard let token = spec["token"].string, !token.isEmpty else {
            throw FlotillaError(.badRequest, "token is required for TokenReview in authentication")
        }
        let asked = spec["audiences"].array?.compactMap(\.string).filter { !$0.isEmpty } ?? []
        let audiences = asked.isEmpty ? serviceAccountTokens.apiAudiences : asked
        let user: AuthenticatedUser?
        if let reviewer = tokenReviewer.withLock({ $0 }) {
            user = await reviewer.user(forToken: token.utf8, audiences: audiences)
        } else {
            user = await serviceAccountTokens.user(forToken: token, audiences: audiences)
        }
        guard let user else {
            return ["authenticated": false, "user": [:], "error": "invalid bearer token"]
        }
        return ["authenticated": true, "user": ReviewKinds.userInfo(user), "audiences": .array(audiences.map(JSON.string))]
    }
}
