import Foundation

/// A process-runtime sandbox as `sandbox.json` keeps it: no namespace or process, only the pod
/// it belongs to, its labels and state, and the node's address, which its pod uses.
struct ProcessSandboxRecord: Codable, Equatable {
    var id: String
    var podName: String
    var podNamespace: String
    var podUID: String
    var attempt: UInt32
    var ready: Bool
    var createdAt: Date
    var hostname: String
    var logDirectory: String
    var cgroupParent: String
    var ip: String
    var dnsServers: [String]
    var dnsSearches: [String]
    var dnsOptions: [String]
    var labels: [String: String]
    var annotations: [String: String]

    init(id: String, configuration: SandboxConfiguration, ip: String, createdAt: Date) {
        self.id = id
        podName = configuration.podName
        podNamespace = configuration.podNamespace
        podUID = configuration.podUID
        attempt = configuration.attempt
        ready = true
        self.createdAt = createdAt
        hostname = configuration.hostname
        logDirectory = configuration.logDirectory
        cgroupParent = configuration.cgroupParent
        self.ip = ip
        dnsServers = configuration.dns?.servers ?? []
        dnsSearches = configuration.dns?.searches ?? []
        dnsOptions = configuration.dns?.options ?? []
        labels = configuration.labels
        annotations = configuration.annotations
    }

    var summary: SandboxSummary {
        SandboxSummary(
            id: id, podName: podName, podNamespace: podNamespace, podUID: podUID, attempt: attempt, state: ready ? .ready : .notReady,
            createdAt: createdAt, labels: labels, annotations: annotations)
    }

    /// The sandbox's resolv.conf: its DNS settings, or the host's file when it has none.
    func resolvConf(host: String) -> String {
        guard !dnsServers.isEmpty || !dnsSearches.isEmpty || !dnsOptions.isEmpty else { return host }
        var lines = dnsServers.map { "nameserver \($0)" }
        if !dnsSearches.isEmpty { lines.append("search " + dnsSearches.joined(separator: " ")) }
        if !dnsOptions.isEmpty { lines.append("options " + dnsOptions.joined(separator: " ")) }
        return lines.joined(separator: "\n") + "\n"
    }
}
