import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

// flotilla-bench scheduling: how fast pods are bound, SchedulingBasic-style.
//   flotilla-bench scheduling --server URL --token T --ca FILE --nodes N --pods P
//                             [--shape basic|spread] [--pid PID]
//
// It waits for N Ready nodes, watches the namespace's pods, creates P pods as fast as the API
// takes them (64 at a time) and records when each one is seen bound (spec.nodeName set). The
// baseline in the same run is the rate at which the API accepted the pods: scheduling can only
// keep up with it, so their ratio says how much of the way the scheduler goes.
//
// Shapes: `basic` pods request cpu and memory only; `spread` pods also carry a required pod
// anti-affinity on hostname within groups of `--nodes` pods and a zone topology spread
// constraint (maxSkew 1, DoNotSchedule), so every decision looks at other pods.

/// When each pod was sent and when it was seen bound.
actor BindingBook {
    private var created: [String: UInt64] = [:]
    private(set) var bound: [String: UInt64] = [:]
    private(set) var lastBound: UInt64 = 0
    func sent(_ name: String, at t: UInt64) { created[name] = t }
    func bound(_ name: String, at t: UInt64) {
        guard bound[name] == nil else { return }
        bound[name] = t
        lastBound = max(lastBound, t)
    }
    var count: Int { bound.count }
    func latencies() -> Samples {
        var samples = Samples()
        for (name, t) in bound { if let s = created[name] { samples.add(Double(t &- s) / 1e9) } }
        return samples
    }
}

/// The value of the first `"key":"…"` string in `line`, without parsing the JSON.
func firstString(_ key: String, in line: ArraySlice<UInt8>) -> String? {
    let needle = Array("\"\(key)\":\"".utf8)
    guard line.count >= needle.count else { return nil }
    var i = line.startIndex
    while i <= line.endIndex - needle.count {
        if line[i] == needle[0], line[i..<(i + needle.count)].elementsEqual(needle) {
            let start = i + needle.count
            guard let end = line[start...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
            return String(decoding: line[start..<end], as: UTF8.self)
        }
        i += 1
    }
    return nil
}

func schedulingPod(_ name: String, shape: String, group: Int) -> [UInt8] {
    let requests = #""resources":{"requests":{"cpu":"100m","memory":"128Mi"}}"#
    if shape == "spread" {
        let labels = #"{"app":"bench","group":"g\#(group)"}"#
        let affinity = #""affinity":{"podAntiAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":[{"labelSelector":{"matchLabels":{"group":"g\#(group)"}},"topologyKey":"kubernetes.io/hostname"}]}}"#
        let spread = #""topologySpreadConstraints":[{"maxSkew":1,"topologyKey":"topology.kubernetes.io/zone","whenUnsatisfiable":"DoNotSchedule","labelSelector":{"matchLabels":{"group":"g\#(group)"}}}]"#
        return Array(#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"\#(name)","labels":\#(labels)},"spec":{\#(affinity),\#(spread),"containers":[{"name":"c","image":"busybox",\#(requests)}]}}"#.utf8)
    }
    return Array(#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"\#(name)","labels":{"app":"bench"}},"spec":{"containers":[{"name":"c","image":"busybox",\#(requests)}]}}"#.utf8)
}

func readyNodes(_ client: HTTPClient, _ target: Target) async throws -> Int {
    let reply = try await send(client, target, method: .GET, path: "/api/v1/nodes")
    let items = ((try? JSONSerialization.jsonObject(with: Data(reply.body)) as? [String: Any])?["items"] as? [[String: Any]]) ?? []
    return items.filter { node in
        let conditions = ((node["status"] as? [String: Any])?["conditions"] as? [[String: Any]]) ?? []
        return conditions.contains { $0["type"] as? String == "Ready" && $0["status"] as? String == "True" }
    }.count
}

func runScheduling() async throws {
    guard let server = option("--server") else { fatalError("--server is required") }
    let nodes = Int(option("--nodes") ?? "5000") ?? 5000
    let podCount = Int(option("--pods") ?? "10000") ?? 10000
    let shape = option("--shape") ?? "basic"
    let target = Target(baseURL: server, token: option("--token"), caPath: option("--ca"))
    let client = try makeClient(for: target, connections: 64)
    let watchClient = try makeClient(for: target, connections: 2)

    let waitStart = Date()
    while try await readyNodes(client, target) < nodes {
        guard Date().timeIntervalSince(waitStart) < 600 else { fatalError("fewer than \(nodes) Ready nodes after 600 s") }
        try await Task.sleep(nanoseconds: 500_000_000)
    }

    let ns = "sched-\(shape)-\(Int(Date().timeIntervalSince1970))"
    _ = try await send(client, target, method: .POST, path: "/api/v1/namespaces", body: Array(#"{"metadata":{"name":"\#(ns)"}}"#.utf8))
    let pods = "/api/v1/namespaces/\(ns)/pods"
    let rv = resourceVersion(of: try await send(client, target, method: .GET, path: pods + "?limit=1").body) ?? "0"
    let book = BindingBook()
    let watching = Task {
        var request = HTTPClientRequest(url: target.baseURL + pods + "?watch=1&resourceVersion=\(rv)&timeoutSeconds=600")
        if let token = target.token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        let response = try await watchClient.execute(request, timeout: .seconds(660))
        var pending: [UInt8] = []
        for try await chunk in response.body {
            let t = DispatchTime.now().uptimeNanoseconds
            pending += chunk.readableBytesView
            var start = pending.startIndex
            while let nl = pending[start...].firstIndex(of: 0x0A) {
                let line = pending[start..<nl]
                if let node = firstString("nodeName", in: line), !node.isEmpty, let name = firstString("name", in: line) {
                    await book.bound(name, at: t)
                }
                start = nl + 1
            }
            pending.removeFirst(start - pending.startIndex)
            if await book.count >= podCount { break }
        }
    }
    try await Task.sleep(nanoseconds: 300_000_000)

    let first = DispatchTime.now().uptimeNanoseconds
    let creation = await measure("create pods", concurrency: 64, count: podCount) { _, i in
        let name = "p-\(i)"
        await book.sent(name, at: DispatchTime.now().uptimeNanoseconds)
        return try await send(client, target, method: .POST, path: pods, body: schedulingPod(name, shape: shape, group: i / nodes)).status == 201
    }
    let deadline = Date().addingTimeInterval(600)
    while await book.count < podCount, Date() < deadline { try await Task.sleep(nanoseconds: 20_000_000) }
    watching.cancel()
    let bound = await book.count
    let seconds = Double(await book.lastBound &- first) / 1e9
    let latencies = await book.latencies()
    let boundPerSecond = seconds > 0 ? (Double(bound) / seconds).rounded() : 0
    var out: [String: Any] = [
        "shape": shape, "nodes": nodes, "pods": podCount, "bound": bound,
        "created_per_second": creation.perSecond.rounded(), "create_errors": creation.errors,
        "bound_per_second": boundPerSecond, "bound_vs_created": boundPerSecond / max(1, creation.perSecond),
        "p50_ms": latencies.percentile(50) * 1000, "p99_ms": latencies.percentile(99) * 1000,
    ]
    if let pid = option("--pid") { out["server_rss_mib"] = Double(rssKiB(pid: pid) ?? 0) / 1024 }
    emit(out)
    try await client.shutdown()
    try await watchClient.shutdown()
}
