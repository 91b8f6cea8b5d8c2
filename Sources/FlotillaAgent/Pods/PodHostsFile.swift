/// The `/etc/hosts` a kubelet gives the containers of a pod in its own network: loopback
/// names, and the pod's address with its fully qualified name (with `spec.subdomain`) and
/// host name.
enum PodHostsFile {
    static func contents(podIP: String, hostname: PodHostname) -> String {
        let names = hostname.domain == nil ? hostname.hostname : "\(hostname.fullyQualified)\t\(hostname.hostname)"
        return """
            # Kubernetes-managed hosts file.
            127.0.0.1\tlocalhost
            ::1\tlocalhost ip6-localhost ip6-loopback
            fe00::0\tip6-localnet
            fe00::0\tip6-mcastprefix
            fe00::1\tip6-allnodes
            fe00::2\tip6-allrouters
            \(podIP)\t\(names)

            """
    }
}
