import FlotillaAPI
import FlotillaCore
import Testing

@Suite struct FieldSelectorTests {
    let pod: JSON = [
        "metadata": ["name": "web-1", "namespace": "default"],
        "spec": ["nodeName": "n1", "unschedulable": true],
        "status": ["phase": "Running"],
    ]

    @Test func parsesAndMatches() throws {
        let s = try FieldSelector(parsing: "metadata.name=web-1,status.phase!=Pending,spec.nodeName==n1")
        #expect(s.terms.count == 3)
        #expect(s.terms[1] == FieldSelector.Term(field: "status.phase", negated: true, value: "Pending"))
        #expect(s.matches(pod))
        #expect(try !FieldSelector(parsing: "status.phase!=Running").matches(pod))
        #expect(try !FieldSelector(parsing: "metadata.name=web-2").matches(pod))
    }

    @Test func missingFieldsCompareAsEmpty() throws {
        #expect(try FieldSelector(parsing: "spec.hostname=").matches(pod))
        #expect(try FieldSelector(parsing: "involvedObject.name!=x").matches(pod))
        #expect(try !FieldSelector(parsing: "involvedObject.name=x").matches(pod))
        #expect(try FieldSelector(parsing: "spec.unschedulable=true").matches(pod))
    }

    @Test func emptySelectorMatchesEverything() throws {
        let s = try FieldSelector(parsing: "")
        #expect(s.isEmpty)
        #expect(s.matches(pod))
        #expect(s.description == "")
    }

    @Test func escapesAndDescription() throws {
        let s = try FieldSelector(parsing: #"metadata.name=a\,b\=c"#)
        #expect(s.terms == [FieldSelector.Term(field: "metadata.name", value: "a,b=c")])
        #expect(s.description == #"metadata.name=a\,b\=c"#)
        #expect(try FieldSelector(parsing: "spec.nodeName==n1").description == "spec.nodeName=n1")
    }

    @Test(arguments: ["metadata.name", "=x", "a=b=c", #"a=b\"#, #"a=\q"#])
    func rejectsBadSyntax(_ text: String) {
        do {
            _ = try FieldSelector(parsing: text)
            Issue.record("\(text) parsed")
        } catch {
            #expect(error.code == .badRequest)
            #expect(error.message.hasPrefix("invalid selector: '\(text)'"))
        }
    }

    @Test func checksSelectableFields() throws {
        let pods = ResourceDefinition(
            group: "", version: "v1", kind: "Pod", plural: "pods", namespaced: true,
            schema: "io.k8s.api.core.v1.Pod", selectableFields: ["spec.nodeName", "status.phase"])
        #expect(throws: Never.self) { try FieldSelector(parsing: "metadata.namespace=a,spec.nodeName=n,status.phase=x").validate(for: pods) }
        do {
            try FieldSelector(parsing: "spec.restartPolicy=Never").validate(for: pods)
            Issue.record("accepted")
        } catch {
            #expect(error.code == .badRequest)
            #expect(error.message == "field label not supported: spec.restartPolicy")
        }
    }
}
