import FlotillaCore
import Foundation
import Testing

@testable import FlotillaAgent

/// Exec probes against a container in a real containerd. Needs root; CI runs it.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct ProbeCheckTests {
    /// A check whose runtime call was lost with its connection is neither a success nor a
    /// failure: it must not count toward a liveness probe's failure threshold.
    @Test func anExecLostWithItsConnectionIsNoFailure() async throws {
        try await ContainerdFixture.with { fixture in
            let worker = PodWorker(
                runtime: fixture.runtime,
                options: .init(podDirectory: fixture.directory + "/pods", logDirectory: fixture.directory + "/logs", cgroupRoot: fixture.cgroupParent))
            let design = PodDesign(
                uid: UUID().uuidString.lowercased(), name: "probed", restartPolicy: .always,
                containers: [.init(name: "app", image: fixture.image, command: ["sleep", "3600"])], terminationGracePeriod: .seconds(1))
            let deadline = ContinuousClock.now + .seconds(30)
            while await worker.observed.latest("app")?.state != .running && ContinuousClock.now < deadline {
                _ = try await worker.sync(design)
            }
            let app = try #require(await worker.observed.latest("app"))
            #expect(app.state == .running)
            let check = ProbeCheck(runtime: CutOffRuntime(runtime: fixture.runtime, containerdLog: fixture.supervisor.configuration.logPath))
            let probe = Probe(action: .exec(["true"]), timeout: .seconds(10))
            #expect(await check.run(probe, podIP: "", containerID: app.id) == .unknown("command [\"true\"] could not run: CRI ExecSync: Stream unexpectedly closed."))
            #expect(await check.run(probe, podIP: "", containerID: app.id) == .success)
            #expect(await check.run(Probe(action: .exec(["false"]), timeout: .seconds(10)), podIP: "", containerID: app.id) == .failure("command [\"false\"] exited with 1"))

            var deleting = design
            deleting.deleting = true
            #expect(try await worker.sync(deleting) == .idle)
        }
    }
}
