import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

// flotilla-bench: measures a running flotilla server (or raw etcd) and prints JSON.
//   flotilla-bench api  --server URL --token T --ca FILE [--pid PID] [--scale F]
//   flotilla-bench etcd --etcd URL [--scale F]
//   flotilla-bench scheduling --server URL --token T --ca FILE --nodes N --pods P [--shape basic|spread]
//   flotilla-bench controllers --server URL --token T --ca FILE --nodes N --pods P [--pid PID]
//   flotilla-bench endpoints --server URL --token T --ca FILE --services N [--samples S] [--burst B]
//   flotilla-bench cri-pods --endpoint unix:///PATH --image IMAGE --log-dir DIR [--pods N] [--interval S]

func option(_ name: String) -> String? {
    let args = CommandLine.arguments
    guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
    return args[i + 1]
}

func emit(_ object: [String: Any]) {
    let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
}

func rssKiB(pid: String) -> Int? {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
    for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
        return Int(line.split(separator: " ", omittingEmptySubsequences: true)[1])
    }
    return nil
}

let scale = Double(option("--scale") ?? "1") ?? 1
func n(_ base: Int) -> Int { max(1, Int(Double(base) * scale)) }

func configMap(_ name: String, _ value: String = "v") -> [UInt8] {
    Array(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"\#(name)","labels":{"bench":"yes"}},"data":{"k":"\#(value)"}}"#.utf8)
}

func pod(_ name: String) -> [UInt8] {
    Array(#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"\#(name)","labels":{"app":"bench"}},"spec":{"containers":[{"name":"c","image":"busybox:1.36","command":["sleep","3600"],"resources":{"requests":{"cpu":"10m","memory":"16Mi"}}}]}}"#.utf8)
}

func resourceVersion(of body: [UInt8]) -> String? {
    guard let obj = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
        let meta = obj["metadata"] as? [String: Any]
    else { return nil }
    return meta["resourceVersion"] as? String
}

func runAPI() async throws {
    guard let server = option("--server") else { fatalError("--server is required") }
    let target = Target(baseURL: server, token: option("--token"), caPath: option("--ca"))
    let client = try makeClient(for: target, connections: 64)
    var out: [String: Any] = [:]
    if let pid = option("--pid") { out["idle_rss_mib"] = Double(rssKiB(pid: pid) ?? 0) / 1024 }

    let ns = "bench-\(Int(Date().timeIntervalSince1970))"
    _ = try await send(client, target, method: .POST, path: "/api/v1/namespaces", body: Array(#"{"metadata":{"name":"\#(ns)"}}"#.utf8))
    let cms = "/api/v1/namespaces/\(ns)/configmaps"
    var phases: [Phase] = []

    // Baseline: the cheapest authenticated request, to compare the API's work against.
    phases.append(await measure("healthz", concurrency: 32, count: n(10000)) { _, _ in
        try await send(client, target, method: .GET, path: "/healthz").status == 200
    })
    phases.append(await measure("create", concurrency: 1, count: n(1000)) { _, i in
        try await send(client, target, method: .POST, path: cms, body: configMap("c1-\(i)")).status == 201
    })
    phases.append(await measure("create", concurrency: 32, count: n(20000)) { _, i in
        try await send(client, target, method: .POST, path: cms, body: configMap("c32-\(i)")).status == 201
    })
    phases.append(await measure("get", concurrency: 1, count: n(2000)) { _, i in
        try await send(client, target, method: .GET, path: "\(cms)/c1-\(i % n(1000))").status == 200
    })
    phases.append(await measure("get", concurrency: 32, count: n(20000)) { _, i in
        try await send(client, target, method: .GET, path: "\(cms)/c32-\(i)").status == 200
    })
    // Updates: each worker updates its own object with PUT, carrying the resourceVersion it got.
    let updaters = 32
    let versions = VersionBook()
    for w in 0..<updaters {
        let r = try await send(client, target, method: .POST, path: cms, body: configMap("u-\(w)"))
        await versions.set(w, resourceVersion(of: r.body) ?? "")
    }
    for c in [1, 32] {
        phases.append(await measure("update", concurrency: c, count: n(c == 1 ? 1000 : 10000)) { w, i in
            let rv = await versions.get(w)
            let body = Array(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"u-\#(w)","resourceVersion":"\#(rv)"},"data":{"k":"\#(i)"}}"#.utf8)
            let r = try await send(client, target, method: .PUT, path: "\(cms)/u-\(w)", body: body)
            if let v = resourceVersion(of: r.body) { await versions.set(w, v) }
            return r.status == 200
        })
    }
    // Latency under a steady 1,000 writes/s.
    phases.append(await measurePaced("create@1000/s", rate: 1000, seconds: max(2, n(10))) { i in
        try await send(client, target, method: .POST, path: cms, body: configMap("paced-\(i)")).status == 201
    })
    out["phases"] = phases.map(\.json)

    // List of 10,000 pods.
    let podCount = n(10000)
    let pods = "/api/v1/namespaces/\(ns)/pods"
    let fill = await measure("create pods", concurrency: 32, count: podCount) { _, i in
        try await send(client, target, method: .POST, path: pods, body: pod("p-\(i)")).status == 201
    }
    var listTimes = Samples()
    var listed = 0
    for _ in 0..<5 {
        let t0 = Date()
        let r = try await send(client, target, method: .GET, path: pods)
        listTimes.add(Date().timeIntervalSince(t0))
        listed = ((try? JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any])?["items"] as? [Any])?.count ?? 0
    }
    out["list_pods"] = ["pods": listed, "created_per_second": fill.perSecond.rounded(), "p50_ms": listTimes.percentile(50) * 1000, "max_ms": listTimes.percentile(100) * 1000]

    // Watch delivery to 100 watchers.
    out["watch"] = try await watchFanOut(client: client, target: target, namespace: ns, watchers: 100, events: n(200))
    if let pid = option("--pid") { out["rss_after_mib"] = Double(rssKiB(pid: pid) ?? 0) / 1024 }
    emit(out)
    try await client.shutdown()
}

/// The resourceVersion each update worker last saw.
actor VersionBook {
    private var versions: [Int: String] = [:]
    func set(_ w: Int, _ v: String) { versions[w] = v }
    func get(_ w: Int) -> String { versions[w] ?? "" }
}

/// When each watched object was written, and when each watcher saw it.
actor DeliveryBook {
    var sent: [String: UInt64] = [:]
    var latencies = Samples()
    var received = 0
    func sent(_ name: String) { sent[name] = DispatchTime.now().uptimeNanoseconds }
    func received(_ name: String, at t: UInt64) {
        received += 1
        if let s = sent[name] { latencies.add(Double(t &- s) / 1e9) }
    }
}

func watchFanOut(client: HTTPClient, target: Target, namespace: String, watchers: Int, events: Int) async throws -> [String: Any] {
    let path = "/api/v1/namespaces/\(namespace)/configmaps"
    let rv = resourceVersion(of: try await send(client, target, method: .GET, path: path + "?limit=1").body) ?? "0"
    let book = DeliveryBook()
    let watchClient = try makeClient(for: target, connections: watchers + 4)
    let ready = Counter()
    let watchTasks = (0..<watchers).map { _ in
        Task {
            var request = HTTPClientRequest(url: target.baseURL + path + "?watch=1&labelSelector=watch%3Dyes&resourceVersion=\(rv)&timeoutSeconds=120")
            if let token = target.token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
            let response = try await watchClient.execute(request, timeout: .seconds(180))
            await ready.increment()
            var pending: [UInt8] = []
            var seen = 0
            for try await chunk in response.body {
                let t = DispatchTime.now().uptimeNanoseconds
                pending += chunk.readableBytesView
                while let nl = pending.firstIndex(of: 0x0A) {
                    let line = Array(pending[..<nl])
                    pending.removeFirst(nl + 1)
                    if let obj = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                        let o = obj["object"] as? [String: Any], let m = o["metadata"] as? [String: Any],
                        let name = m["name"] as? String
                    {
                        await book.received(name, at: t)
                        seen += 1
                    }
                }
                if seen >= events { break }
            }
        }
    }
    let deadline = Date().addingTimeInterval(30)
    while await ready.value < watchers, Date() < deadline { try await Task.sleep(nanoseconds: 20_000_000) }
    for i in 0..<events {
        let name = "w-\(i)"
        await book.sent(name)
        var body = configMap(name)
        body = Array(String(decoding: body, as: UTF8.self).replacingOccurrences(of: #""bench":"yes""#, with: #""watch":"yes""#).utf8)
        _ = try await send(client, target, method: .POST, path: path, body: body)
        try await Task.sleep(nanoseconds: 10_000_000)
    }
    let waitUntil = Date().addingTimeInterval(30)
    while await book.received < watchers * events, Date() < waitUntil { try await Task.sleep(nanoseconds: 50_000_000) }
    for t in watchTasks { t.cancel() }
    let latencies = await book.latencies
    let received = await book.received
    try? await watchClient.shutdown()
    return [
        "watchers": watchers, "events": events, "delivered": received, "expected": watchers * events,
        "p50_ms": latencies.percentile(50) * 1000, "p99_ms": latencies.percentile(99) * 1000,
    ]
}

/// A count shared between tasks.
actor Counter {
    var value = 0
    func increment() { value += 1 }
}

func runEtcd() async throws {
    guard let etcd = option("--etcd") else { fatalError("--etcd is required") }
    let target = Target(baseURL: etcd, token: nil, caPath: nil)
    let client = try makeClient(for: target, connections: 64)
    let value = Data(configMap("raw")).base64EncodedString()
    var phases: [Phase] = []
    for c in [1, 32] {
        phases.append(await measure("raw etcd put", concurrency: c, count: n(c == 1 ? 1000 : 20000)) { _, i in
            let key = Data("/bench/raw/\(c)/\(i)".utf8).base64EncodedString()
            let body = Array(#"{"key":"\#(key)","value":"\#(value)"}"#.utf8)
            return try await send(client, target, method: .POST, path: "/v3/kv/put", body: body).status == 200
        })
    }
    emit(["phases": phases.map(\.json)])
    try await client.shutdown()
}

switch CommandLine.arguments.dropFirst().first {
case "api": try await runAPI()
case "etcd": try await runEtcd()
case "scheduling": try await runScheduling()
case "controllers": try await runControllers()
case "endpoints": try await runEndpoints()
case "cycles": try runSchedulingCycles()
case "cri-pods": try await runCRIPods()
default:
    FileHandle.standardError.write(Data("usage: flotilla-bench api|etcd|scheduling|cycles|controllers|endpoints|cri-pods ...\n".utf8))
    exit(2)
}
