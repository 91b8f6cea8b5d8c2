import Testing

@testable import FlotillaAgent

/// The node's usage from the kernel's counters.
@Suite struct HostUsageTests {
    @Test func busyCPUTimeLeavesOutIdleAndIOWait() {
        let stat = """
            cpu  100 20 30 5000 70 1 2 3 0 0
            cpu0 50 10 15 2500 35 1 1 2 0 0
            intr 12345
            """
        // user + nice + system + irq + softirq + steal = 156 ticks of 10 ms.
        #expect(HostUsage.cpuNanoseconds(procStat: stat, ticksPerSecond: 100) == 1_560_000_000)
        #expect(HostUsage.cpuNanoseconds(procStat: "intr 1", ticksPerSecond: 100) == nil)
    }

    @Test func memoryInUseIsTotalLessAvailable() {
        let meminfo = """
            MemTotal:        8000000 kB
            MemFree:         1000000 kB
            MemAvailable:    6000000 kB
            """
        #expect(HostUsage.memoryWorkingSetBytes(procMeminfo: meminfo) == 2_000_000 * 1024)
        #expect(HostUsage.memoryWorkingSetBytes(procMeminfo: "MemTotal: 1 kB") == nil)
    }
}
