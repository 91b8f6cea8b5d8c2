import FlotillaCore

/// An informer's local copy of a resource's objects, keyed `namespace/name` (just `name` for
/// cluster-scoped objects), with indexes by namespace, by label and by custom index functions,
/// and optionally a summary of each object taken once per version (``summarize(with:)``).
///
/// Reads are cheap and safe from any task; only the owning ``Informer`` writes.
public final class ObjectCache: Sendable {
    /// Values an object is filed under in a custom index (e.g. a pod's node name).
    public typealias IndexFunction = @Sendable (JSON) -> [String]
    /// What readers want to know of an object, read out of it once when it is stored.
    /// A class, so that handing out the entries of thousands of objects costs one reference
    /// count each.
    public typealias SummaryFunction = @Sendable (JSON) -> any AnyObject & Sendable

    /// An object with its summary (nil when the cache makes none), as stored: one object per
    /// version, so that a read of thousands of entries copies one reference each.
    public final class Entry: Sendable {
        public let object: JSON
        public let summary: (any AnyObject & Sendable)?

        init(object: JSON, summary: (any AnyObject & Sendable)?) {
            self.object = object
            self.summary = summary
        }
    }

    private struct Index {
        var function: IndexFunction
        /// Index value → object key → entry: a lookup hands out the entries without finding
        /// each object again by its key.
        var entriesByValue: [String: [String: Entry]] = [:]
    }

    private struct State {
        var objects: [String: Entry] = [:]
        var byNamespace: [String: Set<String>] = [:]
        /// label key → label value → object keys.
        var byLabel: [String: [String: Set<String>]] = [:]
        var indexes: [String: Index] = [:]
        var summarize: SummaryFunction?
    }

    private let state = Locked(State())

    public init() {}

    /// The cache key of an object: `namespace/name`, or `name` when it has no namespace.
    public static func key(for object: JSON) -> String {
        let name = object[path: ["metadata", "name"]].string ?? ""
        if let namespace = object[path: ["metadata", "namespace"]].string, !namespace.isEmpty {
            return namespace + "/" + name
        }
        return name
    }

    /// The cache key of `name` in `namespace` (nil for cluster-scoped objects).
    public static func key(namespace: String?, name: String) -> String {
        if let namespace, !namespace.isEmpty { return namespace + "/" + name }
        return name
    }

    // MARK: - Reads

    public var count: Int { state.withLock { $0.objects.count } }

    public var keys: [String] { state.withLock { Array($0.objects.keys) } }

    /// The object stored under `key`.
    public func get(key: String) -> JSON? { state.withLock { $0.objects[key]?.object } }

    /// The object `name` in `namespace` (nil for cluster-scoped objects).
    public func get(namespace: String? = nil, name: String) -> JSON? {
        get(key: Self.key(namespace: namespace, name: name))
    }

    /// The object stored under `key`, with its summary.
    public func entry(key: String) -> Entry? { state.withLock { $0.objects[key] } }

    /// The object `name` in `namespace` (nil for cluster-scoped objects), with its summary.
    public func entry(namespace: String? = nil, name: String) -> Entry? {
        entry(key: Self.key(namespace: namespace, name: name))
    }

    /// Every object, in no particular order.
    public func list() -> [JSON] { state.withLock { $0.objects.values.map(\.object) } }

    /// Every object with its summary, in no particular order.
    public func entries() -> [Entry] { state.withLock { Array($0.objects.values) } }

    /// The objects in one namespace.
    public func list(namespace: String) -> [JSON] {
        state.withLock { s in (s.byNamespace[namespace] ?? []).compactMap { s.objects[$0]?.object } }
    }

    /// The objects whose label `key` has `value`.
    public func byLabel(_ key: String, _ value: String) -> [JSON] {
        state.withLock { s in (s.byLabel[key]?[value] ?? []).compactMap { s.objects[$0]?.object } }
    }

    /// The objects that have label `key`, whatever its value.
    public func withLabel(_ key: String) -> [JSON] {
        state.withLock { s in (s.byLabel[key] ?? [:]).values.flatMap { $0 }.compactMap { s.objects[$0]?.object } }
    }

    /// The objects filed under `value` in the custom index `name` (empty for an unknown index).
    public func byIndex(_ name: String, _ value: String) -> [JSON] {
        state.withLock { s in s.indexes[name]?.entriesByValue[value]?.values.map(\.object) ?? [] }
    }

    /// The objects filed under `value` in the custom index `name`, with their summaries.
    public func entries(inIndex name: String, _ value: String) -> [Entry] {
        state.withLock { s in s.indexes[name]?.entriesByValue[value].map { Array($0.values) } ?? [] }
    }

    /// The values present in the custom index `name`.
    public func indexValues(_ name: String) -> [String] {
        state.withLock { s in s.indexes[name].map { Array($0.entriesByValue.keys) } ?? [] }
    }

    // MARK: - Indexers

    /// Adds (or replaces) the custom index `name`, filing every present and future object
    /// under the values `function` returns for it.
    public func addIndexer(_ name: String, _ function: @escaping IndexFunction) {
        state.withLock { s in
            var index = Index(function: function)
            for (key, entry) in s.objects {
                for value in function(entry.object) { index.entriesByValue[value, default: [:]][key] = entry }
            }
            s.indexes[name] = index
        }
    }

    /// Has every object stored from now on carry `function`'s summary of it, which the entry
    /// reads (``entry(key:)``, ``entries()``, ``entries(inIndex:_:)``) hand out with it. Set it
    /// before the informer starts: objects already stored have none.
    public func summarize(with function: @escaping SummaryFunction) {
        state.withLock { $0.summarize = function }
    }

    // MARK: - Writes (by the informer)

    /// Stores `object`; returns what it replaced.
    @discardableResult
    func upsert(_ object: JSON) -> JSON? {
        let key = Self.key(for: object)
        return state.withLock { s in
            let entry = Entry(object: object, summary: s.summarize?(object))
            guard let old = s.objects.updateValue(entry, forKey: key)?.object else {
                Self.index(key, entry, in: &s)
                return nil
            }
            Self.reindex(key, old: old, new: entry, in: &s)
            return old
        }
    }

    /// Removes the object under `key`; returns it.
    @discardableResult
    func remove(key: String) -> JSON? {
        state.withLock { s in
            guard let old = s.objects.removeValue(forKey: key)?.object else { return nil }
            Self.unindex(key, old, in: &s)
            return old
        }
    }

    private static func index(_ key: String, _ entry: Entry, in s: inout State) {
        let object = entry.object
        s.byNamespace[object[path: ["metadata", "namespace"]].string ?? "", default: []].insert(key)
        label(key, object[path: ["metadata", "labels"]], in: &s)
        guard !s.indexes.isEmpty else { return }
        // Over a copy of the names: iterating the dictionary itself would keep its storage
        // shared and make every write below copy every index.
        for name in Array(s.indexes.keys) {
            for value in s.indexes[name]!.function(object) {
                s.indexes[name]!.entriesByValue[value, default: [:]][key] = entry
            }
        }
    }

    private static func unindex(_ key: String, _ object: JSON, in s: inout State) {
        let namespace = object[path: ["metadata", "namespace"]].string ?? ""
        s.byNamespace[namespace]?.remove(key)
        if s.byNamespace[namespace]?.isEmpty == true { s.byNamespace[namespace] = nil }
        unlabel(key, object[path: ["metadata", "labels"]], in: &s)
        for name in Array(s.indexes.keys) {
            for value in s.indexes[name]!.function(object) {
                unfile(key, value, index: name, in: &s)
            }
        }
    }

    /// Files a new version of a stored object. Its namespace is part of its key, and most
    /// updates (status above all) change neither labels nor index values: only what changed
    /// moves, and the index entries point to the new version.
    private static func reindex(_ key: String, old: JSON, new entry: Entry, in s: inout State) {
        let oldLabels = old[path: ["metadata", "labels"]]
        let newLabels = entry.object[path: ["metadata", "labels"]]
        if oldLabels != newLabels {
            unlabel(key, oldLabels, in: &s)
            label(key, newLabels, in: &s)
        }
        for name in Array(s.indexes.keys) {
            let function = s.indexes[name]!.function
            let after = function(entry.object)
            for value in function(old) where !after.contains(value) {
                unfile(key, value, index: name, in: &s)
            }
            for value in after {
                s.indexes[name]!.entriesByValue[value, default: [:]][key] = entry
            }
        }
    }

    private static func label(_ key: String, _ labels: JSON, in s: inout State) {
        for (label, value) in labels.object ?? [:] {
            s.byLabel[label, default: [:]][value.string ?? "", default: []].insert(key)
        }
    }

    private static func unlabel(_ key: String, _ labels: JSON, in s: inout State) {
        for (label, value) in labels.object ?? [:] {
            let v = value.string ?? ""
            s.byLabel[label]?[v]?.remove(key)
            if s.byLabel[label]?[v]?.isEmpty == true { s.byLabel[label]?[v] = nil }
            if s.byLabel[label]?.isEmpty == true { s.byLabel[label] = nil }
        }
    }

    private static func unfile(_ key: String, _ value: String, index name: String, in s: inout State) {
        s.indexes[name]!.entriesByValue[value]?[key] = nil
        if s.indexes[name]!.entriesByValue[value]?.isEmpty == true { s.indexes[name]!.entriesByValue[value] = nil }
    }
}
