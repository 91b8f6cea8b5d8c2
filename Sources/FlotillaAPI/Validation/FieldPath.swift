/// Joins field path segments the way Kubernetes prints them: `spec.containers[0].image`.
public enum FieldPath {
    /// `base.name`, or `name` when `base` is empty.
    public static func child(_ base: String, _ name: String) -> String {
        base.isEmpty ? name : base + "." + name
    }

    /// `base[index]`.
    public static func index(_ base: String, _ index: Int) -> String { "\(base)[\(index)]" }

    /// `base[key]`, the form Kubernetes uses for map entries.
    public static func key(_ base: String, _ key: String) -> String { "\(base)[\(key)]" }
}
