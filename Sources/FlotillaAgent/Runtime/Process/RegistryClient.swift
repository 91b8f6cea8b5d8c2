import AsyncHTTPClient
import Crypto
import FlotillaCore
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// The distribution API of one image's registry: manifests and blobs, with the login a pod's
/// pull secret gives (Basic, or a Bearer token from the registry's token server). Registries on
/// loopback and those named insecure are reached over plain HTTP, others over HTTPS.
final class RegistryClient: Sendable {
    let reference: ImageReference
    private let credentials: RegistryCredentials?
    private let baseURL: String
    private let http: HTTPClient
    /// The `Authorization` header that the registry last accepted or asked for.
    private let authorization = Mutex<String?>(nil)

    init(reference: ImageReference, credentials: RegistryCredentials?, insecureRegistries: [String], http: HTTPClient = .shared) {
        self.reference = reference
        self.credentials = credentials
        let plain = reference.isLoopback || insecureRegistries.contains(reference.registry)
        baseURL = "\(plain ? "http" : "https")://\(reference.apiHost)/v2/\(reference.repository)"
        self.http = http
    }

    /// The manifest named `tagOrDigest`, its media type and its digest.
    func manifest(_ tagOrDigest: String) async throws -> (body: [UInt8], mediaType: String?, digest: String) {
        let response = try await get("/manifests/\(tagOrDigest)", accept: ImageManifest.acceptedMediaTypes)
        let body = try await collect(response, what: "manifest \(tagOrDigest)")
        let digest = Self.sha256(body)
        if tagOrDigest.hasPrefix("sha256:"), tagOrDigest != digest {
            throw FlotillaError(.internalError, "manifest \(tagOrDigest) of \(reference.repository) arrived with digest \(digest)")
        }
        return (body, response.headers.first(name: "content-type"), digest)
    }

    /// A small blob (an image config), checked against its digest.
    func blob(_ digest: String) async throws -> [UInt8] {
        let body = try await collect(try await get("/blobs/\(digest)", accept: []), what: "blob \(digest)")
        guard Self.sha256(body) == digest else { throw FlotillaError(.internalError, "blob \(digest) of \(reference.repository) does not match its digest") }
        return body
    }

    /// Streams blob `digest` (a layer) into the file at `path`, checking its digest.
    func download(_ digest: String, to path: String) async throws {
        let response = try await get("/blobs/\(digest)", accept: [])
        guard response.status == .ok else { throw failure(response.status, what: "blob \(digest)") }
        guard FileManager.default.createFile(atPath: path, contents: nil), let file = FileHandle(forWritingAtPath: path) else {
            throw FlotillaError(.internalError, "cannot write \(path)")
        }
        defer { try? file.close() }
        var hash = SHA256()
        for try await buffer in response.body {
            try buffer.withUnsafeReadableBytes { bytes in
                hash.update(bufferPointer: bytes)
                try file.write(contentsOf: Data(bytes))
            }
        }
        let actual = "sha256:" + hash.finalize().map { String(format: "%02x", $0) }.joined()
        guard actual == digest else { throw FlotillaError(.internalError, "layer \(digest) of \(reference.repository) arrived with digest \(actual)") }
    }

    static func sha256(_ bytes: [UInt8]) -> String {
        "sha256:" + SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    private func collect(_ response: HTTPClientResponse, what: String) async throws -> [UInt8] {
        guard response.status == .ok else { throw failure(response.status, what: what) }
        return Array(buffer: try await response.body.collect(upTo: 16 << 20))
    }

    private func failure(_ status: HTTPResponseStatus, what: String) -> FlotillaError {
        let name = "\(reference.registry)/\(reference.repository)"
        switch status {
        case .notFound: return FlotillaError(.notFound, "\(name): \(what) not found")
        case .unauthorized, .forbidden:
            return FlotillaError(.unauthorized, "\(name): the registry refused access to \(what) (\(status.code)); does the pod need an imagePullSecret?")
        default: return FlotillaError(.internalError, "\(name): the registry answered \(status.code) for \(what)")
        }
    }

    /// GETs `path` below the repository, logging in once when the registry asks for it.
    private func get(_ path: String, accept: [String]) async throws -> HTTPClientResponse {
        var response = try await send(baseURL + path, accept: accept, authorization: authorization.withLock { $0 })
        if response.status == .unauthorized, let header = response.headers.first(name: "www-authenticate"),
            let challenge = RegistryChallenge(header)
        {
            let login = try await self.login(challenge)
            authorization.withLock { $0 = login }
            response = try await send(baseURL + path, accept: accept, authorization: login)
        }
        return response
    }

    private func send(_ url: String, accept: [String], authorization: String?) async throws -> HTTPClientResponse {
        var request = HTTPClientRequest(url: url)
        if !accept.isEmpty { request.headers.add(name: "Accept", value: accept.joined(separator: ", ")) }
        if let authorization { request.headers.add(name: "Authorization", value: authorization) }
        do {
            return try await http.execute(request, timeout: .seconds(300))
        } catch {
            throw FlotillaError(.serviceUnavailable, "cannot reach registry \(reference.registry) (\(url)): \(error)")
        }
    }

    /// `user:password` from the credentials' user name and password, or their `auth` form.
    private var basicLogin: String? {
        guard let credentials else { return nil }
        if !credentials.username.isEmpty { return "\(credentials.username):\(credentials.password)" }
        if let data = Data(base64Encoded: credentials.auth), let text = String(data: data, encoding: .utf8), !text.isEmpty { return text }
        return nil
    }

    /// The `Authorization` header answering `challenge`: Basic with the login, or a Bearer token
    /// from the token server it names (asked with the login, when there is one).
    private func login(_ challenge: RegistryChallenge) async throws -> String? {
        let basic = basicLogin.map { "Basic " + Data($0.utf8).base64EncodedString() }
        if challenge.scheme == "basic" { return basic }
        guard challenge.scheme == "bearer" else { return nil }
        if let token = credentials?.registryToken, !token.isEmpty { return "Bearer " + token }
        guard let realm = challenge.parameters["realm"], var components = URLComponents(string: realm) else { return nil }
        var query = components.queryItems ?? []
        if let service = challenge.parameters["service"] { query.append(URLQueryItem(name: "service", value: service)) }
        query.append(URLQueryItem(name: "scope", value: challenge.parameters["scope"] ?? "repository:\(reference.repository):pull"))
        components.queryItems = query
        guard let url = components.string else { return nil }
        let response = try await send(url, accept: ["application/json"], authorization: basic)
        let body = try await collect(response, what: "a token from \(realm)")
        struct Token: Decodable {
            var token: String?
            var access_token: String?
        }
        guard let decoded = try? JSONDecoder().decode(Token.self, from: Data(body)), let token = decoded.token ?? decoded.access_token else {
            throw FlotillaError(.unauthorized, "\(realm) gave no token for \(reference.repository)")
        }
        return "Bearer " + token
    }
}
