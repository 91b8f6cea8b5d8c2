import FlotillaAPI
import FlotillaClient
import FlotillaCore
import FlotillaNetwork
import Foundation
import Logging
import NIOCore
import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#endif

/// The node's cluster DNS server: answers for the cluster domain from the Services and
/// EndpointSlices it sees through two informers, forwards other names to the host's resolvers,
/// and serves on the cluster DNS address (`10.96.0.10:53`, UDP and TCP) made local to the node
/// by a dummy interface (or `lo` where the kernel has no dummy interfaces), plus any extra
/// addresses.
///
/// The informers are the caller's: it runs them (they may be shared with other parts of the
/// agent); this service only registers handlers on them, so it must be created before they
/// run. After a change the directory is rebuilt from their caches, at most once per
/// ``Configuration/rebuildDelay``, and swapped in whole.
///
/// When an address cannot be bound (not root, or another agent on the host owns it) the
/// service logs it and tries again every ``Configuration/retryInterval``, so that when the
/// owner goes away another agent takes over; the agent keeps running either way.
public final class ClusterDNSService: Service, Sendable {
    /// Where and how the server answers.
    public struct Configuration: Sendable {
        /// The cluster DNS address and domain.
        public var network: ClusterNetwork
        /// Time-to-live of every answer from the cluster domain, in seconds.
        public var ttl: UInt32
        /// `IP[:PORT]` of the servers names outside the cluster domain go to; nil for the
        /// host's resolv.conf name servers.
        public var upstreams: [String]?
        /// Whether to serve on `<dnsAddress>:53` (creating ``interface`` on Linux).
        public var servesClusterAddress: Bool
        /// `IP:PORT` addresses to serve on besides the cluster address.
        public var extraListenAddresses: [String]
        /// The dummy interface that carries the cluster DNS address.
        public var interface: String
        public var retryInterval: Duration
        public var rebuildDelay: Duration
        /// How long to wait for the informers' first lists before serving anyway.
        public var syncTimeout: Duration

        public init(
            network: ClusterNetwork = .standard, ttl: UInt32 = 5, upstreams: [String]? = nil, servesClusterAddress: Bool = true,
            extraListenAddresses: [String] = [], interface: String = "flotilla-dns", retryInterval: Duration = .seconds(3),
            rebuildDelay: Duration = .milliseconds(50), syncTimeout: Duration = .seconds(10)
        ) {
            self.network = network
            self.ttl = ttl
            self.upstreams = upstreams
            self.servesClusterAddress = servesClusterAddress
            self.extraListenAddresses = extraListenAddresses
            self.interface = interface
            self.retryInterval = retryInterval
            self.rebuildDelay = rebuildDelay
            self.syncTimeout = syncTimeout
        }
    }

    public let configuration: Configuration
    /// The records in force; exposed for status and tests.
    public let resolver: ClusterDNSResolver
    private let services: Informer
    private let endpointSlices: Informer
    private let logger: Logger
    private let changes: AsyncStream<Void>
    private let changed: AsyncStream<Void>.Continuation

    /// - Parameters:
    ///   - services: an informer of `v1` Services in all namespaces (``ResourceRef/services``).
    ///   - endpointSlices: an informer of `discovery.k8s.io/v1` EndpointSlices in all
    ///     namespaces (``ResourceRef/endpointSlices``).
    public init(services: Informer, endpointSlices: Informer, configuration: Configuration = Configuration(), logger: Logger = Logger(label: "flotilla.agent.dns")) {
        self.services = services
        self.endpointSlices = endpointSlices
        self.configuration = configuration
        self.logger = logger
        resolver = ClusterDNSResolver(domain: configuration.network.domain, ttl: configuration.ttl)
        (changes, changed) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        for informer in [services, endpointSlices] {
            informer.onAdd { [changed] _ in changed.yield() }
            informer.onUpdate { [changed] _, _ in changed.yield() }
            informer.onDelete { [changed] _ in changed.yield() }
        }
    }

    public func run() async throws {
        await waitForInformers()
        rebuild()
        let forwarder = DNSForwarder(upstreams: upstreams(), logger: logger)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.rebuildOnChanges() }
            if configuration.servesClusterAddress {
                let address = SocketAddress.ipv4(configuration.network.dnsAddress, port: 53)
                group.addTask {
                    await self.serve(on: [address], forwarder: forwarder) {
                        let device = try await ClusterDNSAddress.ensure(self.configuration.network.dnsAddress, interface: self.configuration.interface)
                        self.logger.info(
                            "cluster DNS address is local", metadata: ["address": "\(self.configuration.network.dnsAddress)", "interface": .string(device)])
                    }
                }
            }
            let extra = configuration.extraListenAddresses.compactMap { text -> SocketAddress? in
                do {
                    return try DNSAddress.parse(text)
                } catch {
                    logger.error("ignoring a DNS listen address", metadata: ["address": .string(text), "error": "\(error)"])
                    return nil
                }
            }
            if !extra.isEmpty {
                group.addTask { await self.serve(on: extra, forwarder: forwarder) {} }
            }
            await withGracefulShutdownHandler {
                await group.next()
            } onGracefulShutdown: { [changed] in
                changed.finish()
            }
            group.cancelAll()
        }
    }

    /// Waits until both informers have listed, or ``Configuration/syncTimeout`` passed (the
    /// server then starts with what it has, so names outside the cluster still resolve).
    private func waitForInformers() async {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask { [services, endpointSlices] in
                do {
                    try await services.waitForSync()
                    try await endpointSlices.waitForSync()
                    return true
                } catch {
                    return false
                }
            }
            group.addTask { [configuration] in
                try? await Task.sleep(for: configuration.syncTimeout)
                return false
            }
            if await group.next() == false && !Task.isCancelled {
                logger.warning("services and endpoint slices not listed yet; serving DNS with what is known")
            }
            group.cancelAll()
        }
    }

    /// Rebuilds after changes, waiting ``Configuration/rebuildDelay`` first so that a burst of
    /// changes makes one rebuild.
    private func rebuildOnChanges() async {
        for await _ in changes {
            do { try await Task.sleep(for: configuration.rebuildDelay) } catch { return }
            rebuild()
        }
    }

    private func rebuild() {
        let directory = ClusterDNSDirectoryBuilder.build(services: services.cache.list(), endpointSlices: endpointSlices.cache.list())
        resolver.update(directory)
        logger.debug("cluster DNS records rebuilt", metadata: ["services": "\(directory.services.count)"])
    }

    /// Serves on `addresses` until cancelled, binding again after ``Configuration/retryInterval``
    /// whenever binding fails. `prepare` runs before the first attempt, and again after an
    /// attempt failed because the address is not local (EADDRNOTAVAIL).
    private func serve(on addresses: [SocketAddress], forwarder: DNSForwarder, prepare: @Sendable () async throws -> Void) async {
        let server = DNSServer(resolver: resolver, forwarder: forwarder, listen: addresses, logger: logger)
        let described = addresses.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" }.joined(separator: ",")
        var failures = 0
        var prepared = false
        while !Task.isCancelled {
            do {
                if !prepared {
                    try await prepare()
                    prepared = true
                }
                try await server.bind()
                if failures > 0 { logger.info("now serving cluster DNS", metadata: ["addresses": .string(described)]) }
                failures = 0
                try await server.run()
            } catch {
                if Task.isCancelled { return }
                if "\(error)".contains("assign requested address") { prepared = false }
                let metadata: Logger.Metadata = ["addresses": .string(described), "error": "\(error)", "retryIn": "\(configuration.retryInterval)"]
                if failures == 0 {
                    logger.warning("cannot serve cluster DNS here yet (not root, or another agent on this host serves it); will keep trying", metadata: metadata)
                } else {
                    logger.debug("cannot serve cluster DNS yet", metadata: metadata)
                }
                failures += 1
            }
            do { try await Task.sleep(for: configuration.retryInterval) } catch { return }
        }
    }

    /// The upstream servers, without the cluster DNS address itself.
    private func upstreams() -> [SocketAddress] {
        let configured = configuration.upstreams ?? HostResolverConfiguration.load().nameservers
        let own = SocketAddress.ipv4(configuration.network.dnsAddress, port: 53)
        let parsed = configured.compactMap { text -> SocketAddress? in
            do {
                return try DNSAddress.parse(text)
            } catch {
                logger.warning("ignoring an upstream DNS server", metadata: ["upstream": .string(text), "error": "\(error)"])
                return nil
            }
        }
        let upstreams = parsed.filter { $0 != own }
        if upstreams.isEmpty { logger.warning("no upstream DNS servers: names outside the cluster domain will get SERVFAIL") }
        return upstreams
    }
}

extension SocketAddress {
    /// The socket address of an IPv4 address and port.
    static func ipv4(_ address: FlotillaCore.IPv4Address, port: Int) -> SocketAddress {
        var raw = sockaddr_in()
        raw.sin_family = sa_family_t(AF_INET)
        raw.sin_port = UInt16(port).bigEndian
        raw.sin_addr.s_addr = address.value.bigEndian
        return SocketAddress(raw, host: address.description)
    }
}
