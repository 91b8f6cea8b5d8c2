import FlotillaCore

/// A pod's host name and domain as a kubelet gives them: `spec.hostname` (else the pod's
/// name), at most 63 characters; with `spec.subdomain`, the domain
/// `<subdomain>.<namespace>.svc.<cluster domain>`.
public struct PodHostname: Sendable, Equatable {
    public var hostname: String
    /// The domain, nil without a subdomain (or without a cluster domain).
    public var domain: String?

    public init(pod: JSON, clusterDomain: String?) {
        let spec = pod["spec"]
        let name = spec["hostname"].string.flatMap { $0.isEmpty ? nil : $0 } ?? pod[path: ["metadata", "name"]].string ?? ""
        hostname = String(name.prefix(63)).trimmingTrailing("-.")
        let namespace = pod[path: ["metadata", "namespace"]].string ?? "default"
        if let subdomain = spec["subdomain"].string, !subdomain.isEmpty, let clusterDomain {
            domain = "\(subdomain).\(namespace).svc.\(clusterDomain)"
        }
    }

    /// `hostname.domain`, or the bare host name without a domain.
    public var fullyQualified: String {
        domain.map { "\(hostname).\($0)" } ?? hostname
    }
}

extension String {
    /// The string without the characters of `set` at its end (kubelet trims `-` and `.` after truncating).
    fileprivate func trimmingTrailing(_ set: String) -> String {
        var result = self
        while let last = result.last, set.contains(last) { result.removeLast() }
        return result
    }
}
