/// How many pods matching a selection run on each node, for the selections that pods being
/// scheduled ask about (affinity terms, spread constraints).
///
/// A selection is counted from scratch the first time it is asked for, then kept up to date
/// as pods come and go, so a scheduling cycle reads counts instead of matching every pod. At
/// most ``capacity`` selections are kept; the least recently used goes first.
struct PodCountIndex {
    struct Entry {
        var counts: [Int: Int32] = [:]
        var lastUse: Int
    }

    static let capacity = 256

    private(set) var entries: [PodSelection: Entry] = [:]
    private var clock = 0

    /// The per-slot counts of `selection`, counting `pods` when it is new.
    mutating func counts(
        for selection: PodSelection, pods: some Sequence<(pod: PodInfo, slot: Int)>, namespaceLabels: [String: [String: String]]
    ) -> [Int: Int32] {
        clock += 1
        if var entry = entries[selection] {
            entry.lastUse = clock
            entries[selection] = entry
            return entry.counts
        }
        if entries.count >= Self.capacity, let oldest = entries.min(by: { $0.value.lastUse < $1.value.lastUse })?.key {
            entries[oldest] = nil
        }
        var entry = Entry(lastUse: clock)
        for (pod, slot) in pods where selection.matches(pod, namespaceLabels: namespaceLabels) {
            entry.counts[slot, default: 0] += 1
        }
        entries[selection] = entry
        return entry.counts
    }

    /// Counts a pod that now runs (or is assumed to run) on `slot`, or uncounts it (`delta` -1).
    mutating func update(_ pod: PodInfo, slot: Int, delta: Int32, namespaceLabels: [String: [String: String]]) {
        if entries.isEmpty { return }
        let matching = entries.keys.filter { $0.matches(pod, namespaceLabels: namespaceLabels) }
        for selection in matching {
            entries[selection]?.counts.add(delta, at: slot)
        }
    }

    /// Forgets the selections that depend on namespace labels (after those labels changed).
    mutating func dropNamespaceDependent() {
        entries = entries.filter { !$0.key.usesNamespaceLabels }
    }
}

extension Dictionary where Key == Int, Value == Int32 {
    /// Adds `delta` to the count at `slot`, dropping counts that reach zero.
    mutating func add(_ delta: Int32, at slot: Int) {
        let updated = (self[slot] ?? 0) + delta
        self[slot] = updated > 0 ? updated : nil
    }
}
