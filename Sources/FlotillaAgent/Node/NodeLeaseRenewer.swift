import FlotillaClient
import FlotillaCore
import Foundation
import Logging
import ServiceLifecycle

/// Keeps the `Lease` of each of its nodes in `kube-node-lease` renewed: the heartbeat that
/// tells the control plane a node is alive.
///
/// Each lease is created if missing (owned by its Node, so it goes with it) and its
/// `spec.renewTime` set every `interval`. With many nodes (simulated ones) the renewals are
/// spread evenly over the interval rather than sent in one burst.
public struct NodeLeaseRenewer: Service {
    public static let namespace = "kube-node-lease"

    let client: KubernetesClient
    let nodes: [String]
    let interval: Duration
    let leaseDurationSeconds: Int
    let logger: Logger

    /// - Parameters:
    ///   - nodes: the names of the nodes to keep alive.
    ///   - interval: how often each lease is renewed (Kubernetes: 10 s).
    ///   - leaseDurationSeconds: how long a lease is valid without renewal (Kubernetes: 40 s).
    public init(
        client: KubernetesClient, nodes: [String], interval: Duration = .seconds(10),
        leaseDurationSeconds: Int = 40, logger: Logger = Logger(label: "flotilla.agent.lease")
    ) {
        self.client = client
        self.nodes = nodes
        self.interval = interval
        self.leaseDurationSeconds = leaseDurationSeconds
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let start = ContinuousClock.now
            let spacing = nodes.isEmpty ? interval : interval / nodes.count
            do {
                try await cancelWhenGracefulShutdown {
                    try await renewRound(nodes, start: start, spacing: spacing)
                    try await ContinuousClock().sleep(until: start + interval)
                }
            } catch {
                return
            }
        }
    }

    /// Renews every lease once, each at its slot; slow replies do not delay the later slots
    /// (up to `maxInFlight` renewals run at once).
    private func renewRound(_ names: [String], start: ContinuousClock.Instant, spacing: Duration) async throws {
        let maxInFlight = 64
        try await withThrowingTaskGroup(of: Void.self) { group in
            var inFlight = 0
            for (index, name) in names.enumerated() {
                try await ContinuousClock().sleep(until: start + spacing * index)
                if inFlight >= maxInFlight {
                    try await group.next()
                    inFlight -= 1
                }
                group.addTask { await renewLogged(name) }
                inFlight += 1
            }
            try await group.waitForAll()
        }
    }

    private func renewLogged(_ node: String) async {
        do {
            try await renew(node)
        } catch {
            // A renewal abandoned because the agent is stopping was not refused.
            guard !(error is CancellationError), !Task.isCancelled else { return }
            logger.warning("cannot renew the node lease", metadata: ["node": .string(node), "error": "\(error)"])
        }
    }

    /// Sets the lease's renewTime to now, creating the lease if it does not exist.
    public func renew(_ node: String) async throws {
        let now = Timestamp.formatMicro(Date())
        do {
            try await client.patch(
                .leases, namespace: Self.namespace, name: node,
                ["spec": ["renewTime": .string(now), "holderIdentity": .string(node)]], type: .merge, decodingReply: false)
        } catch let error as FlotillaError where error.code == .notFound {
            try await create(node, now: now)
        }
    }

    private func create(_ node: String, now: String) async throws {
        var metadata: JSONObject = ["name": .string(node), "namespace": .string(Self.namespace)]
        if let uid = try? await client.get(.nodes, name: node)[path: ["metadata", "uid"]].string {
            metadata["ownerReferences"] = [["apiVersion": "v1", "kind": "Node", "name": .string(node), "uid": .string(uid)]]
        }
        let lease: JSON = [
            "apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": .object(metadata),
            "spec": [
                "holderIdentity": .string(node), "leaseDurationSeconds": .int(Int64(leaseDurationSeconds)),
                "renewTime": .string(now),
            ],
        ]
        do {
            _ = try await client.create(.leases, namespace: Self.namespace, lease)
        } catch let error as FlotillaError where error.code == .alreadyExists {
            // Another renewal created it meanwhile: it is fresh.
        }
    }
}
