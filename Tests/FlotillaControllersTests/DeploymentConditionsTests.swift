import FlotillaCore
import Testing

@testable import FlotillaControllers

@Suite("Deployment conditions")
struct DeploymentConditionsTests {
    @Test func transitionTimeChangesOnlyWithTheStatus() {
        var conditions = DeploymentConditions.set([], type: "Available", status: "False", reason: "MinimumReplicasUnavailable", message: "m", now: "t1")
        conditions = DeploymentConditions.set(conditions, type: "Available", status: "False", reason: "MinimumReplicasUnavailable", message: "m", now: "t2")
        #expect(conditions.count == 1)
        #expect(conditions[0]["lastTransitionTime"].string == "t1")
        #expect(conditions[0]["lastUpdateTime"].string == "t1")
        conditions = DeploymentConditions.set(conditions, type: "Available", status: "False", reason: "MinimumReplicasUnavailable", message: "m", now: "t3", touch: true)
        #expect(conditions[0]["lastUpdateTime"].string == "t3")
        conditions = DeploymentConditions.set(conditions, type: "Available", status: "True", reason: "MinimumReplicasAvailable", message: "ok", now: "t4")
        #expect(conditions[0]["lastTransitionTime"].string == "t4")
        #expect(DeploymentConditions.find(conditions, "Available")?["reason"].string == "MinimumReplicasAvailable")
    }

    @Test func intOrPercentReadsBothForms() {
        #expect(DeploymentController.intOrPercent(3, default: .count(0)) == .count(3))
        #expect(DeploymentController.intOrPercent("30%", default: .count(0)) == .percent(30))
        #expect(DeploymentController.intOrPercent(.null, default: .percent(25)) == .percent(25))
        #expect(DeploymentController.intOrPercent("junk", default: .percent(25)) == .percent(25))
    }
}
