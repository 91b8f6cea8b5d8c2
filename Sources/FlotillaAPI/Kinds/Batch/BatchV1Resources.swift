/// Resources contributed to ``ResourceCatalog``.
public enum BatchV1Resources {
    public static let all: [ResourceDefinition] = []
}
