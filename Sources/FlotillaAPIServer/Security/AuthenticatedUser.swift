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
