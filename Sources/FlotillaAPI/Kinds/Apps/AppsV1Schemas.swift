/// Definitions contributed to ``SchemaCatalog``.
public enum AppsV1Schemas {
    public static let definitions: [Definition] = []
}
