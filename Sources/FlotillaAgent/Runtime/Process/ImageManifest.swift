import FlotillaCore
import Foundation

/// What a registry answers for an image name (OCI or Docker v2 distribution): an image index
/// (a manifest list) naming one manifest per platform, or an image manifest naming the image's
/// config and layers.
public enum ImageManifest: Sendable, Equatable {
    /// One blob a manifest names.
    public struct Descriptor: Sendable, Equatable, Codable {
        public var mediaType: String?
        public var digest: String
        public var size: Int64?
        public var platform: Platform?

        public init(mediaType: String? = nil, digest: String, size: Int64? = nil, platform: Platform? = nil) {
            self.mediaType = mediaType
            self.digest = digest
            self.size = size
            self.platform = platform
        }
    }

    /// The platform an index entry is for.
    public struct Platform: Sendable, Equatable, Codable {
        public var os: String
        public var architecture: String
        public var variant: String?

        public init(os: String, architecture: String, variant: String? = nil) {
            self.os = os
            self.architecture = architecture
            self.variant = variant
        }
    }

    case index([Descriptor])
    case image(config: Descriptor, layers: [Descriptor])

    /// The media types a manifest request accepts, most wanted first.
    public static let acceptedMediaTypes = [
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.v2+json",
    ]

    private struct Document: Decodable {
        var schemaVersion: Int?
        var mediaType: String?
        var manifests: [Descriptor]?
        var config: Descriptor?
        var layers: [Descriptor]?
    }

    /// Parses a manifest; `contentType` is the response's, used when the document names no media type.
    public init(json: [UInt8], contentType: String? = nil) throws {
        let document: Document
        do {
            document = try JSONDecoder().decode(Document.self, from: Data(json))
        } catch {
            throw FlotillaError(.internalError, "the registry's manifest is not valid JSON: \(error)")
        }
        if let manifests = document.manifests {
            self = .index(manifests)
        } else if let config = document.config, let layers = document.layers {
            self = .image(config: config, layers: layers)
        } else {
            let type = document.mediaType ?? contentType ?? "unknown"
            throw FlotillaError(.badRequest, "unsupported image manifest (media type \(type), schema version \(document.schemaVersion ?? 0)); only OCI and Docker v2 images can be pulled")
        }
    }

    /// The index entry for linux on `architecture` (Go's names: `amd64`, `arm64`), preferring
    /// `variant` when several match; nil when the index has none for it.
    public static func select(_ manifests: [Descriptor], architecture: String, variant: String? = nil) -> Descriptor? {
        let matching = manifests.filter { $0.platform?.os == "linux" && $0.platform?.architecture == architecture }
        return matching.first { variant != nil && $0.platform?.variant == variant } ?? matching.first
    }

    /// This host's architecture in Go's names, as image indexes use them.
    public static var hostArchitecture: (architecture: String, variant: String?) {
        switch HostFacts.machine {
        case "x86_64": return ("amd64", nil)
        case "aarch64", "arm64": return ("arm64", "v8")
        case "armv7l": return ("arm", "v7")
        case "i686", "i386": return ("386", nil)
        case let other: return (other, nil)
        }
    }
}
