import FlotillaCore

extension JSON {
    /// Puts `value` at `path` when nothing (or `null`) is there, creating objects on the way.
    /// Each step of a core defaulter is one of these.
    mutating func fillIfAbsent(_ path: [String], _ value: JSON) {
        if self[path: path].isNull { self[path: path] = value }
    }

    /// Applies `body` to each element of the array at `key`, when there is one.
    mutating func updateEach(_ key: String, _ body: (inout JSON) -> Void) {
        self[key].modifyArray { items in
            for i in items.indices { body(&items[i]) }
        }
    }
}
