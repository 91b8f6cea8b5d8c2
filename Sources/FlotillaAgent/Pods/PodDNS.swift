import FlotillaAPI
import FlotillaCore
import FlotillaNetwork

/// A pod's resolv.conf as a kubelet makes it from its `dnsPolicy` and `dnsConfig`:
///
/// - `ClusterFirst` (the default): the cluster DNS server, the search domains
///   `<namespace>.svc.<domain>`, `svc.<domain>`, `<domain>` and the host's, and `ndots:5`.
///   A `hostNetwork` pod gets `Default` instead, unless its policy is `ClusterFirstWithHostNet`.
/// - `Default`: the host's resolv.conf as it is.
/// - `None`: nothing but the pod's `dnsConfig`.
///
/// The pod's `dnsConfig` is merged on top for every policy: its name servers and search
/// domains appended (duplicates dropped), its options replacing options of the same name.
/// Then the limits apply: at most 3 name servers and 32 search domains (2048 characters).
public struct PodDNS: Sendable, Equatable {
    /// The cluster DNS server and domain; nil when the node has none (`ClusterFirst` then falls back to `Default`).
    public var clusterNetwork: ClusterNetwork?
    /// The host's resolv.conf.
    public var host: HostResolverConfiguration

    static let maxNameservers = 3
    static let maxSearches = 32
    static let maxSearchCharacters = 2048

    public init(clusterNetwork: ClusterNetwork?, host: HostResolverConfiguration) {
        self.clusterNetwork = clusterNetwork
        self.host = host
    }

    /// The resolver settings of `pod`'s sandbox.
    public func configuration(for pod: JSON) -> SandboxConfiguration.DNS {
        let spec = pod["spec"]
        let namespace = pod[path: ["metadata", "namespace"]].string ?? "default"
        let policy = spec["dnsPolicy"].string ?? "ClusterFirst"
        let hostNetwork = spec["hostNetwork"].bool ?? false
        var dns: SandboxConfiguration.DNS
        switch policy {
        case "None":
            dns = SandboxConfiguration.DNS()
        case "ClusterFirstWithHostNet":
            dns = clusterConfiguration(namespace: namespace) ?? hostConfiguration
        case "ClusterFirst" where !hostNetwork:
            dns = clusterConfiguration(namespace: namespace) ?? hostConfiguration
        default:
            dns = hostConfiguration
        }
        let extra = spec["dnsConfig"]
        dns.servers = Self.unique(dns.servers + (extra["nameservers"].array ?? []).compactMap(\.string))
        dns.searches = Self.unique(dns.searches + (extra["searches"].array ?? []).compactMap(\.string))
        dns.options = Self.merge(dns.options, extra["options"].array ?? [])
        dns.servers = Array(dns.servers.prefix(Self.maxNameservers))
        dns.searches = Self.limited(dns.searches)
        return dns
    }

    /// The cluster's resolver for a pod in `namespace`; nil when the node knows no cluster network.
    private func clusterConfiguration(namespace: String) -> SandboxConfiguration.DNS? {
        guard let cluster = clusterNetwork else { return nil }
        let domain = cluster.domain
        return SandboxConfiguration.DNS(
            servers: [cluster.dnsAddress.description],
            searches: Self.unique(["\(namespace).svc.\(domain)", "svc.\(domain)", domain] + host.searches), options: ["ndots:5"])
    }

    private var hostConfiguration: SandboxConfiguration.DNS {
        SandboxConfiguration.DNS(servers: host.nameservers, searches: host.searches, options: host.options)
    }

    private static func unique(_ values: [String]) -> [String] {
        var seen: Set<String> = []
        return values.filter { seen.insert($0).inserted }
    }

    /// `existing` (`name` or `name:value`) with each of `options` (`{name, value}`) replacing
    /// the option of its name or appended.
    private static func merge(_ existing: [String], _ options: [JSON]) -> [String] {
        var merged: [(name: String, value: String?)] = existing.map { option in
            guard let colon = option.firstIndex(of: ":") else { return (name: option, value: nil) }
            return (name: String(option[..<colon]), value: Optional(String(option[option.index(after: colon)...])))
        }
        for option in options {
            guard let name = option["name"].string else { continue }
            let value = option["value"].string
            if let index = merged.firstIndex(where: { $0.name == name }) {
                merged[index].value = value
            } else {
                merged.append((name, value))
            }
        }
        return merged.map { option in option.value.map { "\(option.name):\($0)" } ?? option.name }
    }

    /// The first search domains that fit the limits of count and total length.
    private static func limited(_ searches: [String]) -> [String] {
        var kept: [String] = [], characters = 0
        for search in searches.prefix(maxSearches) {
            characters += search.count + (kept.isEmpty ? 0 : 1)
            if characters > maxSearchCharacters { break }
            kept.append(search)
        }
        return kept
    }
}
