import FlotillaCore

/// The JSON merge patch a controller sends to a `status` subresource: the new status whole,
/// with the members it no longer has set to null so that they are removed.
enum StatusPatch {
    /// The patch turning status `old` into `new`; nil when they are equal.
    static func between(old: JSON, new: JSON) -> JSON? {
        guard old != new else { return nil }
        var patch = new.object ?? [:]
        for key in (old.object ?? [:]).keys where patch[key] == nil { patch[key] = JSON.null }
        return ["status": .object(patch)]
    }
}
