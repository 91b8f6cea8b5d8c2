/// Resources contributed to ``ResourceCatalog``.
public enum AppsV1Resources {
    public static let all: [ResourceDefinition] = []
}
