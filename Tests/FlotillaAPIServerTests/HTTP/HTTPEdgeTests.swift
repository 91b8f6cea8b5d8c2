import AsyncHTTPClient
import FlotillaAPI
import FlotillaCore
import Foundation
import NIOCore
import NIOHTTP1
import Testing

@testable import FlotillaAPIServer

@Suite("HTTP edge over TLS on loopback")
struct HTTPEdgeTests {
    @Test func requestsWithoutCredentialsGet401() async throws {
        try await TLSTestServer.with(handler: EdgeTestHandler()) { server in
            for token in [nil, "wrong-token"] as [String?] {
                let reply = try await server.send(.GET, "/echo", token: token)
                #expect(reply.status == 401)
                let status = try JSONParser.parse(reply.body)
                #expect(status["kind"].string == "Status")
                #expect(status["reason"].string == "Unauthorized")
                #expect(status["code"].int == 401)
                #expect(reply.headers.first(name: "Audit-Id")?.isEmpty == false)
            }
            // The metrics need credentials too.
            #expect(try await server.send(.GET, "/metrics", token: nil).status == 401)
            // A bad token is refused even where anonymous requests are allowed.
            #expect(try await server.send(.GET, "/healthz", token: "wrong-token").status == 401)
        }
    }

    @Test func healthAndVersionNeedNoCredentials() async throws {
        try await TLSTestServer.with(handler: EdgeTestHandler()) { server in
            let health = try await server.send(.GET, "/healthz", token: nil)
            #expect(health.status == 200)
            #expect(String(decoding: health.body, as: UTF8.self) == "ok")
            #expect(try await server.send(.GET, "/readyz", token: nil).status == 200)
            #expect(try await server.send(.GET, "/livez", token: nil).status == 200)
            let version = try await server.send(.GET, "/version?timeout=5s", token: nil)
            #expect(version.status == 200)
            #expect(version.headers.first(name: "Cache-Control") == "no-cache, private")
            #expect(try JSONParser.parse(version.body)["minor"].string == "32")
            #expect(try await server.send(.GET, "/api", token: nil).status == 401)
        }
    }

    @Test func authenticatedRequestArrivesDecoded() async throws {
        try await TLSTestServer.with(handler: EdgeTestHandler()) { server in
            let reply = try await server.send(
                .POST, "/echo?labelSelector=app%3Dweb%2Ctier+in+(a)&watch&limit=500&x=%2Bplus", body: Array("{}".utf8),
                headers: [("Content-Type", "application/json"), ("X-Mixed-Case", "v")])
            #expect(reply.status == 200)
            let echo = try JSONParser.parse(reply.body)
            #expect(echo["method"].string == "POST")
            #expect(echo["path"].string == "/echo")
            #expect(echo["user"].string == "admin")
            #expect(echo["bodyLength"].int == 2)
            #expect(echo["headerNamesLowercase"] == true)
            #expect(echo["contentType"].string == "application/json")
            #expect(echo["query"] == [["labelSelector", "app=web,tier in (a)"], ["watch", ""], ["limit", "500"], ["x", "+plus"]])
        }
    }

    @Test func everyReplyHasItsOwnAuditId() async throws {
        try await TLSTestServer.with(handler: EdgeTestHandler()) { server in
            var ids = Set<String>()
            for path in ["/echo", "/nowhere", "/version", "/api"] {
                let reply = try await server.send(.GET, path)
                let id = try #require(reply.headers.first(name: "Audit-Id"))
                #expect(UUID(uuidString: id) != nil)
                ids.insert(id)
            }
            #expect(ids.count == 4)
        }
    }

    @Test func bodiesOverThreeMebibytesGet413() async throws {
        try await TLSTestServer.with(handler: EdgeTestHandler()) { server in
            let atLimit = try await server.send(.POST, "/echo", body: [UInt8](repeating: 0x20, count: APIResponder.maxBodySize))
            #expect(atLimit.status == 200)
            #expect(try JSONParser.parse(atLimit.body)["bodyLength"].int == Int64(APIResponder.maxBodySize))

            let reply = try await server.send(.POST, "/echo", body: [UInt8](repeating: 0x20, count: 4 * 1024 * 1024))
            #expect(reply.status == 413)
            let status = try JSONParser.parse(reply.body)
            #expect(status["reason"].string == "RequestEntityTooLarge")
            #expect(status["message"].string == "Request entity too large: limit is 3145728")
            #expect(reply.headers.first(name: "Audit-Id") != nil)

            // The server still answers afterwards.
            #expect(try await server.send(.GET, "/echo").status == 200)
        }
    }

    @Test func chunkedBodyOverTheLimitGets413() async throws {
        try await TLSTestServer.with(handler: EdgeTestHandler()) { server in
            var request = HTTPClientRequest(url: server.base + "/echo")
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer \(TLSTestServer.adminToken)")
            let chunk = ByteBuffer(bytes: [UInt8](repeating: 0x41, count: 256 * 1024))
            let chunks = (0..<16).map { _ in chunk }
            request.body = .stream(chunks.async, length: .unknown)
            let response = try await server.client.execute(request, timeout: .seconds(30))
            #expect(response.status.code == 413)
            let body = try await response.body.collect(upTo: 1 << 20)
            #expect(try JSONParser.parse(Array(body.readableBytesView))["code"].int == 413)
        }
    }

    @Test func streamedBodyArrivesChunkByChunk() async throws {
        let handler = EdgeTestHandler()
        try await TLSTestServer.with(handler: handler) { server in
            var request = HTTPClientRequest(url: server.base + "/stream")
            request.headers.add(name: "Authorization", value: "Bearer \(TLSTestServer.adminToken)")
            let response = try await server.client.execute(request, timeout: .seconds(30))
            #expect(response.status.code == 200)
            #expect(response.headers.first(name: "Audit-Id") != nil)
            var iterator = response.body.makeAsyncIterator()
            // The second chunk is not produced until the first has been received.
            let first = try #require(try await iterator.next())
            #expect(String(buffer: first) == "first\n")
            handler.openGate()
            var rest = ""
            while let more = try await iterator.next() { rest += String(buffer: more) }
            #expect(rest == "second\n")
        }
    }

    @Test func clientDisconnectEndsTheProducer() async throws {
        let handler = EdgeTestHandler()
        try await TLSTestServer.with(handler: handler) { server in
            let (received, receivedContinuation) = AsyncStream<Void>.makeStream()
            let client = server.client
            let url = server.base + "/api/v1/namespaces/default/pods?watch=true"
            let watcher = Task {
                var request = HTTPClientRequest(url: url)
                request.headers.add(name: "Authorization", value: "Bearer \(TLSTestServer.adminToken)")
                let response = try await client.execute(request, timeout: .seconds(60))
                for try await _ in response.body { receivedContinuation.yield() }
            }
            for await _ in received { break }
            let open = String(decoding: server.metrics.emit(), as: UTF8.self)
            #expect(open.contains("apiserver_registered_watchers{resource=\"pods\"} 1"))
            watcher.cancel()
            let terminations = handler.terminations
            let ended = try await withTimeout(10) {
                for await path in terminations { return path }
                return ""
            }
            #expect(ended == "watch")
            try await Task.sleep(for: .milliseconds(100))
            let closed = String(decoding: server.metrics.emit(), as: UTF8.self)
            #expect(closed.contains("apiserver_registered_watchers{resource=\"pods\"} 0"))
            #expect(closed.contains("apiserver_watch_events_total{resource=\"pods\"} 1"))
        }
    }

    @Test func metricsCountRequestsByVerbResourceAndCode() async throws {
        try await TLSTestServer.with(handler: EdgeTestHandler()) { server in
            _ = try await server.send(.GET, "/api/v1/namespaces/default/pods")
            _ = try await server.send(.GET, "/echo", token: nil)
            let reply = try await server.send(.GET, "/metrics")
            #expect(reply.status == 200)
            #expect(reply.headers.first(name: "Content-Type")?.hasPrefix("text/plain") == true)
            let text = String(decoding: reply.body, as: UTF8.self)
            #expect(text.contains("apiserver_request_total{verb=\"LIST\",resource=\"pods\",subresource=\"\",code=\"404\"} 1"))
            #expect(text.contains("apiserver_request_total{verb=\"GET\",resource=\"\",subresource=\"\",code=\"401\"} 1"))
            #expect(text.contains("apiserver_request_duration_seconds_bucket{verb=\"LIST\",resource=\"pods\""))
        }
    }
}
