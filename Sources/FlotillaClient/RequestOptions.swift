import FlotillaCore

/// A page of a list: the objects, the resourceVersion the list was read at (to watch from), and
/// the token for the next page.
public struct ObjectList: Sendable, Equatable {
    public var items: [JSON]
    /// `metadata.resourceVersion` of the list.
    public var resourceVersion: String
    /// `metadata.continue`: pass it back to get the next page; nil on the last page.
    public var `continue`: String?
    /// `metadata.remainingItemCount`, when the server reports it.
    public var remainingItemCount: Int64?

    public init(items: [JSON], resourceVersion: String, continue: String? = nil, remainingItemCount: Int64? = nil) {
        self.items = items
        self.resourceVersion = resourceVersion
        self.continue = `continue`
        self.remainingItemCount = remainingItemCount
    }

    /// The list in a reply body (`{"kind": "PodList", "items": […], "metadata": {…}}`).
    init(listObject: JSON) throws {
        guard case .object = listObject else {
            throw FlotillaError(.internalError, "expected a list object, got \(listObject.typeName)")
        }
        let metadata = listObject["metadata"]
        let token = metadata["continue"].string
        self.init(
            items: listObject["items"].array ?? [],
            resourceVersion: metadata["resourceVersion"].string ?? "",
            continue: token?.isEmpty == false ? token : nil,
            remainingItemCount: metadata["remainingItemCount"].int)
    }
}

/// How a PATCH body is to be read.
public enum PatchType: Sendable, Equatable {
    /// RFC 7386 JSON merge patch.
    case merge
    /// RFC 6902 JSON patch (an array of operations).
    case json
    /// Kubernetes strategic merge patch (lists merged by their merge keys).
    case strategic
    /// Server-side apply: the body is the caller's full intent; needs a field manager.
    case apply

    /// The request `Content-Type` for this patch type.
    public var contentType: String {
        switch self {
        case .merge: return "application/merge-patch+json"
        case .json: return "application/json-patch+json"
        case .strategic: return "application/strategic-merge-patch+json"
        case .apply: return "application/apply-patch+yaml"
        }
    }
}

/// What happens to an object's dependents when it is deleted.
public enum PropagationPolicy: String, Sendable {
    /// Dependents are left in place with their owner reference removed.
    case orphan = "Orphan"
    /// The object goes now; the garbage collector deletes dependents afterwards.
    case background = "Background"
    /// The object stays (with a `foregroundDeletion` finalizer) until its dependents are gone.
    case foreground = "Foreground"
}

/// Conditions a delete must meet, or it fails with a conflict.
public struct Preconditions: Sendable, Equatable {
    public var uid: String?
    public var resourceVersion: String?

    public init(uid: String? = nil, resourceVersion: String? = nil) {
        self.uid = uid
        self.resourceVersion = resourceVersion
    }
}

/// The options of a delete or an eviction, sent as a `DeleteOptions` body.
public struct DeleteOptions: Sendable, Equatable {
    public var propagationPolicy: PropagationPolicy?
    public var gracePeriodSeconds: Int?
    public var preconditions: Preconditions?
    public var dryRun: Bool

    public init(
        propagationPolicy: PropagationPolicy? = nil, gracePeriodSeconds: Int? = nil,
        preconditions: Preconditions? = nil, dryRun: Bool = false
    ) {
        self.propagationPolicy = propagationPolicy
        self.gracePeriodSeconds = gracePeriodSeconds
        self.preconditions = preconditions
        self.dryRun = dryRun
    }

    /// The `meta.k8s.io/v1` `DeleteOptions` object.
    public var json: JSON {
        var o: JSONObject = ["kind": "DeleteOptions", "apiVersion": "v1"]
        if let propagationPolicy { o["propagationPolicy"] = .string(propagationPolicy.rawValue) }
        if let gracePeriodSeconds { o["gracePeriodSeconds"] = .int(Int64(gracePeriodSeconds)) }
        if let preconditions {
            var p = JSONObject()
            if let uid = preconditions.uid { p["uid"] = .string(uid) }
            if let rv = preconditions.resourceVersion { p["resourceVersion"] = .string(rv) }
            o["preconditions"] = .object(p)
        }
        if dryRun { o["dryRun"] = ["All"] }
        return .object(o)
    }
}
