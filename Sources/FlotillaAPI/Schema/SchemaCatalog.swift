/// Every ``Definition`` of the API, by name.
///
/// Each API group contributes its definitions from its own file under `Kinds/`; this catalog is
/// the one place that gathers them.
public struct SchemaCatalog: Sendable {
    /// The catalog of all built-in definitions.
    public static let shared = SchemaCatalog(
        MetaV1Schemas.definitions + CoreV1Schemas.definitions + AppsV1Schemas.definitions
            + BatchV1Schemas.definitions + OtherGroupSchemas.definitions
    )

    public let definitions: [String: Definition]

    public init(_ definitions: [Definition]) {
        var byName: [String: Definition] = [:]
        for d in definitions { byName[d.name] = d }
        self.definitions = byName
    }

    /// The definition called `name`, e.g. `io.k8s.api.core.v1.Pod`.
    public func definition(_ name: String) -> Definition? { definitions[name] }

    /// The definition a type refers to, following `.ref`.
    public func definition(of type: SchemaType) -> Definition? {
        if case .ref(let name) = type { return definitions[name] }
        return nil
    }
}
