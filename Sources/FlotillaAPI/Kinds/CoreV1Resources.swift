/// Resources contributed to ``ResourceCatalog``.
public enum CoreV1Resources {
    public static let all: [ResourceDefinition] = []
}
