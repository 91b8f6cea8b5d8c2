import FlotillaAPI
import FlotillaCore

/// Serving a resource in a version other than the one its objects are stored in.
///
/// The store keeps each object once, in the storage version, under a key without the version,
/// so every version of a resource sees the same objects. A definition with a
/// ``ResourceDefinition/Conversion`` converts on the way in (checked by its own validator, then
/// converted, then defaulted and validated as the storage version) and on the way out (every
/// object a reply or a watch event carries). Definitions without one pass objects through.
enum VersionConversion {
    /// `object` (stored form, any `resourceVersion` kept) as `resource` serves it.
    static func served(_ object: JSON, as resource: ResourceDefinition) -> JSON {
        guard let conversion = resource.conversion else { return object }
        return conversion.fromStorage(object)
    }

    /// A stored version as `resource` serves it.
    static func served(_ version: ObjectVersion, as resource: ResourceDefinition) throws -> ObjectVersion {
        guard let conversion = resource.conversion else { return version }
        let object = conversion.fromStorage(StoredObject.canonical(try JSONParser.parse(version.stored), resourceVersion: nil))
        return ObjectVersion(stored: StoredObject.storageBytes(object), revision: version.revision, parsed: object)
    }

    /// The bytes served for an object stored as `stored` at `revision`.
    static func servedBytes(_ stored: [UInt8], revision: Int64, as resource: ResourceDefinition) throws -> [UInt8] {
        guard resource.conversion != nil else { return StoredObject.servedBytes(stored, revision: revision) }
        return try served(ObjectVersion(stored: stored, revision: revision), as: resource).servedBytes
    }
}

extension APIServer {
    /// The definition whose version the store holds for `resource`: itself, or the definition
    /// of its storage version.
    func storageResource(of resource: ResourceDefinition) -> ResourceDefinition {
        guard let conversion = resource.conversion,
            let storage = resources.resource(group: resource.group, version: conversion.storageVersion, plural: resource.plural)
        else { return resource }
        return storage
    }

    /// `object`, written through `resource`, in the storage version: the served version's rules
    /// first (so that errors name its fields, 422), then the conversion, whose result must fit
    /// the storage schema (a 400 otherwise). Unchanged for a resource without conversion.
    func storageObject(_ object: JSON, old: JSON?, writtenThrough resource: ResourceDefinition) throws -> JSON {
        guard let conversion = resource.conversion else { return object }
        let causes = resource.validator?(object, old) ?? []
        if !causes.isEmpty {
            throw FlotillaError.invalid(
                kind: resource.kind, group: resource.group, name: object["metadata"]["name"].string ?? "", causes: causes)
        }
        var converted = try conversion.toStorage(object)
        _ = try checkFields(storageResource(of: resource), &converted, duplicates: [], mode: .ignore)
        return converted
    }
}
