import FlotillaAPI
import FlotillaCore
import Testing

@Suite struct JSONPatchTests {
    func apply(_ patch: String, to doc: String) throws -> JSON {
        try JSONPatch(json: JSONParser.parse(patch)).apply(to: JSONParser.parse(doc))
    }

    @Test(arguments: [
        (#"{"foo":"bar"}"#, #"[{"op":"add","path":"/baz","value":"qux"}]"#, #"{"foo":"bar","baz":"qux"}"#),
        (#"{"foo":["bar","baz"]}"#, #"[{"op":"add","path":"/foo/1","value":"qux"}]"#, #"{"foo":["bar","qux","baz"]}"#),
        (#"{"foo":["bar"]}"#, #"[{"op":"add","path":"/foo/-","value":"x"}]"#, #"{"foo":["bar","x"]}"#),
        (#"{"baz":"qux","foo":"bar"}"#, #"[{"op":"remove","path":"/baz"}]"#, #"{"foo":"bar"}"#),
        (#"{"foo":["bar","qux","baz"]}"#, #"[{"op":"remove","path":"/foo/1"}]"#, #"{"foo":["bar","baz"]}"#),
        (#"{"baz":"qux","foo":"bar"}"#, #"[{"op":"replace","path":"/baz","value":"boo"}]"#, #"{"baz":"boo","foo":"bar"}"#),
        (#"{"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}}"#,
         #"[{"op":"move","from":"/foo/waldo","path":"/qux/thud"}]"#,
         #"{"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}}"#),
        (#"{"foo":["all","grass","cows","eat"]}"#, #"[{"op":"move","from":"/foo/1","path":"/foo/3"}]"#, #"{"foo":["all","cows","eat","grass"]}"#),
        (#"{"a":{"b":1}}"#, #"[{"op":"copy","from":"/a","path":"/c"}]"#, #"{"a":{"b":1},"c":{"b":1}}"#),
        (#"{"baz":"qux","foo":["a",2,"c"]}"#, #"[{"op":"test","path":"/baz","value":"qux"},{"op":"test","path":"/foo/1","value":2}]"#, #"{"baz":"qux","foo":["a",2,"c"]}"#),
        (#"{"a/b":1,"m~n":2}"#, #"[{"op":"replace","path":"/a~1b","value":3},{"op":"remove","path":"/m~0n"}]"#, #"{"a/b":3}"#),
        (#"{"a":1}"#, #"[{"op":"add","path":"","value":[1]}]"#, #"[1]"#),
        (#"{"a":{"x":1,"y":2}}"#, #"[{"op":"test","path":"/a","value":{"y":2,"x":1.0}}]"#, #"{"a":{"x":1,"y":2}}"#),
    ])
    func rfcExamples(_ doc: String, _ patch: String, _ expected: String) throws {
        #expect(try apply(patch, to: doc) == JSONParser.parse(expected))
    }

    @Test func replaceKeepsMemberOrder() throws {
        let r = try apply(#"[{"op":"replace","path":"/a","value":9}]"#, to: #"{"a":1,"b":2}"#)
        #expect(r.jsonText == #"{"a":9,"b":2}"#)
    }

    @Test func rolloutUndoPatch() throws {
        let d = #"{"metadata":{"annotations":{"x":"1"}},"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:2"}]}}}}"#
        let p = #"[{"op":"replace","path":"/spec/template","value":{"spec":{"containers":[{"name":"web","image":"nginx:1"}]}}},{"op":"replace","path":"/metadata/annotations","value":{"y":"2"}}]"#
        let r = try apply(p, to: d)
        #expect(r["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1")
        #expect(r["metadata"]["annotations"] == ["y": "2"])
    }

    @Test(arguments: [
        (#"[{"op":"test","path":"/a","value":2}]"#, "testing value /a failed: test failed"),
        (#"[{"op":"remove","path":"/nope"}]"#, #"remove operation does not apply: doc is missing path: "/nope": missing value"#),
        (#"[{"op":"add","path":"/x/y","value":1}]"#, #"add operation does not apply: doc is missing path: "/x/y": missing value"#),
        (#"[{"op":"replace","path":"/b","value":1}]"#, "replace operation does not apply: doc is missing key: /b: missing value"),
        (#"[{"op":"add","path":"/l/5","value":1}]"#, "add operation does not apply: index out of bounds: /l/5"),
        (#"[{"op":"remove","path":"/l/01"}]"#, #"remove operation does not apply: doc is missing path: "/l/01": missing value"#),
        (#"[{"op":"move","from":"/q","path":"/r"}]"#, "move operation does not apply: doc is missing from path: /q: missing value"),
        (#"[{"op":"frobnicate","path":"/a"}]"#, "Unexpected kind: frobnicate"),
        (#"[{"path":"/a"}]"#, "Unexpected kind: missing op"),
        (#"[{"op":"add","path":"a","value":1}]"#, #"add operation: invalid JSON pointer "a""#),
        (#"[{"op":"add","path":"/b"}]"#, "add operation: missing value"),
    ])
    func inapplicablePatchIs422(_ patch: String, _ cause: String) throws {
        do {
            _ = try apply(patch, to: #"{"a":1,"l":[1,2]}"#)
            Issue.record("applied")
        } catch let error as FlotillaError {
            #expect(error.code == .invalid)
            #expect(error.code.httpStatus == 422)
            #expect(error.message == "the server rejected our request due to an error in our request: \(cause)")
            #expect(error.causes.first?.message == cause)
        }
    }

    @Test func failedOperationChangesNothing() throws {
        let doc: JSON = ["a": 1]
        let patch = try JSONPatch(json: [["op": "add", "path": "/b", "value": 2], ["op": "test", "path": "/a", "value": 5]])
        #expect(throws: FlotillaError.self) { try patch.apply(to: doc) }
        #expect(doc == ["a": 1])
    }

    @Test(arguments: [#"{"op":"add"}"#, #"[1]"#, #""x""#])
    func malformedPatchIs400(_ body: String) throws {
        do {
            _ = try JSONPatch(json: JSONParser.parse(body))
            Issue.record("decoded")
        } catch let error as FlotillaError {
            #expect(error.code == .badRequest)
        }
    }

    @Test func pointerEscapes() {
        #expect(JSONPointer("/a~1b/m~0n")?.tokens == ["a/b", "m~n"])
        #expect(JSONPointer("/a~1b/m~0n")?.description == "/a~1b/m~0n")
        #expect(JSONPointer("")?.tokens == [])
        #expect(JSONPointer("a") == nil)
        #expect(JSONPointer("/a~2") == nil)
    }
}
