import FlotillaAPI

/// The shape of a reply, negotiated from the `Accept` header: the object itself, a
/// `meta.k8s.io` Table, or metadata only. Replies are always JSON.
enum ResponseFormat: Sendable, Equatable {
    case object
    /// A `meta.k8s.io` Table in API version `version` (`v1` or `v1beta1`).
    case table(version: String)
    /// `PartialObjectMetadata` for one object, `PartialObjectMetadataList` for a list.
    case partialMetadata(version: String)

    /// The first acceptable media type of `request`'s Accept header wins; JSON when none is.
    static func negotiate(_ request: APIRequest) -> ResponseFormat {
        guard let accept = request.header("accept"), !accept.isEmpty, accept != "application/json" else { return .object }
        for entry in accept.split(separator: ",") {
            let parts = entry.split(separator: ";").map { String(MediaType.trimmed($0)) }
            guard let type = parts.first?.lowercased() else { continue }
            guard type == "application/json" || type == "*/*" || type == "application/*" else { continue }
            var params: [String: String] = [:]
            for p in parts.dropFirst() {
                let kv = p.split(separator: "=", maxSplits: 1).map(String.init)
                if kv.count == 2 { params[kv[0].lowercased()] = kv[1] }
            }
            guard let asKind = params["as"] else { return .object }
            guard params["g"] == "meta.k8s.io", let version = params["v"], version == "v1" || version == "v1beta1" else { continue }
            switch asKind {
            case "Table": return .table(version: version)
            case "PartialObjectMetadata", "PartialObjectMetadataList": return .partialMetadata(version: version)
            default: continue
            }
        }
        return .object
    }
}
