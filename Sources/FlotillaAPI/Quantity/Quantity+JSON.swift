import FlotillaCore

extension Quantity {
    /// A quantity from a JSON value: a quantity string, or a number (Kubernetes accepts
    /// `cpu: 1` and `memory: 1.5e9`). Nil for anything else or malformed text.
    public init?(json: JSON) {
        switch json {
        case .string(let s): self.init(s)
        case .int(let i): self.init(String(i))
        case .double(let d) where d.isFinite: self.init(String(d))
        default: return nil
        }
    }

    /// The quantity as the JSON string Kubernetes serves.
    public var json: JSON { .string(canonical) }
}
