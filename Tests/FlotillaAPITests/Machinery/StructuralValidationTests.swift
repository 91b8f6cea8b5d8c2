import FlotillaAPI
import FlotillaCore
import Testing

@Suite struct StructuralValidationTests {
    func validate(_ text: String, mode: FieldValidationMode) throws -> StructuralValidation.Outcome {
        let (body, duplicates) = try JSONParser.parseReportingDuplicates(Array(text.utf8))
        return try StructuralValidation.validate(
            body, duplicates: duplicates, definition: MachineryFixtures.deployment, catalog: MachineryFixtures.catalog, mode: mode)
    }

    let withProblems = #"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"a","name":"web"},"spec":{"foo":1,"replicas":2,"template":{"spec":{"containers":[{"name":"c","bogus":true}]}}},"status":{"replicas":1}}"#

    @Test func strictRejectsUnknownAndDuplicateFields() throws {
        do {
            _ = try validate(withProblems, mode: .strict)
            Issue.record("accepted")
        } catch let error as FlotillaError {
            #expect(error.code == .badRequest)
            #expect(error.message == #"Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.foo", unknown field "spec.template.spec.containers[0].bogus", duplicate field "metadata.name""#)
        }
    }

    @Test func warnPrunesAndWarns() throws {
        let outcome = try validate(withProblems, mode: .warn)
        #expect(outcome.warnings == [
            #"unknown field "spec.foo""#, #"unknown field "spec.template.spec.containers[0].bogus""#, #"duplicate field "metadata.name""#,
        ])
        #expect(outcome.object["spec"]["foo"].isNull)
        #expect(outcome.object["spec"]["template"]["spec"]["containers"] == [["name": "c"]])
        #expect(outcome.object["metadata"]["name"] == "web")
        #expect(outcome.object["apiVersion"] == "apps/v1")
        #expect(outcome.object["status"] == ["replicas": 1])
    }

    @Test func ignorePrunesSilently() throws {
        let outcome = try validate(withProblems, mode: .ignore)
        #expect(outcome.warnings.isEmpty)
        #expect(outcome.object["spec"].object?.keys.contains("foo") == false)
    }

    @Test func cleanBodyPassesUnchanged() throws {
        let outcome = try StructuralValidation.validate(
            MachineryFixtures.liveDeployment, definition: MachineryFixtures.deployment, catalog: MachineryFixtures.catalog, mode: .strict)
        #expect(outcome.object == MachineryFixtures.liveDeployment)
        #expect(outcome.warnings.isEmpty)
    }

    @Test func typeMismatchesAreAlwaysErrors() throws {
        for mode in [FieldValidationMode.strict, .warn, .ignore] {
            do {
                _ = try validate(#"{"metadata":{"name":"web"},"spec":{"replicas":"string"}}"#, mode: mode)
                Issue.record("accepted")
            } catch let error as FlotillaError {
                #expect(error.code == .badRequest)
                #expect(error.message == #"Deployment in version "v1" cannot be handled as a Deployment: spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string""#)
                #expect(error.causes.first?.field == "spec.replicas")
                #expect(error.causes.first?.reason == "FieldValueTypeInvalid")
            }
        }
    }

    @Test func aPatchedObjectIsCheckedWhereThePatchChangedIt() throws {
        // Stored before a field was known (or otherwise let through): what the patch leaves as
        // it was is not checked again, as Kubernetes ratchets validation of unchanged fields.
        let stored = try JSONParser.parse(Array(
            #"{"metadata":{"name":"web"},"spec":{"replicas":2,"old":1,"template":{"spec":{"containers":[{"name":"a"},{"name":"b"}]}}}}"#.utf8))
        func check(_ patched: JSON, mode: FieldValidationMode = .strict) throws -> StructuralValidation.Outcome {
            try StructuralValidation.validate(
                patched, definition: MachineryFixtures.deployment, catalog: MachineryFixtures.catalog, mode: mode, stored: stored)
        }
        var scaled = stored
        scaled["spec"]["replicas"] = 3
        #expect(try check(scaled).object == scaled)
        // What the patch added or changed is checked, down to the changed array element.
        var added = stored
        added["spec"]["template"]["spec"]["containers"] = [["name": "a"], ["name": "b", "bogus": true]]
        do {
            _ = try check(added)
            Issue.record("accepted")
        } catch let error as FlotillaError {
            #expect(error.message.hasSuffix(#"strict decoding error: unknown field "spec.template.spec.containers[1].bogus""#))
        }
        #expect(try check(added, mode: .ignore).object["spec"]["template"]["spec"]["containers"][1] == ["name": "b"])
        var mistyped = stored
        mistyped["spec"]["replicas"] = "three"
        #expect(throws: FlotillaError.self) { try check(mistyped, mode: .ignore) }
        // Without the stored object, the whole body is checked.
        #expect(throws: FlotillaError.self) {
            try StructuralValidation.validate(scaled, definition: MachineryFixtures.deployment, catalog: MachineryFixtures.catalog, mode: .strict)
        }
    }

    @Test func pruningKeepsTheOrderAndTheSiblingsOfWhatItRemoves() throws {
        let text = #"{"metadata":{"name":"web","labels":{"z":"1","a":"2"}},"spec":{"replicas":2,"template":{"spec":{"containers":[{"name":"a"},{"name":"b","bogus":1,"image":"x"},{"name":"c"}]}},"paused":false}}"#
        let outcome = try validate(text, mode: .ignore)
        #expect(outcome.object.jsonText == #"{"metadata":{"name":"web","labels":{"z":"1","a":"2"}},"spec":{"replicas":2,"template":{"spec":{"containers":[{"name":"a"},{"name":"b","image":"x"},{"name":"c"}]}},"paused":false}}"#)
    }

    @Test func everyMismatchIsReported() throws {
        let text = #"{"metadata":{"labels":{"a":1},"creationTimestamp":"yesterday"},"spec":{"paused":"yes","template":{"spec":{"containers":{"name":"c"},"volumes":[{"name":"v","emptyDir":{"sizeLimit":true}}]}},"strategy":{"rollingUpdate":{"maxSurge":1.5}}}}"#
        do {
            _ = try validate(text, mode: .ignore)
            Issue.record("accepted")
        } catch let error as FlotillaError {
            #expect(error.causes.map(\.field) == [
                "metadata.labels[a]", "metadata.creationTimestamp", "spec.paused", "spec.template.spec.containers",
                "spec.template.spec.volumes[0].emptyDir.sizeLimit", "spec.strategy.rollingUpdate.maxSurge",
            ])
            #expect(error.causes[1].message == #"Invalid value: "yesterday": metadata.creationTimestamp in body must be of type date-time: "yesterday""#)
        }
    }

    @Test func lenientTypesAcceptTheirForms() throws {
        let text = #"{"metadata":{"creationTimestamp":null},"spec":{"replicas":null,"strategy":{"rollingUpdate":{"maxSurge":1,"maxUnavailable":"25%"}},"template":{"spec":{"overhead":{"cpu":"100m","memory":1024},"containers":[{"name":"c","resources":{"limits":{"cpu":0.5}}}]}}}}"#
        let outcome = try validate(text, mode: .strict)
        #expect(outcome.object["spec"]["template"]["spec"]["overhead"]["memory"] == 1024)
    }

    @Test func nonObjectBodyIsBadRequest() {
        #expect(throws: FlotillaError.self) {
            try StructuralValidation.validate([1], definition: MachineryFixtures.deployment, catalog: MachineryFixtures.catalog, mode: .warn)
        }
    }

    @Test func fieldValidationQueryParameter() throws {
        #expect(try FieldValidationMode(query: nil) == .warn)
        #expect(try FieldValidationMode(query: "Strict") == .strict)
        #expect(try FieldValidationMode(query: "Ignore") == .ignore)
        #expect(throws: FlotillaError.self) { try FieldValidationMode(query: "strict") }
    }
}
