import FlotillaCore
import Foundation

/// The opaque `continue` token of a paged list: the revision the list is read at and the last
/// key returned (relative to the collection's prefix), base64-encoded JSON as Kubernetes makes it.
struct ContinueToken: Sendable, Equatable {
    var revision: Int64
    /// The last key returned, relative to the collection prefix.
    var start: String

    var encoded: String {
        let json: JSON = ["v": "meta.k8s.io/v1", "rv": .int(revision), "start": .string(start)]
        return Data(json.serialized()).base64EncodedString()
    }

    /// Decodes a token; a malformed one is a 400.
    init(decoding text: String) throws {
        var padded = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while padded.count % 4 != 0 { padded += "=" }
        guard let data = Data(base64Encoded: padded), let json = try? JSONParser.parse(Array(data)),
            json["v"].string == "meta.k8s.io/v1", let revision = json["rv"].int, revision > 0,
            let start = json["start"].string, !start.contains("..")
        else {
            throw FlotillaError(.badRequest, "continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)")
        }
        self.revision = revision
        self.start = start
    }

    init(revision: Int64, start: String) {
        self.revision = revision
        self.start = start
    }

    /// Kubernetes' message for a token whose revision was compacted away.
    static let expiredMessage =
        "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list."
}
