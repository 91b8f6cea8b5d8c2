/// Definitions contributed to ``SchemaCatalog``.
public enum BatchV1Schemas {
    public static let definitions: [Definition] = []
}
