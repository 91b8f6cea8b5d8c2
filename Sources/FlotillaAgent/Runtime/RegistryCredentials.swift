/// Credentials for one registry, as an `imagePullSecrets` entry of a pod gives them (Docker's
/// `auths` entries): a user name and password, their base64 `auth` form, or tokens.
public struct RegistryCredentials: Sendable, Equatable {
    public var username: String
    public var password: String
    /// base64 of `username:password`, when given that way.
    public var auth: String
    /// The registry these are for, e.g. `registry.example.com:5000`.
    public var serverAddress: String
    public var identityToken: String
    public var registryToken: String

    public init(
        username: String = "", password: String = "", auth: String = "", serverAddress: String = "",
        identityToken: String = "", registryToken: String = ""
    ) {
        self.username = username
        self.password = password
        self.auth = auth
        self.serverAddress = serverAddress
        self.identityToken = identityToken
        self.registryToken = registryToken
    }
}
