import FlotillaCore
import FlotillaNetwork

/// The benchmark's services: `svc-<i>` in namespace `bench`, cluster IPs from 10.96.1.0 on.
enum BenchNames {
    static func address(_ index: Int) -> IPv4Address {
        IPv4Address(IPv4Address("10.96.1.0")!.value + UInt32(index))
    }

    static func names(_ count: Int) -> [String] {
        (0..<count).map { "svc-\($0).bench.svc.cluster.local" }
    }

    static func directory(_ count: Int) -> ServiceDirectory {
        ServiceDirectory(services: (0..<count).map {
            ServiceDirectory.Service(
                namespace: "bench", name: "svc-\($0)", kind: .clusterIP(address($0)), ports: [.init(name: "http", port: 80)])
        })
    }

    static func hostsFile(_ count: Int) -> String {
        zip(names(count), (0..<count).map(address)).map { "\($1) \($0)\n" }.joined()
    }
}
