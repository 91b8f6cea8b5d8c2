import FlotillaCore

/// One resource record of an answer, authority or additional section, class IN. Names are in
/// dotted form without the final dot.
public struct DNSRecord: Sendable, Equatable {
    /// The record's type and data.
    public enum Data: Sendable, Equatable {
        case a(IPv4Address)
        case cname(String)
        case ptr(String)
        case srv(priority: UInt16, weight: UInt16, port: UInt16, target: String)
        case soa(DNSStartOfAuthority)
    }

    public var name: String
    public var ttl: UInt32
    public var data: Data

    public init(name: String, ttl: UInt32, data: Data) {
        self.name = name
        self.ttl = ttl
        self.data = data
    }

    public var type: DNSRecordType {
        switch data {
        case .a: return .a
        case .cname: return .cname
        case .ptr: return .ptr
        case .srv: return .srv
        case .soa: return .soa
        }
    }
}

/// The data of an SOA record (RFC 1035 §3.3.13): the zone's primary server, its contact, and
/// the timers; `minimum` is how long resolvers may cache a negative answer (RFC 2308).
public struct DNSStartOfAuthority: Sendable, Equatable {
    public var primaryServer: String
    public var contact: String
    public var serial: UInt32
    public var refresh: UInt32
    public var retry: UInt32
    public var expire: UInt32
    public var minimum: UInt32

    public init(primaryServer: String, contact: String, serial: UInt32, refresh: UInt32, retry: UInt32, expire: UInt32, minimum: UInt32) {
        self.primaryServer = primaryServer
        self.contact = contact
        self.serial = serial
        self.refresh = refresh
        self.retry = retry
        self.expire = expire
        self.minimum = minimum
    }
}
