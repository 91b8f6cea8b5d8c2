import FlotillaCore

/// Reading and making `metadata.ownerReferences`, the links from dependents to their owners
/// that controllers adopt by and the garbage collector follows.
enum OwnerReferences {
    /// Every owner reference of `object`.
    static func all(of object: JSON) -> [JSON] {
        object["metadata"]["ownerReferences"].array ?? []
    }

    /// The owner reference with `controller: true`, if any.
    static func controller(of object: JSON) -> JSON? {
        all(of: object).first { $0["controller"].bool == true }
    }

    /// The uid of the controlling owner, if any.
    static func controllerUID(of object: JSON) -> String? {
        controller(of: object)?["uid"].string
    }

    /// The cache key (`namespace/name`) of the owner of `kind` controlling `object`, if any.
    static func controllerKey(of object: JSON, kind: String) -> String? {
        guard let ref = controller(of: object), ref["kind"].string == kind,
            let name = ref["name"].string, let namespace = object["metadata"]["namespace"].string
        else { return nil }
        return namespace + "/" + name
    }

    /// Whether `object` is controlled by an owner of `kind` with `uid`.
    static func isControlled(_ object: JSON, byKind kind: String, uid: String) -> Bool {
        guard let ref = controller(of: object) else { return false }
        return ref["kind"].string == kind && ref["uid"].string == uid
    }

    /// A controller reference to `owner` (blocking the owner's foreground deletion).
    static func controllerReference(to owner: JSON, apiVersion: String, kind: String) -> JSON {
        [
            "apiVersion": .string(apiVersion), "kind": .string(kind),
            "name": owner["metadata"]["name"], "uid": owner["metadata"]["uid"],
            "controller": true, "blockOwnerDeletion": true,
        ]
    }
}
