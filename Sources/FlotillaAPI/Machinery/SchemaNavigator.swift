/// Walks a ``SchemaType`` through `.ref`, `.array` and `.map`, so that the patch, apply and
/// validation machinery can ask what a member or element of a value is.
struct SchemaNavigator: Sendable {
    let catalog: SchemaCatalog

    /// The definition of an object type, if `type` is a `.ref` the catalog knows.
    func definition(_ type: SchemaType?) -> Definition? {
        guard let type else { return nil }
        return catalog.definition(of: type)
    }

    /// The type (and declaring field, for definitions) of member `key` of an object of `type`;
    /// both nil when the schema says nothing about it.
    func member(_ key: String, of type: SchemaType?) -> (type: SchemaType?, field: Field?) {
        switch type {
        case .map(let valueType)?:
            return (valueType, nil)
        case .ref?:
            guard let field = definition(type)?.field(key) else { return (nil, nil) }
            return (field.type, field)
        default:
            return (nil, nil)
        }
    }

    /// The element type of a list type.
    func element(of type: SchemaType?) -> SchemaType? {
        if case .array(let element)? = type { return element }
        return nil
    }

    /// Whether values of `type` are JSON objects (a definition or a map).
    func isObject(_ type: SchemaType?) -> Bool {
        switch type {
        case .ref?, .map?: return true
        default: return false
        }
    }
}
