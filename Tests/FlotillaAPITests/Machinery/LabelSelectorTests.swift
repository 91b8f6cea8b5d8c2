import FlotillaAPI
import FlotillaCore
import Testing

@Suite struct LabelSelectorTests {
    let labels = ["app": "web", "tier": "front", "env": "prod", "n": "5"]

    @Test func parsesEveryOperator() throws {
        let s = try LabelSelector(parsing: "app=web, tier==front,env!=dev,env in (prod, staging),tier notin (back),app,!missing")
        #expect(s.requirements.count == 7)
        #expect(s.matches(labels))
        #expect(!s.matches(["app": "web"]))
    }

    @Test func matchingRules() throws {
        #expect(try LabelSelector(parsing: "env!=prod").matches(["x": "y"]))
        #expect(try !LabelSelector(parsing: "env!=prod").matches(labels))
        #expect(try LabelSelector(parsing: "env notin (dev)").matches([:]))
        #expect(try !LabelSelector(parsing: "env in (dev,qa)").matches(labels))
        #expect(try LabelSelector(parsing: "!app").matches([:]))
        #expect(try LabelSelector(parsing: "n>3,n<10").matches(labels))
        #expect(try !LabelSelector(parsing: "n>5").matches(labels))
        #expect(try LabelSelector(parsing: "app=").matches(["app": ""]))
        #expect(try LabelSelector(parsing: "").matches(labels))
        #expect(try LabelSelector(parsing: "").isEmpty)
    }

    @Test func descriptionIsSortedStringForm() throws {
        let s = try LabelSelector(parsing: "z=1,a in (y,x),!b,c")
        #expect(s.description == "a in (x,y),!b,c,z=1")
        #expect(try LabelSelector(parsing: s.description) == s)
    }

    @Test(arguments: [
        ("a=b=c", "found '=', expected: ',' or 'end of string'"),
        ("a=b,", "found '', expected: identifier after ','"),
        ("a b", "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"),
        ("a in x", "unable to parse requirement: found 'x', expected: '('"),
        ("a in (x", "unable to parse requirement: found '', expected: ',' or ')'"),
        ("=a", "found '=', expected: !, identifier, or 'end of string'"),
        ("a=(", "unable to parse requirement: found '(', expected: identifier"),
        ("n>x", "unable to parse requirement: values[0]: Invalid value: \"x\": for 'Gt', 'Lt' operators, the value must be an integer"),
    ])
    func rejectsBadSyntax(_ text: String, _ message: String) {
        do {
            _ = try LabelSelector(parsing: text)
            Issue.record("\(text) parsed")
        } catch {
            #expect(error.code == .badRequest)
            #expect(error.message == "unable to parse label selector \"\(text)\": \(message)")
        }
    }

    @Test func rejectsInvalidKeysAndValues() {
        #expect(throws: FlotillaError.self) { try LabelSelector(parsing: "a@b=c") }
        #expect(throws: FlotillaError.self) { try LabelSelector(parsing: "Example.com/a=c") }
        #expect(throws: FlotillaError.self) { try LabelSelector(parsing: "a/b/c=d") }
        do {
            _ = try LabelSelector(parsing: "app=bad value!")
            Issue.record("parsed")
        } catch {
            #expect(error.message.contains("found"))
        }
        do {
            _ = try LabelSelector(parsing: "app=-x")
            Issue.record("parsed")
        } catch {
            #expect(error.message.contains("values[0][app]: Invalid value: \"-x\": a valid label must be"))
        }
        #expect(throws: Never.self) { try LabelSelector(parsing: "example.com/tier=a.b_c-d") }
    }

    @Test func buildsFromJSON() throws {
        let json: JSON = [
            "matchLabels": ["app": "web"],
            "matchExpressions": [
                ["key": "env", "operator": "In", "values": ["prod", "qa"]],
                ["key": "gone", "operator": "DoesNotExist"],
                ["key": "tier", "operator": "Exists"],
                ["key": "tier", "operator": "NotIn", "values": ["back"]],
            ],
        ]
        let s = try LabelSelector(json: json)
        #expect(s.matches(labels))
        #expect(!s.matches(["app": "web", "env": "prod"]))
        #expect(s.description == "app=web,env in (prod,qa),!gone,tier,tier notin (back)")
        #expect(try LabelSelector(json: .emptyObject).matches(labels))
        #expect(try !LabelSelector(json: .null).matches(labels))
        #expect(try !LabelSelector(json: .null).isEmpty)
        #expect(s.matches(labels: ["app": "web", "env": "qa", "tier": "x"]))
    }

    @Test func rejectsBadJSONForm() {
        do {
            _ = try LabelSelector(json: ["matchExpressions": [["key": "a", "operator": "Foo"]]])
            Issue.record("accepted")
        } catch {
            #expect(error.code == .badRequest)
            #expect(error.message == "\"Foo\" is not a valid label selector operator")
        }
        do {
            _ = try LabelSelector(json: ["matchExpressions": [["key": "a", "operator": "In", "values": []]]])
            Issue.record("accepted")
        } catch {
            #expect(error.message.contains("values set can't be empty"))
        }
        #expect(throws: FlotillaError.self) { try LabelSelector(json: ["matchExpressions": [["key": "a", "operator": "Exists", "values": ["x"]]]]) }
        #expect(throws: FlotillaError.self) { try LabelSelector(json: "app=web") }
    }
}
