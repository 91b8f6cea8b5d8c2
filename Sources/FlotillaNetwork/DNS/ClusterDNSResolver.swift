import FlotillaCore

/// The cluster DNS records in force: a ``ClusterDNSZone`` that ``update(_:)`` replaces whole.
/// Answering takes the current zone under a lock held only to copy a reference, so queries
/// never wait for a zone being compiled.
public final class ClusterDNSResolver: Sendable {
    public let domain: String
    public let ttl: UInt32
    private let zone: Locked<ClusterDNSZone>

    /// Starts with no services: every name under `domain` but its fixed parents is NXDOMAIN.
    public init(domain: String = "cluster.local", ttl: UInt32 = 5) {
        self.domain = domain
        self.ttl = ttl
        zone = Locked(ClusterDNSZone(directory: ServiceDirectory(), domain: domain, ttl: ttl))
    }

    /// Compiles `directory` and makes it the zone queries are answered from.
    public func update(_ directory: ServiceDirectory) {
        let compiled = ClusterDNSZone(directory: directory, domain: domain, ttl: ttl)
        zone.withLock { $0 = compiled }
    }

    /// The zone queries are answered from now.
    public var current: ClusterDNSZone { zone.withLock { $0 } }

    /// The answer for a name in the cluster domain; nil for names outside it.
    public func answer(_ query: DNSQuery) -> DNSResponse? {
        current.answer(query)
    }
}
