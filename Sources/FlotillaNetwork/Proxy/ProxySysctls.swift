import Foundation

/// The kernel settings the service proxy relies on: packets are forwarded
/// (`net.ipv4.ip_forward`), packets crossing a bridge pass through iptables
/// (`net.bridge.bridge-nf-call-iptables`, after loading `br_netfilter` if needed), so that
/// replies from a pod to another pod on the same bridge are un-DNATed, and packets from
/// 127.0.0.1 may be routed once DNATed (`net.ipv4.conf.all.route_localnet`), so that node
/// ports answer on localhost as kube-proxy's do; ``ProxyRuleGenerator`` drops what would
/// otherwise reach loopback addresses from outside.
public enum ProxySysctls {
    /// Sets both; returns what could not be set, one message each.
    public static func configure() -> [String] {
        var problems: [String] = []
        if !FileManager.default.fileExists(atPath: "/proc/sys/net/bridge") {
            let modprobe = Process()
            modprobe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            modprobe.arguments = ["modprobe", "br_netfilter"]
            modprobe.standardOutput = FileHandle.nullDevice
            modprobe.standardError = FileHandle.nullDevice
            do {
                try modprobe.run()
                modprobe.waitUntilExit()
            } catch {
                problems.append("cannot run modprobe br_netfilter: \(error)")
            }
        }
        for name in ["net.ipv4.ip_forward", "net.bridge.bridge-nf-call-iptables", "net.ipv4.conf.all.route_localnet"] {
            let path = "/proc/sys/" + name.replacingOccurrences(of: ".", with: "/")
            if (try? String(contentsOfFile: path, encoding: .utf8))?.hasPrefix("1") == true { continue }
            do {
                try "1\n".write(toFile: path, atomically: false, encoding: .utf8)
            } catch {
                problems.append("cannot set \(name)=1: \(error)")
            }
        }
        return problems
    }
}
