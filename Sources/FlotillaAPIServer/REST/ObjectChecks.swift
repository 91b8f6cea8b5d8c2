import FlotillaAPI
import FlotillaCore

extension APIServer {
    /// Checks a request body's fields against the kind's schema as `fieldValidation` asks:
    /// `Strict` rejects unknown and duplicate fields, `Warn` returns them as warnings, `Ignore`
    /// drops them; values of the wrong type are a 400. Returns the warnings. `stored` is the
    /// object a patch was applied to: what the patch left as it was is not checked again.
    func checkFields(
        _ resource: ResourceDefinition, _ object: inout JSON, duplicates: [String], mode: FieldValidationMode, stored: JSON? = nil
    ) throws -> [String] {
        guard schemas.definition(resource.schema) != nil else { return [] }
        let outcome = try StructuralValidation.validate(
            object, duplicates: duplicates, definition: resource.schema, catalog: schemas, mode: mode, stored: stored)
        object = outcome.object
        return outcome.warnings
    }

    /// Validates an object to be stored (`old` is the stored one on update): metadata first,
    /// then the kind's own rules. Throws 422 Invalid with every problem.
    func validate(_ resource: ResourceDefinition, _ object: JSON, old: JSON?) throws {
        let meta = object["metadata"]
        var causes = ObjectMetaValidation.validate(meta, nameRule: resource.nameRule, namespaced: resource.namespaced)
        if let old {
            for field in ["name", "namespace", "uid", "creationTimestamp"] where meta[field] != old["metadata"][field] {
                causes.append(.invalid("metadata.\(field)", meta[field], "field is immutable"))
            }
        }
        if let validator = resource.validator { causes += validator(object, old) }
        causes += allocations.validate(resource, object, old: old)
        guard !causes.isEmpty else { return }
        throw FlotillaError.invalid(kind: resource.kind, group: resource.group, name: meta["name"].string ?? "", causes: causes)
    }

    /// Records in `metadata.managedFields` the fields `manager` set by a create or update
    /// (through `subresource` when given). A nil manager records nothing (server-side apply
    /// records its own).
    func recordFieldManager(_ resource: ResourceDefinition, old: JSON?, new: JSON, manager: String?, subresource: String? = nil) -> JSON {
        guard let manager, schemas.definition(resource.schema) != nil else { return new }
        return ServerSideApply.recordUpdate(
            old: old, new: new, manager: manager, subresource: subresource, definition: resource.schema, catalog: schemas,
            now: Timestamp.now())
    }
}
