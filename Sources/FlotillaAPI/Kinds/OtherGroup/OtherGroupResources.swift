/// Resources contributed to ``ResourceCatalog``.
public enum OtherGroupResources {
    public static let all: [ResourceDefinition] = []
}
