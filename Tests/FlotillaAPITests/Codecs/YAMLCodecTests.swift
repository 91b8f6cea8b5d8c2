import FlotillaAPI
import FlotillaCore
import Testing

@Suite("YAMLCodec")
struct YAMLCodecTests {
    func one(_ text: String) throws -> JSON { try YAMLCodec.document(Array(text.utf8)) }

    func badRequest(_ text: String) -> FlotillaError? {
        #expect(throws: FlotillaError.self) { try YAMLCodec.documents(Array(text.utf8)) }
    }

    @Test func manifest() throws {
        let yaml = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              labels: {app: web, tier: "1"}
            spec:
              replicas: 3
              template:
                spec:
                  containers:
                  - name: nginx
                    image: nginx:1.25
                    ports:
                    - containerPort: 80
                    args: ["--x", '--y']
            """
        let expected = try JSONParser.parse(
            #"""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"app":"web","tier":"1"}},
             "spec":{"replicas":3,"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.25",
             "ports":[{"containerPort":80}],"args":["--x","--y"]}]}}}}
            """#)
        #expect(try one(yaml) == expected)
    }

    @Test(arguments: [
        ("yes", JSON.bool(true)), ("No", .bool(false)), ("on", .bool(true)), ("OFF", .bool(false)), ("y", .bool(true)),
        ("n", .bool(false)), ("True", .bool(true)), ("'yes'", .string("yes")), ("\"on\"", .string("on")),
        ("~", .null), ("null", .null), ("", .null), ("12", .int(12)), ("-7", .int(-7)), ("+3", .int(3)),
        ("0x1F", .int(31)), ("0777", .int(511)), ("0o17", .int(15)), ("0b101", .int(5)), ("1_000", .int(1000)),
        ("08", .double(8)), ("1.5", .double(1.5)), (".5", .double(0.5)), ("1e3", .double(1000)), ("-1.25e-2", .double(-0.0125)),
        ("2001-12-14", .string("2001-12-14")), ("2001-12-14T21:59:43Z", .string("2001-12-14T21:59:43Z")),
        ("1:20", .string("1:20")), ("0x", .string("0x")), ("500m", .string("500m")), ("1Gi", .string("1Gi")),
        ("!!str 123", .string("123")), ("!!int \"42\"", .int(42)), ("!!float 2", .double(2)), ("!!null x", .null),
        ("9223372036854775807", .int(Int64.max)), ("-9223372036854775808", .int(Int64.min)),
    ])
    func scalars(text: String, value: JSON) throws {
        #expect(try one("v: \(text)")["v"] == value)
    }

    @Test func blockScalarsAreStrings() throws {
        let o = try one("a: |\n  line1\n  yes\nb: >\n  folded\n  text\n")
        #expect(o["a"] == "line1\nyes\n")
        #expect(o["b"] == "folded text\n")
    }

    @Test func multipleDocumentsSkipEmptyOnes() throws {
        let docs = try YAMLCodec.documents(Array("---\na: 1\n---\n---\n# only a comment\n---\nb: 2\n...\n".utf8))
        #expect(docs == [["a": 1], ["b": 2]])
        #expect(try YAMLCodec.document(Array("a: 1\n---\nb: 2\n".utf8)) == ["a": 1])
        #expect(try YAMLCodec.documents(Array("".utf8)) == [])
        #expect(try YAMLCodec.document(Array("\n".utf8)) == .null)
    }

    @Test func mergeKeysAndAliases() throws {
        let o = try one(
            """
            base: &b {p: 1, q: 2}
            other: &o {q: 20, r: 30}
            m:
              <<: [*b, *o]
              p: 10
            copy: *b
            """)
        #expect(o["m"] == ["p": 10, "q": 2, "r": 30])
        #expect(o["copy"] == ["p": 1, "q": 2])
    }

    @Test func keysFollowYAML11Too() throws {
        // go-yaml v2 reads the key `y` as the boolean true, which becomes the member "true".
        #expect(try one("y: 1\nn: 2\n") == ["true": 1, "false": 2])
    }

    @Test func nonStringKeysBecomeText() throws {
        #expect(try one("1: a\ntrue: b\n~: c\n1.5: d\n") == ["1": "a", "true": "b", "null": "c", "1.5": "d"])
    }

    @Test func jsonIsYAML() throws {
        #expect(try one(#"{"a": [1, 2.5, "x", null, true]}"#) == ["a": [1, 2.5, "x", nil, true]])
        #expect(try one(#"  {"a": {"b": 1}, c: yes}"#) == ["a": ["b": 1], "c": true])
        #expect(try YAMLCodec.documents(Array(#"[{"kind": "Pod"}]"#.utf8)) == [[["kind": "Pod"]]])
        #expect(badRequest(#"{"a": 1, "a": 2}"#)?.message.contains("\"a\"") == true)
    }

    @Test func syntaxErrorNamesTheLine() throws {
        let error = badRequest("a: 1\nb: [1, 2\nc: 3\n")
        #expect(error?.code == .badRequest)
        #expect(error?.message.contains("line") == true)
        let indent = badRequest("a:\n  b: 1\n c: 2\n")
        #expect(indent?.message.contains("line 3") == true)
    }

    @Test func duplicateKeyIsRejected() throws {
        let error = badRequest("a: 1\nb: 2\na: 3\n")
        #expect(error?.code == .badRequest)
        #expect(error?.message.contains("\"a\"") == true)
    }

    @Test func nonFiniteNumbersAndBadTagsAreRejected() throws {
        #expect(badRequest("a: .inf\n")?.message.contains(".inf") == true)
        #expect(badRequest("a: .NaN\n")?.code == .badRequest)
        #expect(badRequest("a: !!int abc\n")?.message.contains("!!int") == true)
        #expect(badRequest("a: !!bool 3\n")?.code == .badRequest)
        #expect(badRequest("? [1, 2]\n: x\n")?.message.contains("key") == true)
        #expect(badRequest("a: *nowhere\n")?.code == .badRequest)
    }

    @Test func invalidUTF8IsRejected() throws {
        let error = #expect(throws: FlotillaError.self) { try YAMLCodec.documents([0x61, 0x3A, 0x20, 0xFF, 0xFE]) }
        #expect(error?.code == .badRequest)
    }

    @Test func aliasExpansionIsBounded() throws {
        var yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for n in 1...9 {
            let refs = Array(repeating: "*a\(n - 1)", count: 10).joined(separator: ", ")
            yaml += "a\(n): &a\(n) [\(refs)]\n"
        }
        let error = badRequest(yaml)
        #expect(error?.message.contains("aliases") == true)
    }

    @Test func deepNestingIsRejectedBeforeParsing() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(badRequest("a: " + deep)?.message.contains("nesting") == true)
        var dashes = "a:\n"
        for _ in 0..<100 { dashes += String(repeating: "- ", count: 1_000) + "x\n" }
        #expect(badRequest(dashes)?.message.contains("nesting") == true)
        let indented = (0..<600).map { String(repeating: " ", count: $0) + "k\($0):" }.joined(separator: "\n") + " 1\n"
        #expect(badRequest(indented)?.message.contains("nesting") == true)
    }

    @Test func nestingWithinTheLimitParses() throws {
        let depth = 400
        let flow = String(repeating: "[", count: depth) + "1" + String(repeating: "]", count: depth)
        var value = try one("a: " + flow)["a"]
        for _ in 0..<depth { value = value[0] }
        #expect(value == 1)
        #expect(try one("s: \"[[[[[[ # not nesting\" # [[[[\nt: '{{{{'\n") == ["s": "[[[[[[ # not nesting", "t": "{{{{"])
    }

    // MARK: - Output

    @Test func yamlTextQuotesWhatWouldReadBackAsAnotherType() throws {
        let value: JSON = [
            "name": "web", "yes": "yes", "num": "123", "empty": "", "date": "2001-12-14", "nil": "null",
            "real": 1.5, "int": 80, "flag": false, "none": nil, "list": [], "map": .emptyObject,
            "text": "two\nlines\n", "colon": "a: b", "dash": "- x",
        ]
        let text = YAMLCodec.yamlText(value)
        #expect(text.contains("name: web\n"))
        #expect(text.contains("\"yes\": \"yes\"\n"))
        #expect(text.contains("num: \"123\"\n"))
        #expect(text.contains("empty: \"\"\n"))
        #expect(text.contains("date: \"2001-12-14\"\n"))
        #expect(text.contains("nil: \"null\"\n"))
        #expect(text.contains("real: 1.5\n"))
        #expect(text.contains("int: 80\n"))
        #expect(text.contains("none: null\n"))
        #expect(text.contains("list: []\n"))
        #expect(text.contains("map: {}\n"))
        #expect(text.contains("text: |\n  two\n  lines\n"))
        #expect(try YAMLCodec.document(Array(text.utf8)) == value)
    }

    @Test func yamlTextLayoutAndSortedKeys() throws {
        let value: JSON = ["kind": "Pod", "apiVersion": "v1", "spec": ["containers": [["name": "a", "image": "x"]]]]
        #expect(
            YAMLCodec.yamlText(value) == "kind: Pod\napiVersion: v1\nspec:\n  containers:\n  - name: a\n    image: x\n")
        #expect(
            YAMLCodec.yamlText(value, sortKeys: true)
                == "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - image: x\n    name: a\n")
    }
}
