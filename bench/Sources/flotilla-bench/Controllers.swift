import AsyncHTTPClient
import FlotillaCore
import Foundation
import NIOCore
import NIOHTTP1

// flotilla-bench controllers: how fast the controllers turn a deployment into running pods.
//   flotilla-bench controllers --server URL --token T --ca FILE --nodes N --pods P [--pid PID]
//
// With N Ready hollow nodes it measures, in one run:
//   baseline: P bare pods created by the client (64 at a time) until all are Running (the
//             creates' own rate and latency are reported too), then the deletion of their
//             namespace until it is gone;
//   scale:    a deployment scaled from 0 to P replicas until all its pods are Running;
//   rollout:  a rolling update of that deployment (maxSurge 25%, maxUnavailable 0) until the
//             deployment reports P updated, available replicas and no old ones.
// The ratio scale/baseline says what the controllers add on top of the API and scheduler.
// The server's CPU seconds and peak RSS are recorded for each phase when --pid is given.

/// Pods seen Running in one namespace, counted from a watch.
actor RunningBook {
    private var running = Set<String>()
    func saw(_ name: String) { running.insert(name) }
    func gone(_ name: String) { running.remove(name) }
    var count: Int { running.count }
}

/// CPU seconds (user + system) the process has used so far.
func cpuSeconds(pid: String) -> Double? {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
        let close = stat.lastIndex(of: ")")
    else { return nil }
    let fields = stat[stat.index(after: close)...].split(separator: " ")
    guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
    return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
}

/// Watches `pods` (a collection path) from `rv` and records Running pods until cancelled.
func watchRunning(_ client: HTTPClient, _ target: Target, pods: String, rv: String, book: RunningBook) -> Task<Void, any Error> {
    Task {
        var request = HTTPClientRequest(url: target.baseURL + pods + "?watch=1&resourceVersion=\(rv)&timeoutSeconds=900")
        if let token = target.token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        let response = try await client.execute(request, timeout: .seconds(960))
        var pending: [UInt8] = []
        for try await chunk in response.body {
            pending += chunk.readableBytesView
            var start = pending.startIndex
            while let nl = pending[start...].firstIndex(of: 0x0A) {
                let line = pending[start..<nl]
                // Parsed whole: a pod's owner references also carry a "name".
                if let event = try? JSONParser.parse(line), case let object = event["object"], let name = object["metadata"]["name"].string {
                    if event["type"].string == "DELETED" || !object["metadata"]["deletionTimestamp"].isNull {
                        await book.gone(name)
                    } else if object["status"]["phase"].string == "Running" {
                        await book.saw(name)
                    }
                }
                start = nl + 1
            }
            pending.removeFirst(start - pending.startIndex)
        }
    }
}

/// Samples the server's RSS every 100 ms while `body` runs; returns its result and the peak.
func withPeakRSS<T>(pid: String?, _ body: () async throws -> T) async rethrows -> (T, Double) {
    let sampler = Task { () -> Int in
        var peak = 0
        while !Task.isCancelled {
            if let pid, let rss = rssKiB(pid: pid) { peak = max(peak, rss) }
            try? await Task.sleep(nanoseconds: 100_000_000)
        }
        return peak
    }
    let result = try await body()
    sampler.cancel()
    return (result, Double(await sampler.value) / 1024)
}

func deploymentBody(_ name: String, replicas: Int, version: String) -> [UInt8] {
    Array(#"""
    {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"\#(name)"},"spec":{"replicas":\#(replicas),"selector":{"matchLabels":{"app":"\#(name)"}},"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":0}},"template":{"metadata":{"labels":{"app":"\#(name)"}},"spec":{"containers":[{"name":"c","image":"busybox","env":[{"name":"VERSION","value":"\#(version)"}],"resources":{"requests":{"cpu":"10m","memory":"16Mi"}}}]}}}}
    """#.utf8)
}

func runControllers() async throws {
    guard let server = option("--server") else { fatalError("--server is required") }
    let nodes = Int(option("--nodes") ?? "1000") ?? 1000
    let podCount = Int(option("--pods") ?? "10000") ?? 10000
    let pid = option("--pid")
    let target = Target(baseURL: server, token: option("--token"), caPath: option("--ca"))
    let client = try makeClient(for: target, connections: 64)
    let watchClient = try makeClient(for: target, connections: 4)
    let waitStart = Date()
    while try await readyNodes(client, target) < nodes {
        guard Date().timeIntervalSince(waitStart) < 600 else { fatalError("fewer than \(nodes) Ready nodes after 600 s") }
        try await Task.sleep(nanoseconds: 500_000_000)
    }
    var out: [String: Any] = ["nodes": nodes, "pods": podCount]
    let stamp = Int(Date().timeIntervalSince1970)

    func waitFor(_ what: String, seconds limit: Double = 600, _ done: () async throws -> Bool) async throws {
        FileHandle.standardError.write(Data("waiting for \(what)\n".utf8))
        let deadline = Date().addingTimeInterval(limit)
        while try await !done() {
            guard Date() < deadline else { fatalError("timed out waiting for \(what)") }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
    }

    // Baseline: bare pods from the client.
    let bareNS = "bare-\(stamp)"
    _ = try await send(client, target, method: .POST, path: "/api/v1/namespaces", body: Array(#"{"metadata":{"name":"\#(bareNS)"}}"#.utf8))
    let barePods = "/api/v1/namespaces/\(bareNS)/pods"
    let bareBook = RunningBook()
    let bareWatch = watchRunning(watchClient, target, pods: barePods, rv: resourceVersion(of: try await send(client, target, method: .GET, path: barePods + "?limit=1").body) ?? "0", book: bareBook)
    try await Task.sleep(nanoseconds: 300_000_000)
    let cpu0 = pid.flatMap(cpuSeconds) ?? 0
    let ((bareSeconds, creates), bareRSS) = try await withPeakRSS(pid: pid) {
        let start = Date()
        let creates = await measure("create pods", concurrency: 64, count: podCount) { _, i in
            try await send(client, target, method: .POST, path: barePods, body: pod("p-\(i)")).status == 201
        }
        try await waitFor("bare pods Running") { await bareBook.count >= podCount }
        return (Date().timeIntervalSince(start), creates)
    }
    out["baseline_creates"] = creates.json
    let cpu1 = pid.flatMap(cpuSeconds) ?? 0
    bareWatch.cancel()
    out["baseline_seconds"] = bareSeconds
    out["baseline_server_cpu_seconds"] = cpu1 - cpu0
    out["baseline_server_peak_rss_mib"] = bareRSS
    // The bare pods go with their namespace before the next phase, so that the phases do not
    // share the machine; how long that takes is a figure of its own.
    let deleteStart = Date()
    _ = try await send(client, target, method: .DELETE, path: "/api/v1/namespaces/\(bareNS)")
    try await waitFor("bare namespace deleted") {
        try await send(client, target, method: .GET, path: "/api/v1/namespaces/\(bareNS)").status == 404
    }
    out["namespace_delete_seconds"] = Date().timeIntervalSince(deleteStart)

    // Scale a deployment from 0 to P.
    let ns = "deploy-\(stamp)"
    _ = try await send(client, target, method: .POST, path: "/api/v1/namespaces", body: Array(#"{"metadata":{"name":"\#(ns)"}}"#.utf8))
    let deployments = "/apis/apps/v1/namespaces/\(ns)/deployments"
    _ = try await send(client, target, method: .POST, path: deployments, body: deploymentBody("web", replicas: 0, version: "1"))
    let pods = "/api/v1/namespaces/\(ns)/pods"
    let book = RunningBook()
    let watch = watchRunning(watchClient, target, pods: pods, rv: resourceVersion(of: try await send(client, target, method: .GET, path: pods + "?limit=1").body) ?? "0", book: book)
    try await Task.sleep(nanoseconds: 300_000_000)
    let cpu2 = pid.flatMap(cpuSeconds) ?? 0
    let (scaleSeconds, scaleRSS) = try await withPeakRSS(pid: pid) {
        let start = Date()
        let patch = Array(#"{"spec":{"replicas":\#(podCount)}}"#.utf8)
        _ = try await send(client, target, method: .PATCH, path: deployments + "/web/scale", body: patch, contentType: "application/merge-patch+json")
        try await waitFor("deployment pods Running") { await book.count >= podCount }
        return Date().timeIntervalSince(start)
    }
    let cpu3 = pid.flatMap(cpuSeconds) ?? 0
    watch.cancel()
    out["scale_seconds"] = scaleSeconds
    out["scale_server_cpu_seconds"] = cpu3 - cpu2
    out["scale_server_peak_rss_mib"] = scaleRSS
    out["scale_vs_baseline"] = scaleSeconds / bareSeconds

    // Roll the deployment to a new template.
    let (rolloutSeconds, rolloutRSS) = try await withPeakRSS(pid: pid) {
        let start = Date()
        let patch = Array(#"{"spec":{"template":{"spec":{"containers":[{"name":"c","env":[{"name":"VERSION","value":"2"}]}]}}}}"#.utf8)
        _ = try await send(client, target, method: .PATCH, path: deployments + "/web", body: patch, contentType: "application/strategic-merge-patch+json")
        try await waitFor("rollout complete", seconds: 900) {
            let body = try await send(client, target, method: .GET, path: deployments + "/web").body
            guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
                let status = object["status"] as? [String: Any], let meta = object["metadata"] as? [String: Any]
            else { return false }
            let generation = meta["generation"] as? Int ?? 0
            return (status["observedGeneration"] as? Int ?? 0) >= generation && status["updatedReplicas"] as? Int == podCount
                && status["availableReplicas"] as? Int == podCount && status["replicas"] as? Int == podCount
        }
        return Date().timeIntervalSince(start)
    }
    let cpu4 = pid.flatMap(cpuSeconds) ?? 0
    out["rollout_seconds"] = rolloutSeconds
    out["rollout_server_cpu_seconds"] = cpu4 - cpu3
    out["rollout_server_peak_rss_mib"] = rolloutRSS
    out["rollout_vs_baseline"] = rolloutSeconds / bareSeconds
    emit(out)
    try await client.shutdown()
    try await watchClient.shutdown()
}
