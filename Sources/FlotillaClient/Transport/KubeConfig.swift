import FlotillaCore
import Foundation
import Yams

/// The cluster and credentials of a kubeconfig file's current context: what a client needs to
/// reach the API server.
public struct KubeConfig: Sendable, Equatable {
    /// The API server URL, e.g. `https://127.0.0.1:6443`.
    public var server: String
    /// The cluster CA in PEM, from `certificate-authority-data` or the `certificate-authority` file.
    public var certificateAuthorityPEM: [UInt8]?
    /// The bearer token, from `token` or the `tokenFile`.
    public var token: String?
    public var insecureSkipTLSVerify: Bool
    /// The context's default namespace, if it names one.
    public var namespace: String?
    /// The name of the context these settings come from.
    public var contextName: String

    public init(
        server: String, certificateAuthorityPEM: [UInt8]? = nil, token: String? = nil,
        insecureSkipTLSVerify: Bool = false, namespace: String? = nil, contextName: String = ""
    ) {
        self.server = server
        self.certificateAuthorityPEM = certificateAuthorityPEM
        self.token = token
        self.insecureSkipTLSVerify = insecureSkipTLSVerify
        self.namespace = namespace
        self.contextName = contextName
    }

    /// `$KUBECONFIG` (its first entry) or `~/.kube/config`.
    public static var defaultPath: String {
        if let env = ProcessInfo.processInfo.environment["KUBECONFIG"],
            let first = env.split(separator: ":").first, !first.isEmpty
        {
            return String(first)
        }
        return NSHomeDirectory() + "/.kube/config"
    }

    /// Reads the kubeconfig at `path`; relative file references are resolved from its folder.
    public static func load(path: String, context: String? = nil) throws -> KubeConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FlotillaError(.notFound, "cannot read kubeconfig \(path)")
        }
        let folder = (path as NSString).deletingLastPathComponent
        return try parse(String(decoding: data, as: UTF8.self), baseDirectory: folder, context: context)
    }

    /// Parses kubeconfig YAML, taking `context` or else its `current-context`.
    public static func parse(_ yaml: String, baseDirectory: String = ".", context: String? = nil) throws -> KubeConfig {
        let document: Any?
        do {
            document = try Yams.load(yaml: yaml)
        } catch {
            throw FlotillaError(.badRequest, "the kubeconfig is not valid YAML: \(error)")
        }
        guard let root = document as? [String: Any] else {
            throw FlotillaError(.badRequest, "the kubeconfig is not a YAML mapping")
        }
        guard let contextName = context ?? (root["current-context"] as? String), !contextName.isEmpty else {
            throw FlotillaError(.badRequest, "the kubeconfig has no current-context")
        }
        let contextEntry = try entry(root, list: "contexts", name: contextName, field: "context")
        guard let clusterName = contextEntry["cluster"] as? String else {
            throw FlotillaError(.badRequest, "context \"\(contextName)\" names no cluster")
        }
        let cluster = try entry(root, list: "clusters", name: clusterName, field: "cluster")
        let user: [String: Any] =
            try (contextEntry["user"] as? String).map { try entry(root, list: "users", name: $0, field: "user") } ?? [:]

        guard let server = cluster["server"] as? String, !server.isEmpty else {
            throw FlotillaError(.badRequest, "cluster \"\(clusterName)\" has no server")
        }
        var ca: [UInt8]?
        if let data = cluster["certificate-authority-data"] as? String {
            guard let decoded = Data(base64Encoded: data.filter { !$0.isWhitespace }), !decoded.isEmpty else {
                throw FlotillaError(.badRequest, "cluster \"\(clusterName)\": certificate-authority-data is not base64")
            }
            ca = Array(decoded)
        } else if let file = cluster["certificate-authority"] as? String {
            ca = try readFile(file, baseDirectory: baseDirectory, what: "certificate-authority")
        }
        var token = user["token"] as? String
        if token == nil, let file = user["tokenFile"] as? String {
            let bytes = try readFile(file, baseDirectory: baseDirectory, what: "tokenFile")
            token = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return KubeConfig(
            server: server, certificateAuthorityPEM: ca, token: token,
            insecureSkipTLSVerify: (cluster["insecure-skip-tls-verify"] as? Bool) ?? false,
            namespace: contextEntry["namespace"] as? String, contextName: contextName)
    }

    /// The `field` mapping of the entry called `name` in the top-level list `list`.
    private static func entry(_ root: [String: Any], list: String, name: String, field: String) throws -> [String: Any] {
        let entries = root[list] as? [Any] ?? []
        for case let item as [String: Any] in entries where item["name"] as? String == name {
            return item[field] as? [String: Any] ?? [:]
        }
        throw FlotillaError(.badRequest, "the kubeconfig has no \(field) named \"\(name)\"")
    }

    private static func readFile(_ file: String, baseDirectory: String, what: String) throws -> [UInt8] {
        let path = file.hasPrefix("/") ? file : baseDirectory + "/" + file
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FlotillaError(.notFound, "cannot read \(what) file \(path)")
        }
        return Array(data)
    }
}
