import FlotillaClient
import FlotillaCore
import Logging

/// Finds the pod subnet of an agent started without `--pod-cidr`: the one the API server
/// assigned to its Node (`spec.podCIDR`).
///
/// The agent needs the subnet before anything else (containerd's CNI configuration holds it),
/// so this runs before registration: if the Node exists with a `spec.podCIDR`, that is the
/// subnet; otherwise the agent creates a minimal Node (name, labels and taints, and the
/// `node.kubernetes.io/not-ready:NoSchedule` taint a kubelet registers with, so that nothing is
/// scheduled to it before it reports Ready) and waits for the server to assign the subnet.
/// The registration that follows keeps the Node's spec, and with it the subnet.
public struct PodNetworkAssignment: Sendable {
    public var nodeName: String
    /// The agent's own labels, beyond `kubernetes.io/hostname` and `kubernetes.io/os`.
    public var labels: [String: String]
    /// The agent's taints, as `spec.taints` entries.
    public var taints: [JSON]
    /// How long to wait for the server to assign a subnet.
    public var timeout: Duration
    public var pollInterval: Duration

    /// The taint a node carries until it first reports Ready; the node lifecycle controller removes it.
    public static let notReadyTaint: JSON = ["key": "node.kubernetes.io/not-ready", "effect": "NoSchedule"]

    public init(
        nodeName: String, labels: [String: String] = [:], taints: [JSON] = [], timeout: Duration = .seconds(30),
        pollInterval: Duration = .milliseconds(250)
    ) {
        self.nodeName = nodeName
        self.labels = labels
        self.taints = taints
        self.timeout = timeout
        self.pollInterval = pollInterval
    }

    /// The Node created to ask for a subnet.
    public var minimalNode: JSON {
        var allLabels: JSONObject = ["kubernetes.io/hostname": .string(nodeName), "kubernetes.io/os": "linux"]
        for (key, value) in labels.sorted(by: { $0.key < $1.key }) { allLabels[key] = .string(value) }
        return [
            "apiVersion": "v1", "kind": "Node",
            "metadata": ["name": .string(nodeName), "labels": .object(allLabels)],
            "spec": ["taints": .array(taints + [Self.notReadyTaint])],
        ]
    }

    /// The node's assigned pod subnet; creates the Node first if there is none. Throws
    /// `timeout` when no subnet is assigned within ``timeout``, and `invalid` when the one
    /// assigned is not an IPv4 subnet.
    public func subnet(client: KubernetesClient, logger: Logger) async throws -> IPv4Subnet {
        if let node = try await retrying(logger, { try await Self.node(self.nodeName, client: client) }) {
            if let subnet = try Self.podSubnet(of: node) { return subnet }
        } else {
            try await retrying(logger) {
                do {
                    _ = try await client.create(.nodes, self.minimalNode)
                } catch let error as FlotillaError where error.code == .alreadyExists {}
            }
        }
        logger.info("waiting for the API server to assign the node's pod subnet", metadata: ["node": .string(nodeName)])
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            try await Task.sleep(for: pollInterval)
            let node = try await retrying(logger, { try await Self.node(self.nodeName, client: client) })
            if let node, let subnet = try Self.podSubnet(of: node) { return subnet }
        }
        throw FlotillaError(
            .timeout,
            "node \(nodeName) got no spec.podCIDR from the API server within \(timeout); start the agent with --pod-cidr, or a server that assigns pod subnets")
    }

    /// `spec.podCIDR` of `node`, nil when unset.
    static func podSubnet(of node: JSON) throws -> IPv4Subnet? {
        guard let text = node["spec"]["podCIDR"].string, !text.isEmpty else { return nil }
        guard let subnet = IPv4Subnet(text) else {
            throw FlotillaError(.invalid, "node \(node["metadata"]["name"].string ?? "") has spec.podCIDR \(text), which is not an IPv4 subnet")
        }
        return subnet
    }

    private static func node(_ name: String, client: KubernetesClient) async throws -> JSON? {
        do {
            return try await client.get(.nodes, name: name)
        } catch let error as FlotillaError where error.code == .notFound {
            return nil
        }
    }

    /// Runs `body`, trying again while the API server cannot be reached.
    private func retrying<T: Sendable>(_ logger: Logger, _ body: @Sendable () async throws -> T) async throws -> T {
        var backoff = Backoff.apiRetry
        while true {
            do {
                return try await body()
            } catch let error as FlotillaError where error.code == .serviceUnavailable || error.code == .timeout {
                let delay = backoff.next()
                logger.warning("cannot reach the API server for the node's pod subnet; trying again", metadata: ["error": .string(error.message), "delay": "\(delay)"])
                try await Task.sleep(for: delay)
            }
        }
    }
}
