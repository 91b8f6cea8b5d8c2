import FlotillaAgent
import Testing

/// Requests and limits become cgroup settings as kubelet computes them.
@Suite struct ContainerResourcesTests {
    @Test func cpuSharesComeFromTheRequest() {
        #expect(ContainerResources(cpuRequestMillis: 250).cpuShares == 256)
        #expect(ContainerResources(cpuRequestMillis: 2000).cpuShares == 2048)
        #expect(ContainerResources(cpuRequestMillis: 1).cpuShares == 2)
        #expect(ContainerResources().cpuShares == 2)
        #expect(ContainerResources(cpuLimitMillis: 500).cpuShares == 512)
        #expect(ContainerResources(cpuRequestMillis: 1_000_000).cpuShares == 262_144)
    }

    @Test func cpuQuotaComesFromTheLimit() {
        #expect(ContainerResources(cpuLimitMillis: 500).cpuQuota == 50_000)
        #expect(ContainerResources(cpuLimitMillis: 2000).cpuQuota == 200_000)
        #expect(ContainerResources(cpuLimitMillis: 5).cpuQuota == 1000)
        #expect(ContainerResources(cpuRequestMillis: 500).cpuQuota == nil)
        #expect(ContainerResources.cpuPeriod == 100_000)
    }
}
