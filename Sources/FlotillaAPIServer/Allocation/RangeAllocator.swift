import FlotillaCore
import FlotillaStore

/// Hands out the values of one ``AllocationRange`` through the store: a value is taken by
/// creating its key, which the store lets exactly one writer do, so API servers sharing a store
/// (and one server across restarts) never hand out a value twice.
struct RangeAllocator: Sendable {
    let store: any Store
    let range: AllocationRange
    /// What this server knows to be taken, for sequential ranges.
    let known = KnownHoldings()

    /// Why a value could not be had.
    enum Failure: Error, Equatable {
        /// The requested value is not in the range.
        case outsideRange
        /// Another object holds the requested value.
        case taken(by: AllocationOwner?)
        /// No value is free.
        case full
    }

    /// How many random values a dynamic pick tries before it reads which values are taken.
    static let blindAttempts = 8

    /// Takes `value` for `owner`. Returns whether the key was created now (false: `owner`
    /// already held it). A dry run only checks.
    func claim(_ value: String, for owner: AllocationOwner, dryRun: Bool = false) async throws -> Bool {
        guard let offset = range.offset(value) else { throw Failure.outsideRange }
        let key = range.key(range.text(offset))
        if let kv = try await store.get(key) {
            let holder = AllocationOwner.parse(kv.value)?.owner
            if holder == owner { return false }
            throw Failure.taken(by: holder)
        }
        if dryRun { return true }
        do {
            _ = try await store.create(key, value: owner.record())
            if range.sequential { known.taken(offset) }
            return true
        } catch let error as FlotillaError where error.code == .alreadyExists {
            let holder = try await store.get(key).flatMap { AllocationOwner.parse($0.value)?.owner }
            if holder == owner { return false }
            throw Failure.taken(by: holder)
        }
    }

    /// Takes a free value for `owner`, other than those in `excluding`, and returns it: a random
    /// one (outside the static band while it has room) or, for sequential ranges, the lowest.
    /// A dry run picks one without taking it.
    func allocate(for owner: AllocationOwner, excluding: Set<String> = [], dryRun: Bool = false) async throws -> String {
        guard range.count > 0 else { throw Failure.full }
        if range.sequential { return try await allocateLowest(for: owner, excluding: excluding, dryRun: dryRun) }
        let split = range.staticBand < range.count ? range.staticBand : 0
        let dynamic = split..<range.count
        if !dryRun {
            var generator = SystemRandomNumberGenerator()
            for _ in 0..<Self.blindAttempts {
                let offset = UInt32.random(in: dynamic, using: &generator)
                let value = range.text(offset)
                if range.reserved.contains(offset) || excluding.contains(value) { continue }
                if try await create(value, owner) { return value }
            }
        }
        var taken = try await takenOffsets()
        for value in excluding { if let offset = range.offset(value) { taken.insert(offset) } }
        for band in [dynamic, 0..<split] where !band.isEmpty {
            let start = UInt32.random(in: band)
            var offset = start
            repeat {
                if !taken.contains(offset), !range.reserved.contains(offset) {
                    let value = range.text(offset)
                    if dryRun { return value }
                    if try await create(value, owner) { return value }
                    taken.insert(offset)
                }
                offset = offset + 1 == band.upperBound ? band.lowerBound : offset + 1
            } while offset != start
        }
        throw Failure.full
    }

    /// Takes the lowest value free, as far as ``known`` tells, that the store lets `owner` create.
    private func allocateLowest(for owner: AllocationOwner, excluding: Set<String>, dryRun: Bool) async throws -> String {
        let excluded = Set(excluding.compactMap(range.offset))
        if known.isStale { known.load(try await takenOffsets()) }
        var reloaded = false
        while true {
            guard let offset = known.lowestFree(below: range.count, skipping: range.reserved, excluded) else {
                if reloaded { throw Failure.full }
                known.load(try await takenOffsets())
                reloaded = true
                continue
            }
            let value = range.text(offset)
            if dryRun { return value }
            known.taken(offset)
            do {
                if try await create(value, owner) { return value }
            } catch {
                known.released(offset)
                throw error
            }
        }
    }

    /// Gives `value` back if `owner` holds it.
    func release(_ value: String, of owner: AllocationOwner) async throws {
        guard let offset = range.offset(value) else { return }
        let key = range.key(range.text(offset))
        guard let kv = try await store.get(key), AllocationOwner.parse(kv.value)?.owner == owner else { return }
        do {
            _ = try await store.delete(key, expectedRevision: kv.modRevision)
            if range.sequential { known.released(offset) }
        } catch let error as FlotillaError where error.code == .notFound || error.code == .conflict {
            return
        }
    }

    /// Every taken value with the record of its key.
    func holders() async throws -> [String: KeyValue] {
        var out: [String: KeyValue] = [:]
        try await forEachKey { out[range.value(ofKey: $0.key)] = $0 }
        return out
    }

    /// The offsets of every taken value.
    private func takenOffsets() async throws -> Set<UInt32> {
        var taken = Set<UInt32>()
        try await forEachKey { if let offset = range.offset(range.value(ofKey: $0.key)) { taken.insert(offset) } }
        return taken
    }

    /// Calls `body` with every allocation key of the range, read page by page.
    private func forEachKey(_ body: (KeyValue) -> Void) async throws {
        var after: String?
        while true {
            let page = try await store.list(prefix: range.keyPrefix, after: after, limit: 1000, revision: nil)
            page.items.forEach(body)
            guard page.more, let last = page.items.last else { return }
            after = last.key
        }
    }

    /// Creates the key of `value` for `owner`; false when it exists.
    private func create(_ value: String, _ owner: AllocationOwner) async throws -> Bool {
        do {
            _ = try await store.create(range.key(value), value: owner.record())
            return true
        } catch let error as FlotillaError where error.code == .alreadyExists {
            return false
        }
    }
}
