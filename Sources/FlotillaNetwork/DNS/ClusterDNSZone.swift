import FlotillaCore
import Foundation

/// The records of the cluster domain, compiled from a ``ServiceDirectory`` into a table keyed
/// by lower-cased name, so that answering a query is one dictionary lookup. Names that exist
/// only as parents of others (`svc.cluster.local`, `default.svc.cluster.local`,
/// `_tcp.web.default.svc.cluster.local`) have empty entries: asked for, they answer NODATA
/// rather than NXDOMAIN.
///
/// Reverse names (`20.0.96.10.in-addr.arpa`) of the addresses the zone knows answer PTR
/// records: a service's cluster IP its service name, a headless service's endpoint its name
/// under the service, as CoreDNS does. Other reverse names are not the zone's.
public struct ClusterDNSZone: Sendable {
    /// The records one name holds.
    struct Entry: Sendable {
        var addresses: [DNSRecord] = []
        var services: [DNSRecord] = []
        /// The A records of the SRV targets, for the additional section.
        var serviceAddresses: [DNSRecord] = []
        var alias: DNSRecord?
    }

    /// The cluster domain, lower case, without the final dot (`cluster.local`).
    public let domain: String
    public let ttl: UInt32
    private let entries: [String: Entry]
    /// The PTR records of each known address's reverse name.
    private let pointers: [String: [DNSRecord]]
    private let startOfAuthority: DNSRecord
    private let podSuffix: String
    private let domainSuffix: String

    /// Compiles `directory` for `domain`, every record with time-to-live `ttl` seconds.
    public init(directory: ServiceDirectory, domain: String = "cluster.local", ttl: UInt32 = 5, serial: UInt32 = UInt32(Date().timeIntervalSince1970)) {
        let domain = DNSName(domain).key
        self.domain = domain
        self.ttl = ttl
        domainSuffix = "." + domain
        podSuffix = ".pod." + domain
        startOfAuthority = DNSRecord(
            name: domain, ttl: ttl,
            data: .soa(DNSStartOfAuthority(
                primaryServer: "ns.dns." + domain, contact: "hostmaster." + domain, serial: serial, refresh: 7200, retry: 1800,
                expire: 86400, minimum: ttl)))
        var builder = Builder(domain: domain, ttl: ttl)
        for key in directory.services.keys.sorted() { builder.add(directory.services[key]!) }
        pointers = builder.pointers
        entries = builder.finish()
    }

    /// The answer to `query` when its name is in the cluster domain; nil when it is not (the
    /// query is then for an upstream server).
    public func answer(_ query: DNSQuery) -> DNSResponse? {
        let key = query.name.key
        if let records = pointers[key] {
            var response = DNSResponse(authoritative: true)
            if query.type == .ptr || query.type == .any { response.answers = records }
            return response
        }
        guard key == domain || key.hasSuffix(domainSuffix) else { return nil }
        var response = DNSResponse(authoritative: true)
        if let entry = entries[key] {
            if let alias = entry.alias {
                response.answers = [alias]
                return response
            }
            switch query.type {
            case .a, .any:
                response.answers = entry.addresses
            case .srv:
                response.answers = entry.services
                response.additionals = entry.serviceAddresses
            case .soa where key == domain:
                response.answers = [startOfAuthority]
            default:
                break
            }
        } else if let address = podAddress(key) {
            if query.type == .a || query.type == .any {
                response.answers = [DNSRecord(name: key, ttl: ttl, data: .a(address))]
            }
        } else if !isPodName(key) {
            response.code = .nameError
        }
        if response.answers.isEmpty { response.authorities = [startOfAuthority] }
        return response
    }

    /// `a-b-c-d.namespace.pod.<domain>` → a.b.c.d, as kube-dns answers it, without checking
    /// that such a pod exists.
    private func podAddress(_ key: String) -> IPv4Address? {
        guard key.hasSuffix(podSuffix) else { return nil }
        let head = key.dropLast(podSuffix.count).split(separator: ".", omittingEmptySubsequences: false)
        guard head.count == 2, !head[1].isEmpty else { return nil }
        return IPv4Address(head[0].replacingOccurrences(of: "-", with: "."))
    }

    /// `pod.<domain>` and `namespace.pod.<domain>` exist (without records).
    private func isPodName(_ key: String) -> Bool {
        if key == String(podSuffix.dropFirst()) { return true }
        guard key.hasSuffix(podSuffix) else { return false }
        let head = key.dropLast(podSuffix.count)
        return !head.isEmpty && !head.contains(".")
    }

    /// Collects the records of each name while the services are added.
    private struct Builder {
        let domain: String
        let ttl: UInt32
        var entries: [String: Entry] = [:]
        var pointers: [String: [DNSRecord]] = [:]

        init(domain: String, ttl: UInt32) {
            self.domain = domain
            self.ttl = ttl
            entries[domain] = Entry()
            entries["svc." + domain] = Entry()
        }

        mutating func add(_ service: ServiceDirectory.Service) {
            let name = DNSName("\(service.name).\(service.namespace).svc.\(domain)").key
            guard Self.isValid(name) else { return }
            switch service.kind {
            case .externalName(let target):
                let target = DNSName(target).key
                guard Self.isValid(target), !target.isEmpty else { return }
                entries[name, default: Entry()].alias = DNSRecord(name: name, ttl: ttl, data: .cname(target))
            case .clusterIP(let address):
                guard let address else {
                    entries[name] = entries[name] ?? Entry()
                    return
                }
                let record = DNSRecord(name: name, ttl: ttl, data: .a(address))
                entries[name, default: Entry()].addresses.append(record)
                point(address, to: name)
                for port in service.ports where !port.name.isEmpty {
                    let srvName = Self.srvName(port, name)
                    guard Self.isValid(srvName) else { continue }
                    entries[srvName, default: Entry()].services.append(
                        DNSRecord(name: srvName, ttl: ttl, data: .srv(priority: 0, weight: 100, port: UInt16(clamping: port.port), target: name)))
                    entries[srvName]!.serviceAddresses = [record]
                }
            case .headless:
                entries[name, default: Entry()] = entries[name] ?? Entry()
                var seen = Set<IPv4Address>()
                for endpoint in service.endpoints where endpoint.ready && seen.insert(endpoint.ip).inserted {
                    addHeadless(endpoint, of: service, name: name)
                }
            }
        }

        /// An endpoint of a headless service: an A record under the service name, one under
        /// its hostname or dashed address, and an SRV record per named port.
        private mutating func addHeadless(_ endpoint: ServiceDirectory.Endpoint, of service: ServiceDirectory.Service, name: String) {
            let address = DNSRecord(name: name, ttl: ttl, data: .a(endpoint.ip))
            entries[name]!.addresses.append(address)
            let label = endpoint.hostname.flatMap { $0.isEmpty ? nil : $0 } ?? endpoint.ip.description.replacingOccurrences(of: ".", with: "-")
            let hostName = DNSName("\(label).\(name)").key
            guard Self.isValid(hostName) else { return }
            let hostAddress = DNSRecord(name: hostName, ttl: ttl, data: .a(endpoint.ip))
            entries[hostName, default: Entry()].addresses.append(hostAddress)
            point(endpoint.ip, to: hostName)
            let dashed = DNSName(endpoint.ip.description.replacingOccurrences(of: ".", with: "-") + "." + name).key
            if dashed != hostName { entries[dashed, default: Entry()].addresses.append(DNSRecord(name: dashed, ttl: ttl, data: .a(endpoint.ip))) }
            let ports = endpoint.ports.isEmpty ? service.ports : endpoint.ports
            for port in ports where !port.name.isEmpty {
                let srvName = Self.srvName(port, name)
                guard Self.isValid(srvName) else { continue }
                entries[srvName, default: Entry()].services.append(
                    DNSRecord(name: srvName, ttl: ttl, data: .srv(priority: 0, weight: 100, port: UInt16(clamping: port.port), target: hostName)))
                entries[srvName, default: Entry()].serviceAddresses.append(hostAddress)
            }
        }

        /// A PTR record from `address`'s reverse name to `name`.
        private mutating func point(_ address: IPv4Address, to name: String) {
            let reverse = address.description.split(separator: ".").reversed().joined(separator: ".") + ".in-addr.arpa"
            pointers[reverse, default: []].append(DNSRecord(name: reverse, ttl: ttl, data: .ptr(name)))
        }

        /// Adds an empty entry for every parent name up to the domain, then returns the table.
        mutating func finish() -> [String: Entry] {
            for key in Array(entries.keys) {
                var name = Substring(key)
                while name.count > domain.count, let dot = name.firstIndex(of: ".") {
                    name = name[name.index(after: dot)...]
                    if entries[String(name)] == nil { entries[String(name)] = Entry() }
                }
            }
            return entries
        }

        static func srvName(_ port: ServiceDirectory.Port, _ service: String) -> String {
            DNSName("_\(port.name)._\(port.protocol).\(service)").key
        }

        /// Whether `name` fits on the wire: labels of 1 to 63 bytes, 253 bytes in all.
        static func isValid(_ name: String) -> Bool {
            name.utf8.count <= 253 && name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { (1...63).contains($0.utf8.count) }
        }
    }
}
