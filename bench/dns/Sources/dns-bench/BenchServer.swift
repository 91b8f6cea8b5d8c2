import FlotillaNetwork
import Logging
import NIOCore
import NIOPosix

/// Our server as the agent runs it, on loopback, with the benchmark's services and no upstream.
enum BenchServer {
    static func serve(port: Int, services: Int, threads: Int) async throws {
        let resolver = ClusterDNSResolver()
        resolver.update(BenchNames.directory(services))
        var logger = Logger(label: "dns-bench")
        logger.logLevel = .warning
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        let server = DNSServer(
            resolver: resolver, forwarder: nil, listen: [try SocketAddress(ipAddress: "127.0.0.1", port: port)], group: group, logger: logger)
        try await server.bind()
        print("ready")
        try await server.run()
    }
}
