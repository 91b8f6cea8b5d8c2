import FlotillaCore
import Foundation
import Testing

@testable import FlotillaControllers

@Suite("Horizontal pod autoscaling arithmetic")
struct AutoscalingTests {
    let cpu50: JSON = ["type": "Resource", "resource": ["name": "cpu", "target": ["type": "Utilization", "averageUtilization": 50]]]

    @Test func utilizationScalesByTheRatio() throws {
        let busy = try ReplicaCalculator.recommend(cpu50, samples: [.init(requestMilli: 100, usageMilli: 150), .init(requestMilli: 100, usageMilli: 150)], current: 2)
        #expect(busy.averageUtilization == 150)
        #expect(busy.replicas == 6)
        // Within the 10% tolerance nothing changes.
        let close = try ReplicaCalculator.recommend(cpu50, samples: [.init(requestMilli: 100, usageMilli: 54)], current: 1)
        #expect(close.replicas == 1)
        let idle = try ReplicaCalculator.recommend(cpu50, samples: [.init(requestMilli: 100, usageMilli: 5), .init(requestMilli: 100, usageMilli: 5)], current: 2)
        #expect(idle.replicas == 1)
    }

    @Test func missingRequestsAndMetricsAreExplained() {
        #expect(throws: FlotillaError.self) { try ReplicaCalculator.recommend(cpu50, samples: [.init(requestMilli: 0, usageMilli: 10)], current: 1) }
        #expect(throws: FlotillaError.self) { try ReplicaCalculator.recommend(cpu50, samples: [], current: 1) }
        let value: JSON = ["type": "Resource", "resource": ["name": "memory", "target": ["type": "AverageValue", "averageValue": "100Mi"]]]
        let result = try? ReplicaCalculator.recommend(value, samples: [.init(requestMilli: 0, usageMilli: 200 * 1_048_576 * 1000)], current: 1)
        #expect(result?.replicas == 2)
    }

    @Test func scaleDownIsStabilizedAndScaleUpLimited() {
        let now = Date(timeIntervalSince1970: 1_000_000)
        let behavior = ScalingBehavior(spec: .null)
        // A higher recommendation within the last 300 s holds the count up.
        let held = behavior.desired(current: 5, recommendation: 2, recommendations: [.init(at: now.addingTimeInterval(-60), replicas: 5)], changes: [], now: now, minReplicas: 1, maxReplicas: 10)
        #expect(held == 5)
        let released = behavior.desired(current: 5, recommendation: 2, recommendations: [.init(at: now.addingTimeInterval(-400), replicas: 5)], changes: [], now: now, minReplicas: 1, maxReplicas: 10)
        #expect(released == 2)
        // Up by at most double or four more per 15 s, whichever is more.
        #expect(behavior.desired(current: 2, recommendation: 20, recommendations: [], changes: [], now: now, minReplicas: 1, maxReplicas: 50) == 6)
        #expect(behavior.desired(current: 10, recommendation: 50, recommendations: [], changes: [], now: now, minReplicas: 1, maxReplicas: 50) == 20)
        // Bounds last.
        #expect(behavior.desired(current: 2, recommendation: 20, recommendations: [], changes: [], now: now, minReplicas: 1, maxReplicas: 3) == 3)
        let disabled = ScalingBehavior(spec: ["scaleDown": ["selectPolicy": "Disabled"]])
        #expect(disabled.desired(current: 4, recommendation: 1, recommendations: [], changes: [], now: now, minReplicas: 1, maxReplicas: 10) == 4)
    }
}
