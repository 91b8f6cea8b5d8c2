import FlotillaAPI
import FlotillaCore
import FlotillaNetwork
import Logging

/// The node's service proxy, kube-proxy in iptables mode: it turns the cluster's Services and
/// EndpointSlices (from the shared ``ServiceCatalog``) into iptables rules that carry each
/// service's cluster IP and node ports to its ready endpoints (see ``ProxyRuleGenerator``) and
/// keeps them applied (``ProxyRuleApplier``).
///
/// Any change to a service or slice triggers a sync, which rebuilds the rules from the whole
/// cache: the first change is applied at once; changes that come while a sync runs or within
/// ``Configuration/minSyncInterval`` of its start are coalesced into the next one. A failed
/// sync is tried again after a second. Every ``Configuration/resyncInterval`` (as kube-proxy's
/// sync period) the proxy checks that the kernel still holds its rules and rewrites them when
/// something else changed them. The rules stay in place when the agent stops, so
/// traffic keeps flowing across a restart; ``cleanup(nodeName:iptables:)`` removes them.
///
/// Around each sync, the conntrack entries of UDP flows that the change leaves un-NATed (a port
/// that had no endpoint, cleared before the new rules) or pointing at a gone endpoint (cleared
/// after them) are deleted (``StaleUDPFlows``).
///
/// The cluster DNS address is left out: each node answers it itself.
public final class ServiceProxy: Sendable {
    /// Who the proxy works for and how often it may sync.
    public struct Configuration: Sendable {
        public var nodeName: String
        /// The node's pod bridge; nil when the agent does not know it (another runtime's network).
        public var podInterface: String?
        public var clusterNetwork: ClusterNetwork
        public var minSyncInterval: Duration
        /// How often the rules in the kernel are checked and repaired.
        public var resyncInterval: Duration

        public init(
            nodeName: String, podInterface: String?, clusterNetwork: ClusterNetwork, minSyncInterval: Duration = .milliseconds(100),
            resyncInterval: Duration = .seconds(30)
        ) {
            self.nodeName = nodeName
            self.podInterface = podInterface
            self.clusterNetwork = clusterNetwork
            self.minSyncInterval = minSyncInterval
            self.resyncInterval = resyncInterval
        }
    }

    public let configuration: Configuration
    private let catalog: ServiceCatalog
    private let generator: ProxyRuleGenerator
    private let applier: ProxyRuleApplier
    private let conntrack: any Conntrack
    private let logger: Logger
    /// When the oldest change not yet applied happened; newer ones are folded into it.
    private let changes: AsyncStream<ContinuousClock.Instant>
    private let changed: AsyncStream<ContinuousClock.Instant>.Continuation
    /// Set when the next sync is to check the kernel's rules first.
    private let checkRequested = Locked(false)

    /// Registers the proxy's handlers on the catalog's informers: create it before the catalog runs.
    public init(
        catalog: ServiceCatalog, configuration: Configuration, iptables: any IPTables = SystemIPTables(),
        conntrack: any Conntrack = SystemConntrack(), logger: Logger
    ) {
        self.catalog = catalog
        self.conntrack = conntrack
        self.configuration = configuration
        let names = ProxyChainNames(nodeName: configuration.nodeName)
        generator = ProxyRuleGenerator(names: names, podNetwork: configuration.clusterNetwork.podNetwork)
        applier = ProxyRuleApplier(iptables: iptables, names: names, jumps: ProxyJump.all(names: names, podInterface: configuration.podInterface))
        var logger = logger
        logger[metadataKey: "component"] = "proxy"
        self.logger = logger
        (changes, changed) = AsyncStream.makeStream(of: ContinuousClock.Instant.self, bufferingPolicy: .bufferingOldest(1))
        for informer in [catalog.services, catalog.endpointSlices] {
            informer.onAdd { [changed] _ in changed.yield(.now) }
            informer.onUpdate { [changed] _, _ in changed.yield(.now) }
            informer.onDelete { [changed] _ in changed.yield(.now) }
        }
    }

    /// Sets the kernel settings the rules need, then syncs on every change until cancelled.
    public func run() async throws {
        for problem in ProxySysctls.configure() { logger.warning("service traffic may not flow", metadata: ["problem": .string(problem)]) }
        try await catalog.services.waitForSync()
        try await catalog.endpointSlices.waitForSync()
        changed.yield(.now)
        let checks = Task { [changed, checkRequested, configuration] in
            while (try? await Task.sleep(for: configuration.resyncInterval)) != nil {
                checkRequested.withLock { $0 = true }
                changed.yield(.now)
            }
        }
        defer { checks.cancel() }
        await withTaskCancellationHandler {
            var applied: [ProxiedServicePort]?
            for await since in changes {
                let started = ContinuousClock.now
                applied = await sync(since: since, previous: applied) ?? applied
                try? await Task.sleep(until: started + configuration.minSyncInterval)
            }
        } onCancel: { [changed] in
            changed.finish()
        }
    }

    /// Applies the rules of the services and slices now cached, clearing the UDP flows the
    /// change from `previous` leaves stale; returns the service ports applied, nil when the
    /// rules could not be applied.
    private func sync(since: ContinuousClock.Instant, previous: [ProxiedServicePort]?) async -> [ProxiedServicePort]? {
        if checkRequested.withLock({ requested in defer { requested = false }; return requested }) {
            do {
                if try await !applier.holdsAppliedRules() { logger.warning("service rules were changed outside the agent; rewriting them") }
            } catch {
                logger.warning("cannot check the service rules", metadata: ["error": "\(error)"])
            }
        }
        let started = ContinuousClock.now
        let ports = ProxiedServices.ports(
            services: catalog.services.cache.list(), endpointSlices: catalog.endpointSlices.cache.list(),
            skipping: [configuration.clusterNetwork.dnsAddress], nodeName: configuration.nodeName)
        let rules = generator.rules(for: ports)
        let generated = ContinuousClock.now
        do {
            if let previous { await clear(StaleUDPFlows.beforeApplying(ports, after: previous)) }
            guard try await applier.apply(rules) else { return ports }
            let done = ContinuousClock.now
            logger.debug("service rules applied", metadata: [
                "servicePorts": "\(ports.count)", "generateMs": "\(Self.milliseconds(generated - started))",
                "applyMs": "\(Self.milliseconds(done - generated))", "sinceChangeMs": "\(Self.milliseconds(done - since))",
            ])
            if let previous { await clear(StaleUDPFlows.afterApplying(ports, after: previous)) }
        } catch {
            logger.warning("cannot apply service rules; trying again", metadata: ["error": "\(error)"])
            Task { [changed] in
                try? await Task.sleep(for: .seconds(1))
                changed.yield(.now)
            }
            return nil
        }
        return ports
    }

    private func clear(_ flows: [StaleUDPFlows.Deletion]) async {
        for deletion in flows {
            do {
                try await conntrack.delete(deletion)
            } catch {
                logger.warning("cannot clear stale UDP flows", metadata: ["flows": "\(deletion)", "error": "\(error)"])
            }
        }
    }

    /// `duration` in milliseconds, to a hundredth.
    private static func milliseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1000 + Double(attoseconds / 10_000_000_000_000) / 100
    }

    /// Removes the jumps and chains of the proxy of `nodeName` from the host's tables.
    public static func cleanup(nodeName: String, iptables: any IPTables = SystemIPTables()) async throws {
        try await ProxyRuleApplier(iptables: iptables, names: ProxyChainNames(nodeName: nodeName), jumps: []).cleanup()
    }
}
