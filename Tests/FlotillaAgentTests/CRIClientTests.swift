import FlotillaCRI
import FlotillaCore
import Testing

/// The CRI client against a real containerd. Needs root; CI runs it.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct CRIClientTests {
    /// containerd pings the client after each request, and a connection that receives more than
    /// 200 control frames in 30 s is closed by the client's HTTP/2 stack, failing the calls in
    /// flight: no connection may carry that many.
    @Test func aBurstOfCallsOnOneConnectionIsAnsweredInFull() async throws {
        let fixture = try await ContainerdFixture.start()
        let client = try CRIClient(endpoint: fixture.supervisor.endpoint, options: .init(connections: 1))
        // Starting a container that does not exist is a call that is not repeated when the
        // connection drops, and containerd answers every one: not found.
        var answers: [String: Int] = [:]
        for index in 0..<500 {
            do {
                try await client.startContainer(id: "missing-\(index)")
                answers["started", default: 0] += 1
            } catch let error as FlotillaError {
                answers["\(error.code)", default: 0] += 1
            }
        }
        await client.close()
        await fixture.shutdown()
        #expect(answers == ["\(FlotillaError.Code.notFound)": 500])
    }
}
