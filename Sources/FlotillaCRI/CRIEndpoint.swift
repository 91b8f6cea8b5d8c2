import FlotillaCore

/// Where a CRI runtime listens: a unix socket, named as kubelet's `--container-runtime-endpoint`
/// names it (`unix:///run/containerd/containerd.sock`) or by its absolute path.
public enum CRIEndpoint {
    /// The socket path of `endpoint`; throws `badRequest` for anything but a unix socket.
    public static func socketPath(_ endpoint: String) throws -> String {
        let path: Substring
        if endpoint.hasPrefix("unix://") {
            path = endpoint.dropFirst("unix://".count)
        } else {
            path = Substring(endpoint)
        }
        guard path.hasPrefix("/") else {
            throw FlotillaError(
                .badRequest,
                "container runtime endpoint \"\(endpoint)\" must be a unix socket: unix:///path/to/socket or an absolute path")
        }
        return String(path)
    }
}
