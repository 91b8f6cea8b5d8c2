/// The values one write took, given back when that write does not happen.
struct Reservation: Sendable {
    let owner: AllocationOwner
    private(set) var taken: [(allocator: RangeAllocator, value: String)] = []

    init(owner: AllocationOwner) {
        self.owner = owner
    }

    mutating func add(_ value: String, from allocator: RangeAllocator) {
        taken.append((allocator, value))
    }

    /// Gives back every value taken. Failures are left to the repair pass.
    func release() async {
        for (allocator, value) in taken {
            try? await allocator.release(value, of: owner)
        }
    }
}
