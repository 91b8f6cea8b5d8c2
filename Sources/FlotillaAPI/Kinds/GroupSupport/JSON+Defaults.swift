import FlotillaCore

extension JSON {
    /// Sets the value at `path` to `value` when nothing (or `null`) is there, creating the
    /// objects on the way: the shape of every Kubernetes `SetDefaults_*` step.
    mutating func setDefault(_ path: [String], _ value: JSON) {
        if self[path: path].isNull { self[path: path] = value }
    }
}
