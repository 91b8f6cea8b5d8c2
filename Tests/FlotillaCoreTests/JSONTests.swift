import FlotillaCore
import Testing

@Suite struct JSONTests {
    @Test func roundTripKeepsOrderAndIntegers() throws {
        let text = #"{"b":1,"a":[true,null,2.5,"x\"y\n"],"c":{"d":-3}}"#
        let v = try JSONParser.parse(text)
        #expect(v["b"] == .int(1))
        #expect(v["a"][2] == .double(2.5))
        #expect(v.jsonText == text)
    }

    @Test func reportsDuplicateMembers() throws {
        let (v, dups) = try JSONParser.parseReportingDuplicates(Array(#"{"a":{"x":1,"x":2}}"#.utf8))
        #expect(v["a"]["x"] == .int(2))
        #expect(dups == ["a.x"])
    }

    @Test(arguments: ["{", "{\"a\" 1}", "[1,]", "tru", "\"abc", "01", "{} x", "-"])
    func rejectsMalformed(_ text: String) {
        #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse(text) }
    }

    @Test func decodesUnicodeEscapes() throws {
        #expect(try JSONParser.parse(#""\u00e9\ud83d\ude00""#) == .string("é😀"))
    }
}
