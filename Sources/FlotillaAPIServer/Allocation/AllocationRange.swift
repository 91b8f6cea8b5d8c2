import FlotillaAPI
import FlotillaCore

/// A finite range of values the API server hands out (service IPs, node ports, node pod
/// subnets), numbered by offset `0..<count`, with the text of each value as it appears in objects
/// and in its allocation key.
struct AllocationRange: Sendable {
    /// The key segment and the noun of errors: `serviceips`, `nodeports`, `podcidrs`.
    let kind: String
    /// The range as users write it (`10.96.0.0/12`, `30000-32767`), for error messages.
    let summary: String
    let count: UInt32
    /// Offsets never handed out dynamically (they may still be requested).
    let reserved: Set<UInt32>
    /// The low offsets `0..<staticBand` are handed out dynamically only when the rest is full, so
    /// that values users pick by hand there rarely collide (Kubernetes' static sub-range).
    let staticBand: UInt32
    /// Dynamic picks take the lowest free offset instead of a random one.
    let sequential: Bool
    let text: @Sendable (UInt32) -> String
    let offset: @Sendable (String) -> UInt32?

    /// The usable addresses of `network` (neither the network nor the broadcast address); the
    /// first of them (the `kubernetes` service's) and `dnsAddress` are only handed out on request.
    static func serviceIPs(_ network: IPv4Subnet, dnsAddress: IPv4Address) -> AllocationRange {
        let count = UInt32(max(0, Int64(network.size) - 2))
        var reserved: Set<UInt32> = [0]
        if let dns = network.offset(of: dnsAddress), dns >= 1, dns <= count { reserved.insert(dns - 1) }
        return AllocationRange(
            kind: "serviceips", summary: network.description, count: count, reserved: reserved,
            staticBand: min(max(16, count / 16), 256), sequential: false,
            text: { network.address(at: $0 + 1).description },
            offset: { text in
                guard let address = IPv4Address(text), let offset = network.offset(of: address), offset >= 1, offset <= count else {
                    return nil
                }
                return offset - 1
            })
    }

    /// The ports of `ports`.
    static func nodePorts(_ ports: ClosedRange<Int>) -> AllocationRange {
        let count = UInt32(ports.count)
        return AllocationRange(
            kind: "nodeports", summary: "\(ports.lowerBound)-\(ports.upperBound)", count: count, reserved: [],
            staticBand: min(max(16, count / 32), 128), sequential: false,
            text: { String(ports.lowerBound + Int($0)) },
            offset: { text in
                guard let port = Int(text), ports.contains(port) else { return nil }
                return UInt32(port - ports.lowerBound)
            })
    }

    /// The subnets of `prefixLength` bits of `network`, handed out lowest first.
    static func podCIDRs(_ network: IPv4Subnet, prefixLength: Int) -> AllocationRange {
        let count = UInt32(min(UInt64(1) << UInt64(prefixLength - network.prefixLength), UInt64(UInt32.max)))
        return AllocationRange(
            kind: "podcidrs", summary: "\(network) (/\(prefixLength) each)", count: count, reserved: [],
            staticBand: 0, sequential: true,
            text: { network.subnet($0, prefixLength: prefixLength).description },
            offset: { text in
                guard let subnet = IPv4Subnet(text), subnet.prefixLength == prefixLength, network.contains(subnet.network) else {
                    return nil
                }
                return (subnet.network.value - network.network.value) >> UInt32(32 - prefixLength)
            })
    }

    /// The store key recording who holds `value`. Pod subnets write `/` as `-`.
    func key(_ value: String) -> String {
        keyPrefix + Self.replacing(UInt8(ascii: "/"), with: UInt8(ascii: "-"), in: Substring(value))
    }

    /// The value a key of this range records.
    func value(ofKey key: String) -> String {
        Self.replacing(UInt8(ascii: "-"), with: UInt8(ascii: "/"), in: key.dropFirst(keyPrefix.count))
    }

    /// `text` with every `byte` made `replacement` (both ASCII).
    private static func replacing(_ byte: UInt8, with replacement: UInt8, in text: Substring) -> String {
        String(decoding: text.utf8.map { $0 == byte ? replacement : $0 }, as: UTF8.self)
    }

    /// Where this range's allocation keys live.
    var keyPrefix: String { AllocationOwner.keyPrefix + kind + "/" }
}
