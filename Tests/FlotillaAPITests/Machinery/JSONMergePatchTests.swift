import FlotillaAPI
import FlotillaCore
import Testing

@Suite struct JSONMergePatchTests {
    /// The examples of RFC 7386, appendix A.
    @Test(arguments: [
        (#"{"a":"b"}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
        (#"{"a":"b"}"#, #"{"b":"c"}"#, #"{"a":"b","b":"c"}"#),
        (#"{"a":"b"}"#, #"{"a":null}"#, #"{}"#),
        (#"{"a":"b","b":"c"}"#, #"{"a":null}"#, #"{"b":"c"}"#),
        (#"{"a":["b"]}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
        (#"{"a":"c"}"#, #"{"a":["b"]}"#, #"{"a":["b"]}"#),
        (#"{"a":{"b":"c"}}"#, #"{"a":{"b":"d","c":null}}"#, #"{"a":{"b":"d"}}"#),
        (#"{"a":[{"b":"c"}]}"#, #"{"a":[1]}"#, #"{"a":[1]}"#),
        (#"["a","b"]"#, #"["c","d"]"#, #"["c","d"]"#),
        (#"{"a":"b"}"#, #"["c"]"#, #"["c"]"#),
        (#"{"a":"foo"}"#, "null", "null"),
        (#"{"a":"foo"}"#, #""bar""#, #""bar""#),
        (#"{"e":null}"#, #"{"a":1}"#, #"{"e":null,"a":1}"#),
        (#"[1,2]"#, #"{"a":"b","c":null}"#, #"{"a":"b"}"#),
        (#"{}"#, #"{"a":{"bb":{"ccc":null}}}"#, #"{"a":{"bb":{}}}"#),
    ])
    func rfcExamples(_ target: String, _ patch: String, _ expected: String) throws {
        let result = JSONMergePatch.apply(try JSONParser.parse(patch), to: try JSONParser.parse(target))
        #expect(result == (try JSONParser.parse(expected)))
    }

    @Test func labelAndScalePatches() throws {
        let deployment: JSON = ["metadata": ["name": "web", "labels": ["app": "web", "old": "x"]], "spec": ["replicas": 1]]
        let patched = try JSONMergePatch.applyToObject(
            ["metadata": ["labels": ["old": nil, "tier": "front"]], "spec": ["replicas": 3]], to: deployment)
        #expect(patched["metadata"]["labels"] == ["app": "web", "tier": "front"])
        #expect(patched["spec"]["replicas"] == 3)
        #expect(patched["metadata"]["name"] == "web")
    }

    @Test func rejectsNonObjectPatchForObjects() {
        #expect(throws: FlotillaError.self) { try JSONMergePatch.applyToObject([1, 2], to: ["a": 1]) }
        do {
            _ = try JSONMergePatch.applyToObject("x", to: ["a": 1])
        } catch {
            #expect(error.code == .badRequest)
        }
    }

    @Test func diffRoundTrips() throws {
        let a: JSON = ["metadata": ["name": "x", "labels": ["a": "1", "b": "2"]], "spec": ["list": [1, 2], "keep": true], "gone": 1]
        let b: JSON = ["metadata": ["name": "x", "labels": ["a": "1", "c": "3"]], "spec": ["list": [2], "keep": true], "new": ["n": 1]]
        let patch = JSONMergePatch.diff(from: a, to: b)
        #expect(patch == ["gone": nil, "metadata": ["labels": ["b": nil, "c": "3"]], "spec": ["list": [2]], "new": ["n": 1]])
        #expect(JSONMergePatch.apply(patch, to: a) == b)
        #expect(JSONMergePatch.diff(from: a, to: a) == .emptyObject)
        #expect(JSONMergePatch.diff(from: [1], to: ["a": 1]) == ["a": 1])
    }
}
