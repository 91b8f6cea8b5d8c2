import FlotillaCore
import Foundation
import Testing

@testable import FlotillaAPI

@Suite struct BatchColumnsTests {
    let now = Date(timeIntervalSince1970: 1_700_000_000)

    private func cell(_ resource: ResourceDefinition, _ name: String, _ object: JSON) -> JSON? {
        resource.columns.first { $0.name == name }?.cell(object, now)
    }

    @Test func jobColumnNames() {
        #expect(BatchV1Resources.jobs.columns.filter { $0.priority == 0 }.map(\.name) == ["Status", "Completions", "Duration", "Age"])
        #expect(BatchV1Resources.cronJobs.columns.filter { $0.priority == 0 }.map(\.name)
            == ["Schedule", "Timezone", "Suspend", "Active", "Last Schedule", "Age"])
    }

    @Test(arguments: [
        ([["type": "Complete", "status": "True"]] as JSON, "Complete"),
        ([["type": "Failed", "status": "True"]], "Failed"),
        ([["type": "Suspended", "status": "True"]], "Suspended"),
        ([["type": "Suspended", "status": "False"]], "Running"),
        ([], "Running"),
    ] as [(JSON, String)])
    func jobStatus(conditions: JSON, expected: String) {
        let job: JSON = ["status": ["conditions": conditions]]
        #expect(cell(BatchV1Resources.jobs, "Status", job) == .string(expected))
    }

    @Test func completionsAndDuration() {
        let start = Timestamp.format(now.addingTimeInterval(-100))
        let end = Timestamp.format(now.addingTimeInterval(-40))
        let done: JSON = ["spec": ["completions": 1], "status": ["succeeded": 1, "startTime": .string(start), "completionTime": .string(end)]]
        #expect(cell(BatchV1Resources.jobs, "Completions", done) == "1/1")
        #expect(cell(BatchV1Resources.jobs, "Duration", done) == "60s")
        let running: JSON = ["spec": ["parallelism": 3], "status": ["succeeded": 0, "startTime": .string(start)]]
        #expect(cell(BatchV1Resources.jobs, "Completions", running) == "0/1 of 3")
        #expect(cell(BatchV1Resources.jobs, "Duration", running) == "100s")
        #expect(cell(BatchV1Resources.jobs, "Duration", ["spec": [:]]) == "")
    }

    @Test func cronJobCells() {
        var cj = BatchFixtures.cronJob()
        cj[path: ["spec", "suspend"]] = false
        cj["status"] = ["active": [["name": "hello-1"]], "lastScheduleTime": .string(Timestamp.format(now.addingTimeInterval(-65)))]
        #expect(cell(BatchV1Resources.cronJobs, "Schedule", cj) == "*/5 * * * *")
        #expect(cell(BatchV1Resources.cronJobs, "Timezone", cj) == "<none>")
        #expect(cell(BatchV1Resources.cronJobs, "Suspend", cj) == "False")
        #expect(cell(BatchV1Resources.cronJobs, "Active", cj) == 1)
        #expect(cell(BatchV1Resources.cronJobs, "Last Schedule", cj) == "65s")
        #expect(cell(BatchV1Resources.cronJobs, "Last Schedule", BatchFixtures.cronJob()) == "<none>")
        #expect(cell(BatchV1Resources.cronJobs, "Images", cj) == "perl:5.34")
    }
}
