import Foundation

/// The host's resolver settings from `resolv.conf`: its name servers, search domains and options.
/// Cluster DNS forwards names outside the cluster domain to these servers, and pods with
/// `dnsPolicy: Default` get them as they are.
public struct HostResolverConfiguration: Sendable, Equatable {
    public var nameservers: [String]
    public var searches: [String]
    public var options: [String]

    public init(nameservers: [String] = [], searches: [String] = [], options: [String] = []) {
        self.nameservers = nameservers
        self.searches = searches
        self.options = options
    }

    /// Parses resolv.conf text: `nameserver`, `search` (the last one wins, as in glibc),
    /// `domain` (a search list of one when no `search` follows) and `options` lines; comments
    /// start with `#` or `;`.
    public init(parsing text: String) {
        self.init()
        for line in text.split(whereSeparator: \.isNewline) {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard let keyword = words.first, !keyword.hasPrefix("#"), !keyword.hasPrefix(";") else { continue }
            let values = words.dropFirst().prefix { !$0.hasPrefix("#") && !$0.hasPrefix(";") }.map(String.init)
            switch keyword {
            case "nameserver": nameservers += values.prefix(1)
            case "search", "domain": searches = values
            case "options": options += values
            default: continue
            }
        }
    }

    /// The settings in `path` (default `/etc/resolv.conf`); empty when it cannot be read.
    public static func load(path: String = "/etc/resolv.conf") -> HostResolverConfiguration {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return HostResolverConfiguration() }
        return HostResolverConfiguration(parsing: text)
    }
}
