/// Definitions contributed to ``SchemaCatalog``.
public enum OtherGroupSchemas {
    public static let definitions: [Definition] = []
}
