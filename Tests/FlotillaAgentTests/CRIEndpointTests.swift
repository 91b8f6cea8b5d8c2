import FlotillaCRI
import FlotillaCore
import Testing

@Suite struct CRIEndpointTests {
    @Test func unixSocketEndpoints() throws {
        #expect(try CRIEndpoint.socketPath("unix:///run/containerd/containerd.sock") == "/run/containerd/containerd.sock")
        #expect(try CRIEndpoint.socketPath("/run/crio/crio.sock") == "/run/crio/crio.sock")
        #expect(throws: FlotillaError.self) { try CRIEndpoint.socketPath("tcp://127.0.0.1:1234") }
        #expect(throws: FlotillaError.self) { try CRIEndpoint.socketPath("unix://relative.sock") }
    }
}
