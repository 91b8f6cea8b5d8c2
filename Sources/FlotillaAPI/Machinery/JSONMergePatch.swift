import FlotillaCore

/// JSON merge patch (RFC 7386): `application/merge-patch+json`, what `kubectl label`,
/// `annotate`, `scale` and `patch --type=merge` send.
///
/// Objects merge member by member, `null` deletes a member, and every other value (arrays
/// included) replaces what was there.
public enum JSONMergePatch {
    /// Applies `patch` to `target` exactly as RFC 7386 defines it (a non-object patch replaces
    /// the whole target).
    public static func apply(_ patch: JSON, to target: JSON) -> JSON {
        guard case .object(let members) = patch else { return patch }
        var result = target.object ?? [:]
        for (key, value) in members {
            if value.isNull {
                result.removeValue(forKey: key)
            } else {
                result[key] = apply(value, to: result[key] ?? .null)
            }
        }
        return .object(result)
    }

    /// Applies a patch to an API object; the patch must be a JSON object (400 BadRequest otherwise).
    public static func applyToObject(_ patch: JSON, to object: JSON) throws(FlotillaError) -> JSON {
        guard patch.object != nil else {
            throw FlotillaError(.badRequest, "invalid JSON merge patch: expected a JSON object, got \(patch.typeName)")
        }
        return apply(patch, to: object)
    }

    /// The smallest merge patch that turns `original` into `modified`: changed members only,
    /// `null` for removed ones, nested objects diffed recursively. Applying it to `original`
    /// gives `modified` (except that members whose value is `null` in `modified` are removed).
    public static func diff(from original: JSON, to modified: JSON) -> JSON {
        guard case .object(let old) = original, case .object(let new) = modified else { return modified }
        var patch = JSONObject()
        for key in old.keys where new[key] == nil {
            patch[key] = .null
        }
        for (key, value) in new {
            guard let before = old[key] else {
                patch[key] = value
                continue
            }
            if before.isEquivalent(to: value) { continue }
            if before.object != nil, value.object != nil {
                patch[key] = diff(from: before, to: value)
            } else {
                patch[key] = value
            }
        }
        return .object(patch)
    }
}
