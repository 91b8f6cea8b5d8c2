/// Definitions contributed to ``SchemaCatalog``.
public enum MetaV1Schemas {
    public static let definitions: [Definition] = []
}
