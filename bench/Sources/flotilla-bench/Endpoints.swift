import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

// flotilla-bench endpoints: how soon a pod's readiness change shows in Endpoints and
// EndpointSlices.
//   flotilla-bench endpoints --server URL --token T --ca FILE --services N [--samples S] [--burst B]
//
// N services each select one pod (given an address and Ready by the bench through pods/status).
// Three watches run: pods, endpoints and endpoint slices of the namespace. Each sample flips
// one pod's Ready condition and records when each watch first shows the new state:
//   baseline: the pod watch (the API's own write-to-watch round trip);
//   endpoints / endpointslices: the controllers' updated objects.
// Samples are taken one at a time, then in bursts of B pods flipped together.

/// The flips in flight: pod index → the readiness written, when, and when each watch saw it.
actor FlipBook {
    struct Flip {
        var ready: Bool
        var sent: UInt64
        var seen: [String: UInt64] = [:]
    }

    private var flips: [Int: Flip] = [:]
    private(set) var latencies: [String: Samples] = [:]

    func start(_ index: Int, ready: Bool) {
        flips[index] = Flip(ready: ready, sent: DispatchTime.now().uptimeNanoseconds)
    }

    func saw(_ kind: String, index: Int, ready: Bool, at time: UInt64) {
        guard var flip = flips[index], flip.ready == ready, flip.seen[kind] == nil, time >= flip.sent else { return }
        flip.seen[kind] = time
        latencies[kind, default: Samples()].add(Double(time - flip.sent) / 1e9)
        flips[index] = flip
    }

    /// Whether every flip was seen by all `kinds`; those seen are dropped.
    func settled(kinds: Int) -> Bool {
        flips = flips.filter { $0.value.seen.count < kinds }
        return flips.isEmpty
    }
}

/// Follows a watch on `path` from `rv`, handing each event's object to `handle` with its arrival time.
func follow(
    _ client: HTTPClient, _ target: Target, path: String, rv: String,
    _ handle: @escaping @Sendable ([String: Any], UInt64) async -> Void
) -> Task<Void, any Error> {
    Task {
        var request = HTTPClientRequest(url: target.baseURL + path + "?watch=1&resourceVersion=\(rv)&timeoutSeconds=1800")
        if let token = target.token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        let response = try await client.execute(request, timeout: .seconds(1900))
        var pending: [UInt8] = []
        for try await chunk in response.body {
            let time = DispatchTime.now().uptimeNanoseconds
            pending += chunk.readableBytesView
            var start = pending.startIndex
            while let nl = pending[start...].firstIndex(of: 0x0A) {
                if let event = try? JSONSerialization.jsonObject(with: Data(pending[start..<nl])) as? [String: Any],
                    let object = event["object"] as? [String: Any]
                {
                    await handle(object, time)
                }
                start = nl + 1
            }
            pending.removeFirst(start - pending.startIndex)
        }
    }
}

/// The number after the last `-` of a name (`s-17` → 17).
func suffixIndex(_ name: String?) -> Int? {
    name.flatMap { $0.split(separator: "-").last }.flatMap { Int($0) }
}

func podStatus(index: Int, ready: Bool) -> [UInt8] {
    let ip = "10.244.\(index / 250).\(index % 250 + 1)"
    return Array(#"""
    {"status":{"phase":"Running","podIP":"\#(ip)","podIPs":[{"ip":"\#(ip)"}],"conditions":[{"type":"Ready","status":"\#(ready ? "True" : "False")"}]}}
    """#.utf8)
}

func runEndpoints() async throws {
    guard let server = option("--server") else { fatalError("--server is required") }
    let count = Int(option("--services") ?? "1000") ?? 1000
    let sampleCount = Int(option("--samples") ?? "200") ?? 200
    let burst = Int(option("--burst") ?? "100") ?? 100
    let target = Target(baseURL: server, token: option("--token"), caPath: option("--ca"))
    let client = try makeClient(for: target, connections: 32)
    let watchClient = try makeClient(for: target, connections: 4)
    let ns = "endpoints-\(Int(Date().timeIntervalSince1970))"
    _ = try await send(client, target, method: .POST, path: "/api/v1/namespaces", body: Array(#"{"metadata":{"name":"\#(ns)"}}"#.utf8))
    let services = "/api/v1/namespaces/\(ns)/services"
    let pods = "/api/v1/namespaces/\(ns)/pods"
    let endpoints = "/api/v1/namespaces/\(ns)/endpoints"
    let slices = "/apis/discovery.k8s.io/v1/namespaces/\(ns)/endpointslices"

    FileHandle.standardError.write(Data("creating \(count) services and pods\n".utf8))
    let setup = await measure("setup", concurrency: 32, count: count) { _, i in
        let service = #"{"metadata":{"name":"s-\#(i)"},"spec":{"selector":{"app":"s-\#(i)"},"ports":[{"name":"http","port":80,"targetPort":8080}]}}"#
        let pod = #"{"metadata":{"name":"p-\#(i)","labels":{"app":"s-\#(i)"}},"spec":{"containers":[{"name":"c","image":"busybox","ports":[{"name":"http","containerPort":8080}]}]}}"#
        guard try await send(client, target, method: .POST, path: services, body: Array(service.utf8)).status == 201,
            try await send(client, target, method: .POST, path: pods, body: Array(pod.utf8)).status == 201
        else { return false }
        return try await send(
            client, target, method: .PATCH, path: "\(pods)/p-\(i)/status", body: podStatus(index: i, ready: true),
            contentType: "application/merge-patch+json"
        ).status == 200
    }
    guard setup.errors == 0 else { fatalError("\(setup.errors) setup requests failed") }

    // Wait until every service has its ready address in both kinds.
    func readyCount(_ path: String, _ isReady: ([String: Any]) -> Bool) async throws -> Int {
        let body = try await send(client, target, method: .GET, path: path).body
        let items = (try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])?["items"] as? [[String: Any]] ?? []
        return items.filter(isReady).count
    }
    let settleStart = Date()
    while true {
        let readyEndpoints = try await readyCount(endpoints, endpointsReady)
        let readySlices = try await readyCount(slices) { sliceReady($0) == true }
        if readyEndpoints >= count && readySlices >= count { break }
        guard Date().timeIntervalSince(settleStart) < 600 else { fatalError("endpoints not settled after 600 s") }
        try await Task.sleep(nanoseconds: 200_000_000)
    }
    let settleSeconds = Date().timeIntervalSince(settleStart)

    let book = FlipBook()
    var watches: [Task<Void, any Error>] = []
    for (kind, path) in [("baseline", pods), ("endpoints", endpoints), ("endpointslices", slices)] {
        let rv = resourceVersion(of: try await send(client, target, method: .GET, path: path + "?limit=1").body) ?? "0"
        watches.append(follow(watchClient, target, path: path, rv: rv) { object, time in
            let meta = object["metadata"] as? [String: Any] ?? [:]
            switch kind {
            case "baseline":
                let conditions = (object["status"] as? [String: Any])?["conditions"] as? [[String: Any]] ?? []
                guard let index = suffixIndex(meta["name"] as? String),
                    let ready = conditions.first(where: { $0["type"] as? String == "Ready" })?["status"] as? String
                else { return }
                await book.saw(kind, index: index, ready: ready == "True", at: time)
            case "endpoints":
                guard let index = suffixIndex(meta["name"] as? String) else { return }
                await book.saw(kind, index: index, ready: endpointsReady(object), at: time)
            default:
                let labels = meta["labels"] as? [String: String] ?? [:]
                guard let index = suffixIndex(labels["kubernetes.io/service-name"]), let ready = sliceReady(object) else { return }
                await book.saw(kind, index: index, ready: ready, at: time)
            }
        })
    }
    try await Task.sleep(nanoseconds: 500_000_000)

    var readiness = [Bool](repeating: true, count: count)
    func flip(_ indexes: [Int]) async throws {
        await withTaskGroup(of: Void.self) { group in
            for i in indexes {
                readiness[i].toggle()
                let ready = readiness[i]
                group.addTask {
                    await book.start(i, ready: ready)
                    _ = try? await send(
                        client, target, method: .PATCH, path: "\(pods)/p-\(i)/status", body: podStatus(index: i, ready: ready),
                        contentType: "application/merge-patch+json")
                }
            }
        }
        let deadline = Date().addingTimeInterval(30)
        while await !book.settled(kinds: 3) {
            guard Date() < deadline else { fatalError("a readiness change was not seen within 30 s") }
            try await Task.sleep(nanoseconds: 1_000_000)
        }
    }
    FileHandle.standardError.write(Data("\(sampleCount) single flips\n".utf8))
    for s in 0..<sampleCount {
        try await flip([(s * 7919) % count])
        try await Task.sleep(nanoseconds: 10_000_000)
    }
    let single = await book.latencies
    FileHandle.standardError.write(Data("bursts of \(burst)\n".utf8))
    let bursts = max(1, sampleCount / burst) * 2
    for b in 0..<bursts {
        try await flip((0..<burst).map { (b * burst + $0) % count })
        try await Task.sleep(nanoseconds: 100_000_000)
    }
    let all = await book.latencies
    for watch in watches { watch.cancel() }

    var out: [String: Any] = ["services": count, "single_samples": sampleCount, "burst": burst, "setup_settle_seconds": settleSeconds]
    for kind in ["baseline", "endpoints", "endpointslices"] {
        let one = single[kind] ?? Samples()
        var burstOnly = Samples()
        burstOnly.values = Array((all[kind] ?? Samples()).values.dropFirst(one.values.count))
        out["\(kind)_p50_ms"] = one.percentile(50) * 1000
        out["\(kind)_p99_ms"] = one.percentile(99) * 1000
        out["\(kind)_burst_p50_ms"] = burstOnly.percentile(50) * 1000
        out["\(kind)_burst_p99_ms"] = burstOnly.percentile(99) * 1000
    }
    for kind in ["endpoints", "endpointslices"] {
        for suffix in ["p50_ms", "p99_ms", "burst_p50_ms", "burst_p99_ms"] {
            out["\(kind)_\(suffix)_vs_baseline"] = (out["\(kind)_\(suffix)"] as! Double) / (out["baseline_\(suffix)"] as! Double)
        }
    }
    emit(out)
    try await client.shutdown()
    try await watchClient.shutdown()
}

/// Whether an Endpoints object lists a ready address.
func endpointsReady(_ object: [String: Any]) -> Bool {
    let subsets = object["subsets"] as? [[String: Any]] ?? []
    return subsets.contains { !(($0["addresses"] as? [Any]) ?? []).isEmpty }
}

/// The `ready` condition of a slice's first endpoint; nil for a slice without endpoints.
func sliceReady(_ object: [String: Any]) -> Bool? {
    guard let endpoint = (object["endpoints"] as? [[String: Any]])?.first else { return nil }
    return (endpoint["conditions"] as? [String: Any])?["ready"] as? Bool
}
