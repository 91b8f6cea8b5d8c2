/// The authorization.k8s.io/v1 access reviews and the authentication.k8s.io/v1 token and
/// identity reviews: create-only kinds answered by the server (`kubectl auth can-i`,
/// `kubectl auth whoami`, `kubectl create token`).
///
/// Field numbers are those of Kubernetes' `authorization/v1` and `authentication/v1` generated.proto.
/// `extra` maps hold lists of strings; in protobuf each list is wrapped in a message
/// `{ 1: repeated string items }`.
enum AccessReviewSchemas {
    static let definitions: [Definition] = [
        selfSubjectAccessReview, selfSubjectAccessReviewSpec, subjectAccessReview, subjectAccessReviewSpec,
        resourceAttributes, nonResourceAttributes, fieldSelectorAttributes, fieldSelectorRequirement,
        labelSelectorAttributes, subjectAccessReviewStatus, selfSubjectRulesReview, selfSubjectRulesReviewSpec,
        subjectRulesReviewStatus, resourceRule, nonResourceRule,
        tokenRequest, tokenRequestSpec, boundObjectReference, tokenRequestStatus, tokenReview, tokenReviewSpec,
        tokenReviewStatus, userInfo, selfSubjectReview, selfSubjectReviewStatus,
    ]

    static let authz = "io.k8s.api.authorization.v1."
    static let authn = "io.k8s.api.authentication.v1."

    // MARK: authorization.k8s.io/v1

    static let selfSubjectAccessReview = Definition(
        authz + "SelfSubjectAccessReview", "Asks whether the requesting user may perform an action.",
        gvk: [GroupVersionKind("authorization.k8s.io", "v1", "SelfSubjectAccessReview")],
        fields: KindFields.object(spec: authz + "SelfSubjectAccessReviewSpec", status: authz + "SubjectAccessReviewStatus", specRequired: true))

    static let selfSubjectAccessReviewSpec = Definition(
        authz + "SelfSubjectAccessReviewSpec", "The action asked about: a resource action or a non-resource one.",
        fields: [
            Field("resourceAttributes", 1, .ref(authz + "ResourceAttributes"), "An action on a resource."),
            Field("nonResourceAttributes", 2, .ref(authz + "NonResourceAttributes"), "An action on a non-resource URL."),
        ])

    static let subjectAccessReview = Definition(
        authz + "SubjectAccessReview", "Asks whether a given user or group may perform an action.",
        gvk: [GroupVersionKind("authorization.k8s.io", "v1", "SubjectAccessReview")],
        fields: KindFields.object(spec: authz + "SubjectAccessReviewSpec", status: authz + "SubjectAccessReviewStatus", specRequired: true))

    static let subjectAccessReviewSpec = Definition(
        authz + "SubjectAccessReviewSpec", "The action asked about and who would perform it.",
        fields: [
            Field("resourceAttributes", 1, .ref(authz + "ResourceAttributes"), "An action on a resource."),
            Field("nonResourceAttributes", 2, .ref(authz + "NonResourceAttributes"), "An action on a non-resource URL."),
            Field("user", 3, .string(), "The user asked about."),
            Field("groups", 4, .array(.string()), "The groups asked about.", listType: "atomic"),
            Field("extra", 5, .map(.array(.string())), "Extra identity attributes of the user."),
            Field("uid", 6, .string(), "The user's UID."),
        ])

    static let resourceAttributes = Definition(
        authz + "ResourceAttributes", "A verb on a resource, as an authorizer sees it.",
        fields: [
            Field("namespace", 1, .string(), "The namespace; empty means all namespaces or a cluster-scoped resource."),
            Field("verb", 2, .string(), "The verb, e.g. get, list, create; * means all."),
            Field("group", 3, .string(), "The API group; * means all."),
            Field("version", 4, .string(), "The API version; * means all."),
            Field("resource", 5, .string(), "The resource; * means all."),
            Field("subresource", 6, .string(), "The subresource, if any."),
            Field("name", 7, .string(), "The object name; empty means all."),
            Field("fieldSelector", 8, .ref(authz + "FieldSelectorAttributes"), "A field selector limiting the request."),
            Field("labelSelector", 9, .ref(authz + "LabelSelectorAttributes"), "A label selector limiting the request."),
        ])

    static let nonResourceAttributes = Definition(
        authz + "NonResourceAttributes", "An HTTP verb on a non-resource path.",
        fields: [
            Field("path", 1, .string(), "The URL path, e.g. /healthz."),
            Field("verb", 2, .string(), "The HTTP verb in lower case, e.g. get."),
        ])

    static let fieldSelectorAttributes = Definition(
        authz + "FieldSelectorAttributes", "A field selector limiting a request, raw or parsed.",
        fields: [
            Field("rawSelector", 1, .string(), "The selector as it appears in a query."),
            Field("requirements", 2, .array(.ref(authz + "FieldSelectorRequirement")), "The parsed requirements.", listType: "atomic"),
        ])

    static let fieldSelectorRequirement = Definition(
        authz + "FieldSelectorRequirement", "One requirement of a field selector.",
        fields: [
            Field("key", 1, .string(), "The field path.", required: true),
            Field("operator", 2, .string(), "In, NotIn, Exists or DoesNotExist.", required: true),
            Field("values", 3, .array(.string()), "The values compared against.", listType: "atomic"),
        ])

    static let labelSelectorAttributes = Definition(
        authz + "LabelSelectorAttributes", "A label selector limiting a request, raw or parsed.",
        fields: [
            Field("rawSelector", 1, .string(), "The selector as it appears in a query."),
            Field("requirements", 2, .array(.ref("io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement")),
                  "The parsed requirements.", listType: "atomic"),
        ])

    static let subjectAccessReviewStatus = Definition(
        authz + "SubjectAccessReviewStatus", "The answer to an access review.",
        fields: [
            Field("allowed", 1, .boolean, "Whether the action is allowed.", required: true),
            Field("denied", 4, .boolean, "Whether the action is explicitly denied."),
            Field("reason", 2, .string(), "Why the action was allowed or denied."),
            Field("evaluationError", 3, .string(), "A problem met while deciding, if any."),
        ])

    static let selfSubjectRulesReview = Definition(
        authz + "SelfSubjectRulesReview", "Lists what the requesting user may do in a namespace.",
        gvk: [GroupVersionKind("authorization.k8s.io", "v1", "SelfSubjectRulesReview")],
        fields: KindFields.object(spec: authz + "SelfSubjectRulesReviewSpec", status: authz + "SubjectRulesReviewStatus", specRequired: true))

    static let selfSubjectRulesReviewSpec = Definition(
        authz + "SelfSubjectRulesReviewSpec", "The namespace whose rules are listed.",
        fields: [Field("namespace", 1, .string(), "The namespace.")])

    static let subjectRulesReviewStatus = Definition(
        authz + "SubjectRulesReviewStatus", "The rules that apply to a user in a namespace.",
        fields: [
            Field("resourceRules", 1, .array(.ref(authz + "ResourceRule")), "Allowed actions on resources.", required: true, listType: "atomic"),
            Field("nonResourceRules", 2, .array(.ref(authz + "NonResourceRule")), "Allowed actions on non-resource URLs.", required: true, listType: "atomic"),
            Field("incomplete", 3, .boolean, "Whether the list may be missing rules.", required: true),
            Field("evaluationError", 4, .string(), "A problem met while listing, if any."),
        ])

    static let resourceRule = Definition(
        authz + "ResourceRule", "Verbs allowed on resources.",
        fields: [
            Field("verbs", 1, .array(.string()), "The verbs; * means all.", required: true, listType: "atomic"),
            Field("apiGroups", 2, .array(.string()), "The API groups; * means all.", listType: "atomic"),
            Field("resources", 3, .array(.string()), "The resources; * means all.", listType: "atomic"),
            Field("resourceNames", 4, .array(.string()), "The object names; empty means all.", listType: "atomic"),
        ])

    static let nonResourceRule = Definition(
        authz + "NonResourceRule", "Verbs allowed on non-resource URLs.",
        fields: [
            Field("verbs", 1, .array(.string()), "The HTTP verbs; * means all.", required: true, listType: "atomic"),
            Field("nonResourceURLs", 2, .array(.string()), "The URL paths; a trailing * matches a prefix.", listType: "atomic"),
        ])

    // MARK: authentication.k8s.io/v1

    static let tokenRequest = Definition(
        authn + "TokenRequest", "Asks for a token of a service account; posted to serviceaccounts/token.",
        gvk: [GroupVersionKind("authentication.k8s.io", "v1", "TokenRequest")],
        fields: KindFields.object(spec: authn + "TokenRequestSpec", status: authn + "TokenRequestStatus", specRequired: true))

    static let tokenRequestSpec = Definition(
        authn + "TokenRequestSpec", "What the requested token is for and how long it lives.",
        fields: [
            Field("audiences", 1, .array(.string()), "Who the token is meant for.", required: true, listType: "atomic"),
            Field("expirationSeconds", 4, .int64, "The requested lifetime in seconds.", presence: .pointer),
            Field("boundObjectRef", 3, .ref(authn + "BoundObjectReference"), "An object whose deletion invalidates the token."),
        ])

    static let boundObjectReference = Definition(
        authn + "BoundObjectReference", "An object a token is bound to.",
        fields: [
            Field("kind", 1, .string(), "Pod, Secret or Node."),
            Field("apiVersion", 2, .string(), "The object's API version."),
            Field("name", 3, .string(), "The object's name."),
            Field("uid", 4, .string(), "The object's UID."),
        ])

    static let tokenRequestStatus = Definition(
        authn + "TokenRequestStatus", "The issued token.",
        fields: [
            Field("token", 1, .string(), "The bearer token.", required: true),
            Field("expirationTimestamp", 2, .time, "When the token expires.", required: true),
        ])

    static let tokenReview = Definition(
        authn + "TokenReview", "Asks who a bearer token belongs to.",
        gvk: [GroupVersionKind("authentication.k8s.io", "v1", "TokenReview")],
        fields: KindFields.object(spec: authn + "TokenReviewSpec", status: authn + "TokenReviewStatus", specRequired: true))

    static let tokenReviewSpec = Definition(
        authn + "TokenReviewSpec", "The token to check.",
        fields: [
            Field("token", 1, .string(), "The bearer token."),
            Field("audiences", 2, .array(.string()), "Audiences the token must be valid for.", listType: "atomic"),
        ])

    static let tokenReviewStatus = Definition(
        authn + "TokenReviewStatus", "Whether the token is valid and whose it is.",
        fields: [
            Field("authenticated", 1, .boolean, "Whether the token belongs to a known user."),
            Field("user", 2, .ref(authn + "UserInfo"), "The user the token belongs to."),
            Field("audiences", 4, .array(.string()), "Audiences the token is valid for.", listType: "atomic"),
            Field("error", 3, .string(), "Why the token could not be checked, if it could not."),
        ])

    static let userInfo = Definition(
        authn + "UserInfo", "An authenticated identity.",
        fields: [
            Field("username", 1, .string(), "The user's name."),
            Field("uid", 2, .string(), "A value identifying the user across renames."),
            Field("groups", 3, .array(.string()), "The user's groups.", listType: "atomic"),
            Field("extra", 4, .map(.array(.string())), "Extra attributes from the authenticator."),
        ])

    static let selfSubjectReview = Definition(
        authn + "SelfSubjectReview", "Asks who the requesting user is.",
        gvk: [GroupVersionKind("authentication.k8s.io", "v1", "SelfSubjectReview")],
        fields: KindFields.object() + [
            Field("status", 2, .ref(authn + "SelfSubjectReviewStatus"), "The requesting user, filled in by the server."),
        ])

    static let selfSubjectReviewStatus = Definition(
        authn + "SelfSubjectReviewStatus", "The requesting user's identity.",
        fields: [Field("userInfo", 1, .ref(authn + "UserInfo"), "The user as the server authenticated it.")])
}
