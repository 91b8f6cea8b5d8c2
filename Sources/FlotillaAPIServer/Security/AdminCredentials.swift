import FlotillaCore

/// The admin bearer token kept in `<data-dir>/admin.token` (32 random bytes, hex) and the admin
/// kubeconfig written next to it.
public enum AdminCredentials {
    /// The token file's name under the data directory.
    public static let tokenFileName = "admin.token"
    /// The kubeconfig's name under the data directory.
    public static let kubeconfigFileName = "admin.kubeconfig"

    /// The admin token from `<dataDir>/admin.token`, created (mode 0600) on first use.
    public static func loadOrCreateToken(dataDirectory: String) throws -> String {
        try SecureFile.makeDirectory(dataDirectory)
        let path = dataDirectory + "/" + tokenFileName
        if let bytes = try SecureFile.read(path) {
            let token = String(decoding: bytes, as: UTF8.self).trimmingSpaces().filter { !$0.isNewline }
            guard token.count >= 32 else {
                throw FlotillaError(.internalError, "the admin token in \(path) is too short; remove the file to create a new one")
            }
            return token
        }
        var generator = SystemRandomNumberGenerator()
        let token = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }.hexString
        try SecureFile.write(Array((token + "\n").utf8), to: path, mode: 0o600)
        return token
    }

    /// Writes `<dataDir>/admin.kubeconfig` (mode 0600) and returns its path.
    public static func writeKubeconfig(dataDirectory: String, kubeconfig: Kubeconfig) throws -> String {
        let path = dataDirectory + "/" + kubeconfigFileName
        try SecureFile.write(Array(kubeconfig.yaml.utf8), to: path, mode: 0o600)
        return path
    }
}
