/// Every ``Definition`` of the API, by name.
///
/// Each API group contributes its definitions from its own file under `Kinds/`; this catalog is
/// the one place that gathers them.
public struct SchemaCatalog: Sendable {
    /// The catalog of all built-in definitions.
    public static let shared = SchemaCatalog(
        MetaV1Schemas.definitions + CoreV1Schemas.definitions + AppsV1Schemas.definitions
            + BatchV1Schemas.definitions + OtherGroupSchemas.definitions,
        embeddedMessages: CoreV1Schemas.embeddedMessages
    )

    public let definitions: [String: Definition]
    /// The messages inlined into their parents' JSON, by parent definition name.
    public let embeddedMessages: [String: [EmbeddedMessage]]

    public init(_ definitions: [Definition], embeddedMessages: [String: [EmbeddedMessage]] = [:]) {
        var byName: [String: Definition] = [:]
        for d in definitions { byName[d.name] = d }
        self.definitions = byName
        self.embeddedMessages = embeddedMessages
    }

    /// The message inlined into `parent`'s JSON that travels as its field `number`, if any.
    public func embeddedMessage(in parent: String, number: Int) -> EmbeddedMessage? {
        embeddedMessages[parent]?.first { $0.number == number }
    }

    /// The definition called `name`, e.g. `io.k8s.api.core.v1.Pod`.
    public func definition(_ name: String) -> Definition? { definitions[name] }

    /// The definition a type refers to, following `.ref`.
    public func definition(of type: SchemaType) -> Definition? {
        if case .ref(let name) = type { return definitions[name] }
        return nil
    }
}
