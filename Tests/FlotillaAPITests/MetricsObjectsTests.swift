import FlotillaCore
import Foundation
import Testing

@testable import FlotillaAPI

/// Usage reports become NodeMetrics and PodMetrics with Kubernetes' quantities and durations.
@Suite struct MetricsObjectsTests {
    @Test(arguments: [(UInt64(0), "0"), (1_234_567, "1234567n"), (250_000_000, "250m"), (2_000_000_000, "2"), (12_000, "12u")])
    func cpuIsAQuantityOfCores(nanoCores: UInt64, text: String) {
        #expect(MetricsObjects.cpu(nanoCores: nanoCores) == text)
    }

    @Test(arguments: [(UInt64(52_428_800), "50Mi"), (76_009_472, "74228Ki"), (1000, "1k"), (1_073_741_824, "1Gi")])
    func memoryIsAQuantityOfBytes(bytes: UInt64, text: String) {
        #expect(MetricsObjects.memory(bytes: bytes) == text)
    }

    @Test(arguments: [
        (Int64(0), "0s"), (500, "500ns"), (1_500, "1.5µs"), (350_000_000, "350ms"), (1_000_000_000, "1s"),
        (10_050_000_000, "10.05s"), (120_000_000_000, "2m0s"), (3_610_250_000_000, "1h0m10.25s"),
    ])
    func windowsPrintAsGoDurations(nanoseconds: Int64, text: String) {
        #expect(GoDuration.format(nanoseconds: nanoseconds) == text)
    }

    @Test func aPodTakesItsLatestReadingAndLongestWindow() throws {
        let early = Date(timeIntervalSince1970: 1_800_000_000)
        let late = early.addingTimeInterval(1)
        let pod = UsageReport.Pod(
            name: "web", namespace: "shop", uid: "u1",
            containers: [
                .init(
                    name: "app",
                    sample: .init(timestamp: early, windowNanoseconds: 2_000_000_000, cpuNanoCores: 200_000_000, memoryWorkingSetBytes: 1 << 20)),
                .init(
                    name: "side",
                    sample: .init(timestamp: late, windowNanoseconds: 1_000_000_000, cpuNanoCores: 5, memoryWorkingSetBytes: 4096)),
            ])
        let object = MetricsObjects.pod(pod, labels: ["app": "web"], now: late)
        #expect(object["metadata"]["namespace"] == "shop")
        #expect(object["metadata"]["labels"]["app"] == "web")
        #expect(object["timestamp"].string == Timestamp.format(late))
        #expect(object["window"] == "2s")
        #expect(object["containers"][0]["usage"] == ["cpu": "200m", "memory": "1Mi"])
        #expect(object["containers"][1]["usage"]["cpu"] == "5n")
    }

    @Test func aReportSurvivesItsJSON() throws {
        let sample = UsageReport.Sample(
            timestamp: Date(timeIntervalSince1970: 1_800_000_000.25), windowNanoseconds: 7, cpuNanoCores: 8, memoryWorkingSetBytes: 9)
        let report = UsageReport(
            node: sample, pods: [.init(name: "p", namespace: "n", uid: "u", containers: [.init(name: "c", sample: sample)])])
        #expect(try UsageReport(json: JSONParser.parse(report.json.serialized())) == report)
        #expect(throws: FlotillaError.self) { try UsageReport(json: ["node": [:]]) }
    }
}
