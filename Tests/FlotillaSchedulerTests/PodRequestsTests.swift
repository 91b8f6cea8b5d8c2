import FlotillaCore
import Testing

@testable import FlotillaScheduler

@Suite struct PodRequestsTests {
    static func container(_ cpu: String?, _ memory: String? = nil, restartPolicy: String? = nil) -> JSON {
        var requests = JSONObject()
        if let cpu { requests["cpu"] = .string(cpu) }
        if let memory { requests["memory"] = .string(memory) }
        var container: JSON = ["name": "c", "resources": ["requests": .object(requests)]]
        if let restartPolicy { container["restartPolicy"] = .string(restartPolicy) }
        return container
    }

    struct Case: Sendable, CustomStringConvertible {
        var description: String
        var spec: JSON
        var milliCPU: Int64
        var memory: Int64
        var nonZeroMilliCPU: Int64
        var nonZeroMemory: Int64
    }

    static let mi: Int64 = 1 << 20

    static let cases: [Case] = [
        Case(
            description: "containers add up",
            spec: ["containers": [container("500m", "1Gi"), container("250m", "512Mi")]],
            milliCPU: 750, memory: 1536 * mi, nonZeroMilliCPU: 750, nonZeroMemory: 1536 * mi),
        Case(
            description: "an init container larger than the containers wins",
            spec: ["containers": [container("500m", "128Mi")], "initContainers": [container("2", "64Mi")]],
            milliCPU: 2000, memory: 128 * mi, nonZeroMilliCPU: 2000, nonZeroMemory: 128 * mi),
        Case(
            description: "init containers run one at a time: the largest counts, not their sum",
            spec: ["containers": [container("100m")], "initContainers": [container("1"), container("1")]],
            milliCPU: 1000, memory: 0, nonZeroMilliCPU: 1000, nonZeroMemory: 200 * mi),
        Case(
            description: "a sidecar adds to the containers and to every later init container",
            spec: [
                "containers": [container("1")],
                "initContainers": [container("500m", restartPolicy: "Always"), container("2")],
            ],
            milliCPU: 2500, memory: 0, nonZeroMilliCPU: 2500, nonZeroMemory: 400 * mi),
        Case(
            description: "overhead is added on top",
            spec: ["containers": [container("1", "1Gi")], "overhead": ["cpu": "250m", "memory": "64Mi"]],
            milliCPU: 1250, memory: 1088 * mi, nonZeroMilliCPU: 1250, nonZeroMemory: 1088 * mi),
        Case(
            description: "no requests: zero, but 100m and 200Mi per container when scoring",
            spec: ["containers": [container(nil), container(nil)]],
            milliCPU: 0, memory: 0, nonZeroMilliCPU: 200, nonZeroMemory: 400 * mi),
        Case(
            description: "an explicit zero request stays zero when scoring",
            spec: ["containers": [container("0", "0")]],
            milliCPU: 0, memory: 0, nonZeroMilliCPU: 0, nonZeroMemory: 0),
    ]

    @Test(arguments: cases) func summedAsKubernetesDoes(_ c: Case) {
        let requests = PodRequests(spec: c.spec)
        #expect(requests.amounts.milliCPU == c.milliCPU)
        #expect(requests.amounts.memory == c.memory)
        #expect(requests.nonZeroMilliCPU == c.nonZeroMilliCPU)
        #expect(requests.nonZeroMemory == c.nonZeroMemory)
    }

    @Test func extendedResourcesAndStorageAreCounted() {
        let spec: JSON = [
            "containers": [
                ["name": "a", "resources": ["requests": ["nvidia.com/gpu": "2", "ephemeral-storage": "1Gi"]]],
                ["name": "b", "resources": ["requests": ["nvidia.com/gpu": "1"]]],
            ]
        ]
        let amounts = PodRequests(spec: spec).amounts
        #expect(amounts.scalar == ["nvidia.com/gpu": 3])
        #expect(amounts.ephemeralStorage == 1 << 30)
        #expect(amounts.names == ["ephemeral-storage", "nvidia.com/gpu"])
    }

    @Test func amountsAreDescribedAsPeopleReadThem() {
        #expect(ResourceAmounts.describe(500, of: "cpu") == "0.5")
        #expect(ResourceAmounts.describe(4000, of: "cpu") == "4")
        #expect(ResourceAmounts.describe(250, of: "cpu") == "0.25")
        #expect(ResourceAmounts.describe(1536 * Self.mi, of: "memory") == "1.5Gi")
        #expect(ResourceAmounts.describe(512 * Self.mi, of: "memory") == "512Mi")
        #expect(ResourceAmounts.describe(3, of: "nvidia.com/gpu") == "3")
    }
}
