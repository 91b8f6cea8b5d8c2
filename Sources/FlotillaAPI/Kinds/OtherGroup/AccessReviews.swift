import FlotillaCore

/// The create-only review resources of authorization.k8s.io/v1 and authentication.k8s.io/v1:
/// the server answers each POST with the object's `status` filled in and stores nothing.
enum AccessReviews {
    static let createOnly = ["create"]

    static let selfSubjectAccessReviews = ResourceDefinition(
        group: "authorization.k8s.io", version: "v1", kind: "SelfSubjectAccessReview", plural: "selfsubjectaccessreviews",
        namespaced: false, verbs: createOnly, schema: AccessReviewSchemas.authz + "SelfSubjectAccessReview", hasSpec: false,
        validator: { object, _ in accessReviewSpec(object["spec"]) })

    static let subjectAccessReviews = ResourceDefinition(
        group: "authorization.k8s.io", version: "v1", kind: "SubjectAccessReview", plural: "subjectaccessreviews",
        namespaced: false, verbs: createOnly, schema: AccessReviewSchemas.authz + "SubjectAccessReview", hasSpec: false,
        validator: { object, _ in subjectAccessReview(object) })

    static let selfSubjectRulesReviews = ResourceDefinition(
        group: "authorization.k8s.io", version: "v1", kind: "SelfSubjectRulesReview", plural: "selfsubjectrulesreviews",
        namespaced: false, verbs: createOnly, schema: AccessReviewSchemas.authz + "SelfSubjectRulesReview", hasSpec: false)

    static let tokenReviews = ResourceDefinition(
        group: "authentication.k8s.io", version: "v1", kind: "TokenReview", plural: "tokenreviews",
        namespaced: false, verbs: createOnly, schema: AccessReviewSchemas.authn + "TokenReview", hasSpec: false)

    static let selfSubjectReviews = ResourceDefinition(
        group: "authentication.k8s.io", version: "v1", kind: "SelfSubjectReview", plural: "selfsubjectreviews",
        namespaced: false, verbs: createOnly, schema: AccessReviewSchemas.authn + "SelfSubjectReview", hasSpec: false)

    static let all = [selfSubjectAccessReviews, selfSubjectRulesReviews, subjectAccessReviews, tokenReviews, selfSubjectReviews]

    /// Exactly one of resourceAttributes and nonResourceAttributes.
    static func accessReviewSpec(_ spec: JSON) -> [FlotillaError.Cause] {
        let resource = spec["resourceAttributes"]
        let nonResource = spec["nonResourceAttributes"]
        if !resource.isNull && !nonResource.isNull {
            return [.invalid("spec.nonResourceAttributes", nonResource, "cannot be specified in combination with resourceAttributes")]
        }
        if resource.isNull && nonResource.isNull {
            return [.invalid("spec.resourceAttributes", "null", "exactly one of nonResourceAttributes or resourceAttributes must be specified")]
        }
        return []
    }

    /// The spec rule above, and a user or at least one group to ask about.
    static func subjectAccessReview(_ object: JSON) -> [FlotillaError.Cause] {
        let spec = object["spec"]
        var causes = accessReviewSpec(spec)
        if (spec["user"].string ?? "").isEmpty && (spec["groups"].array ?? []).isEmpty {
            causes.append(.invalid("spec.user", spec["user"].string ?? "", "at least one of user or group must be specified"))
        }
        return causes
    }
}
