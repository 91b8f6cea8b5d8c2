import FlotillaClient
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

    /// Merges `status` into the status of `object` (of `resource`) when it differs from what
    /// `object` has; an object deleted meanwhile is fine. With `conditional`, the write fails
    /// with a conflict when the object changed since it was read.
    static func write(
        _ status: JSON, to object: JSON, _ resource: ResourceRef, client: KubernetesClient, conditional: Bool = false
    ) async throws {
        guard status != object["status"] else { return }
        var patch: JSON = ["status": status]
        if conditional { patch["metadata"] = ["resourceVersion": object["metadata"]["resourceVersion"]] }
        do {
            _ = try await client.patch(
                resource, namespace: object["metadata"]["namespace"].string, name: object["metadata"]["name"].string ?? "", patch,
                type: .merge, subresource: "status")
        } catch let error as FlotillaError where error.code == .notFound {}
    }
}
