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

    @Test func nestedWritesKeepMemberOrderAndTheRulesOfASet() throws {
        var v = try JSONParser.parse(#"{"a":1,"spec":{"x":1,"y":2},"z":3}"#)
        v["spec"]["x"] = 10  // in place: the member keeps its position
        v["spec"]["w"] = "new"  // absent: appended
        v["status"]["phase"] = "Pending"  // absent parent: an object is made, appended
        v["a"]["b"] = 1  // a member of a number: nothing happens
        v["spec"]["y"] = nil  // null removes
        v["nothing"]["deeper"] = nil  // removing what is not there adds nothing
        #expect(v.jsonText == #"{"a":1,"spec":{"x":10,"w":"new"},"z":3,"status":{"phase":"Pending"}}"#)
        v[path: ["spec", "containers"]] = [["name": "c"]]
        v[path: ["spec", "x"]] = nil
        #expect(v["spec"].jsonText == #"{"w":"new","containers":[{"name":"c"}]}"#)
    }

    @Test func nestedWritesDoNotChangeCopies() throws {
        let original = try JSONParser.parse(#"{"spec":{"containers":[{"name":"c","image":"a"}]}}"#)
        var copy = original
        copy["spec"]["nodeName"] = "n1"
        copy["spec"]["containers"].modifyArray { $0[0]["image"] = "b" }
        #expect(original.jsonText == #"{"spec":{"containers":[{"name":"c","image":"a"}]}}"#)
        #expect(copy.jsonText == #"{"spec":{"containers":[{"name":"c","image":"b"}],"nodeName":"n1"}}"#)
        var notArray = JSON.string("x")
        notArray.modifyArray { $0.append(1) }
        #expect(notArray == "x")
    }

    @Test func bufferedRandomUUIDsAreVersionFourAndDistinct() {
        let ids = (0..<2000).map { _ in BufferedRandom.uuidString() }
        #expect(Set(ids).count == ids.count)
        for id in ids.prefix(50) {
            let chars = Array(id)
            #expect(chars.count == 36)
            #expect([8, 13, 18, 23].allSatisfy { chars[$0] == "-" })
            #expect(chars[14] == "4")
            #expect("89ab".contains(chars[19]))
            #expect(id.allSatisfy { "0123456789abcdef-".contains($0) })
        }
    }

    @Test func uniqueIDsNeverRepeat() {
        let ids = (0..<1000).map { _ in UniqueID.next() }
        #expect(Set(ids).count == 1000)
        #expect(zip(ids, ids.dropFirst()).allSatisfy { $0 < $1 })
    }
}
