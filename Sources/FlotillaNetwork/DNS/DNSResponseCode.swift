/// The outcome of a query, as the header's RCODE (RFC 1035 §4.1.1) plus the EDNS extended
/// codes that need more than 4 bits (RFC 6891).
public struct DNSResponseCode: RawRepresentable, Hashable, Sendable {
    public var rawValue: UInt16

    public init(rawValue: UInt16) {
        self.rawValue = rawValue
    }

    public static let noError = DNSResponseCode(rawValue: 0)
    public static let formatError = DNSResponseCode(rawValue: 1)
    public static let serverFailure = DNSResponseCode(rawValue: 2)
    public static let nameError = DNSResponseCode(rawValue: 3)
    public static let notImplemented = DNSResponseCode(rawValue: 4)
    public static let refused = DNSResponseCode(rawValue: 5)
    /// The query's EDNS version is not one we speak (RFC 6891 §6.1.3); needs an OPT record.
    public static let badVersion = DNSResponseCode(rawValue: 16)
}
