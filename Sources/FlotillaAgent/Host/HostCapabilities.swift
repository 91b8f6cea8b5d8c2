import Foundation

/// What the agent's process may do on this host, read from its effective capabilities.
public enum HostCapabilities {
    /// `CAP_SYS_RESOURCE`, which lowering a process's OOM score below its parent's needs.
    static let sysResource = 24

    /// Whether the agent (and so its containerd) may give processes a lower OOM score than its
    /// own; not inside many containers and sandboxes, even as root.
    public static var canLowerOOMScores: Bool {
        has(sysResource)
    }

    /// Whether capability number `capability` is in the process's effective set.
    static func has(_ capability: Int) -> Bool {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("CapEff:") }),
            let mask = UInt64(line.dropFirst("CapEff:".count).trimmingCharacters(in: .whitespaces), radix: 16)
        else { return false }
        return mask & (1 << UInt64(capability)) != 0
    }
}
