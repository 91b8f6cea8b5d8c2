/// Definitions contributed to ``SchemaCatalog``.
public enum CoreV1Schemas {
    public static let definitions: [Definition] = []
}
