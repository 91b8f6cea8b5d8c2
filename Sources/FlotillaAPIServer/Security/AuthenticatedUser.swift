/// Who sent a request, as the authenticator established it.
public struct AuthenticatedUser: Sendable, Equatable {
    /// The user name, e.g. `admin` or `system:kube-scheduler`.
    public var name: String
    public var uid: String
    public var groups: [String]

    public init(name: String, uid: String = "", groups: [String] = []) {
        self.name = name
        self.uid = uid
        self.groups = groups
    }

    /// The cluster administrator behind the admin token (in `system:masters`, as in Kubernetes).
    public static let admin = AuthenticatedUser(name: "admin", uid: "admin", groups: ["system:masters", "system:authenticated"])
}

extension AuthenticatedUser {
    /// The user a service account's token authenticates as, with Kubernetes' groups for it.
    static func serviceAccount(namespace: String, name: String, uid: String) -> AuthenticatedUser {
        AuthenticatedUser(
            name: serviceAccountName(namespace: namespace, name: name), uid: uid,
            groups: ["system:serviceaccounts", "system:serviceaccounts:\(namespace)", "system:authenticated"])
    }

    /// `system:serviceaccount:<namespace>:<name>`.
    static func serviceAccountName(namespace: String, name: String) -> String {
        "system:serviceaccount:\(namespace):\(name)"
    }
}
