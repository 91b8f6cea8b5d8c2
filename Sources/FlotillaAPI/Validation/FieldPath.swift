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

    /// One step of a path kept as steps by a walk that spells the path out only when it
    /// reports a problem.
    enum Step {
        /// An object member.
        case name(String)
        /// A list element.
        case index(Int)
        /// A map entry.
        case key(String)
    }

    /// The steps joined as Kubernetes prints them.
    static func render(_ steps: [Step]) -> String {
        var path = ""
        for step in steps {
            switch step {
            case .name(let name): path = child(path, name)
            case .index(let position): path = index(path, position)
            case .key(let name): path = key(path, name)
            }
        }
        return path
    }
}
