import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// One target of the benchmark: a base URL with optional CA and bearer token.
struct Target: Sendable {
    var baseURL: String
    var token: String?
    var caPath: String?
}

/// A shared HTTP client that trusts the cluster CA and keeps enough connections open.
func makeClient(for target: Target, connections: Int) throws -> HTTPClient {
    var tls = TLSConfiguration.makeClientConfiguration()
    if let ca = target.caPath {
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(ca))
    }
    var config = HTTPClient.Configuration(tlsConfiguration: tls)
    config.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)
    config.timeout = .init(connect: .seconds(10), read: .seconds(120))
    return HTTPClient(eventLoopGroupProvider: .singleton, configuration: config)
}

/// Sends one request and collects the whole body.
func send(
    _ client: HTTPClient, _ target: Target, method: HTTPMethod, path: String, body: [UInt8]? = nil,
    contentType: String = "application/json"
) async throws -> (status: Int, body: [UInt8]) {
    var request = HTTPClientRequest(url: target.baseURL + path)
    request.method = method
    if let token = target.token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
    if let body {
        request.headers.add(name: "Content-Type", value: contentType)
        request.body = .bytes(ByteBuffer(bytes: body))
    }
    let response = try await client.execute(request, timeout: .seconds(120))
    var buffer = try await response.body.collect(upTo: 512 * 1024 * 1024)
    return (Int(response.status.code), buffer.readBytes(length: buffer.readableBytes) ?? [])
}

/// Latency samples in seconds with percentile helpers.
struct Samples: Sendable {
    var values: [Double] = []

    mutating func add(_ v: Double) { values.append(v) }
    mutating func merge(_ other: Samples) { values += other.values }

    func percentile(_ p: Double) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        let rank = min(sorted.count - 1, max(0, Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1))
        return sorted[rank]
    }
}

/// The result of one measured phase.
struct Phase: Sendable {
    var name: String
    var concurrency: Int
    var count: Int
    var seconds: Double
    var samples: Samples
    var errors: Int

    var perSecond: Double { Double(count) / seconds }

    var json: [String: Any] {
        [
            "name": name, "concurrency": concurrency, "count": count, "seconds": seconds,
            "per_second": perSecond.rounded(), "p50_ms": samples.percentile(50) * 1000,
            "p99_ms": samples.percentile(99) * 1000, "errors": errors,
        ]
    }
}

/// Runs `count` operations split over `concurrency` workers; each operation returns success.
func measure(
    _ name: String, concurrency: Int, count: Int,
    operation: @escaping @Sendable (_ worker: Int, _ index: Int) async throws -> Bool
) async -> Phase {
    let start = Date()
    let perWorker = (count + concurrency - 1) / concurrency
    let results = await withTaskGroup(of: (Samples, Int, Int).self) { group in
        for w in 0..<concurrency {
            group.addTask {
                var s = Samples()
                var errors = 0
                var done = 0
                for i in 0..<perWorker {
                    let index = w * perWorker + i
                    guard index < count else { break }
                    let t0 = DispatchTime.now().uptimeNanoseconds
                    let ok = (try? await operation(w, index)) ?? false
                    s.add(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
                    if !ok { errors += 1 }
                    done += 1
                }
                return (s, errors, done)
            }
        }
        var all = (Samples(), 0, 0)
        for await r in group {
            all.0.merge(r.0)
            all.1 += r.1
            all.2 += r.2
        }
        return all
    }
    return Phase(
        name: name, concurrency: concurrency, count: results.2, seconds: Date().timeIntervalSince(start),
        samples: results.0, errors: results.1)
}

/// Runs operations at a fixed rate (open loop) for `seconds` and records their latencies.
func measurePaced(
    _ name: String, rate: Int, seconds: Int, operation: @escaping @Sendable (_ index: Int) async throws -> Bool
) async -> Phase {
    let start = DispatchTime.now().uptimeNanoseconds
    let total = rate * seconds
    let results = await withTaskGroup(of: (Double, Bool).self) { group in
        for i in 0..<total {
            let due = start + UInt64(Double(i) / Double(rate) * 1e9)
            let now = DispatchTime.now().uptimeNanoseconds
            if due > now { try? await Task.sleep(nanoseconds: due - now) }
            group.addTask {
                let t0 = DispatchTime.now().uptimeNanoseconds
                let ok = (try? await operation(i)) ?? false
                return (Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9, ok)
            }
        }
        var s = Samples()
        var errors = 0
        for await (latency, ok) in group {
            s.add(latency)
            if !ok { errors += 1 }
        }
        return (s, errors)
    }
    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    return Phase(name: name, concurrency: 0, count: total, seconds: elapsed, samples: results.0, errors: results.1)
}
