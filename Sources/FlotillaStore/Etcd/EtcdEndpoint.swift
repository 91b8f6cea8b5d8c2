import FlotillaCore
import Foundation

/// One etcd client URL (`http://127.0.0.1:2379`), as given on the command line, with the parts
/// the gRPC connection needs. Only plain HTTP is spoken.
struct EtcdEndpoint: Sendable, Equatable {
    /// The URL without a trailing slash, as messages name the endpoint.
    let url: String
    let host: String
    let port: Int

    init(_ text: String) throws {
        let url = text.hasSuffix("/") ? String(text.dropLast()) : text
        guard let parsed = URL(string: url), let host = parsed.host, !host.isEmpty,
            parsed.scheme?.lowercased() == "http"
        else {
            throw FlotillaError(.invalid, "etcd endpoint \"\(text)\" is not a URL like http://127.0.0.1:2379")
        }
        self.url = url
        self.host = host
        port = parsed.port ?? 2379
    }

    /// The endpoints named by `texts`, skipping empty ones; throws `.invalid` if none is left.
    static func parse(_ texts: [String]) throws -> [EtcdEndpoint] {
        let endpoints = try texts.filter { !$0.isEmpty }.map(EtcdEndpoint.init)
        guard !endpoints.isEmpty else { throw FlotillaError(.invalid, "no etcd endpoints given") }
        return endpoints
    }
}
