/// An IPv4 subnet in CIDR form (`10.244.0.0/16`): a network address and a prefix length.
public struct IPv4Subnet: Hashable, Sendable, CustomStringConvertible {
    /// The first address, with every host bit zero.
    public let network: IPv4Address
    public let prefixLength: Int

    /// The subnet of `prefixLength` bits holding `address` (its host bits are cleared).
    public init(containing address: IPv4Address, prefixLength: Int) {
        precondition((0...32).contains(prefixLength), "an IPv4 prefix length is 0 to 32")
        self.prefixLength = prefixLength
        self.network = IPv4Address(address.value & Self.mask(prefixLength))
    }

    /// Parses `A.B.C.D/N`; nil when it is not one or when `A.B.C.D` has host bits set.
    public init?(_ text: some StringProtocol) {
        var text = String(text)
        guard let subnet = text.withUTF8({ Self.parse($0) }) else { return nil }
        self = subnet
    }

    /// The subnet `bytes` spell, if they spell one. Over a buffer, not generic text, because
    /// allocation keys are parsed by the thousand.
    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> IPv4Subnet? {
        guard let slash = bytes.firstIndex(of: UInt8(ascii: "/")), let value = IPv4Address.parse(bytes[..<slash]) else { return nil }
        let digits = bytes[(slash + 1)...]
        guard (1...3).contains(digits.count), digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
        let bits = digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        guard bits <= 32, value & ~mask(bits) == 0 else { return nil }
        return IPv4Subnet(containing: IPv4Address(value), prefixLength: bits)
    }

    /// How many addresses the subnet spans, network and broadcast addresses included.
    public var size: UInt64 { UInt64(1) << UInt64(32 - prefixLength) }

    /// The last address (the broadcast address of subnets shorter than /31).
    public var last: IPv4Address { IPv4Address(network.value | ~Self.mask(prefixLength)) }

    /// The address `offset` places after the network address.
    public func address(at offset: UInt32) -> IPv4Address {
        precondition(UInt64(offset) < size, "offset \(offset) is outside \(self)")
        return IPv4Address(network.value + offset)
    }

    /// Where `address` lies in the subnet, counted from the network address; nil when outside it.
    public func offset(of address: IPv4Address) -> UInt32? {
        contains(address) ? address.value - network.value : nil
    }

    public func contains(_ address: IPv4Address) -> Bool {
        address.value & Self.mask(prefixLength) == network.value
    }

    /// Whether the two subnets share an address.
    public func overlaps(_ other: IPv4Subnet) -> Bool {
        contains(other.network) || other.contains(network)
    }

    /// The `index`th subnet of `prefixLength` bits inside this one (`10.244.0.0/16` → `10.244.3.0/24` for 3).
    public func subnet(_ index: UInt32, prefixLength: Int) -> IPv4Subnet {
        precondition(prefixLength >= self.prefixLength && prefixLength <= 32, "a subnet of \(self) is longer than /\(self.prefixLength)")
        precondition(UInt64(index) < UInt64(1) << UInt64(prefixLength - self.prefixLength), "\(self) has no /\(prefixLength) number \(index)")
        return IPv4Subnet(containing: IPv4Address(network.value + (index << UInt32(32 - prefixLength))), prefixLength: prefixLength)
    }

    public var description: String { "\(network)/\(prefixLength)" }

    private static func mask(_ bits: Int) -> UInt32 {
        bits == 0 ? 0 : UInt32.max << UInt32(32 - bits)
    }
}
