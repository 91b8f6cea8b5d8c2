import FlotillaClient
import FlotillaCore
import Testing

@Suite struct WatchStreamDecoderTests {
    static let added = #"{"type":"ADDED","object":{"kind":"Pod","metadata":{"name":"a","resourceVersion":"5"}}}"#
    static let modified = #"{"type":"MODIFIED","object":{"kind":"Pod","metadata":{"name":"a","resourceVersion":"6"}}}"#
    static let bookmark = #"{"type":"BOOKMARK","object":{"kind":"Pod","metadata":{"resourceVersion":"9"}}}"#

    @Test func decodesWholeLines() throws {
        var decoder = WatchStreamDecoder()
        let events = try decoder.feed(Array((Self.added + "\n" + Self.modified + "\n").utf8))
        #expect(events.map(\.type) == [.added, .modified])
        #expect(events.map(\.resourceVersion) == ["5", "6"])
        #expect(events[0].object[path: ["metadata", "name"]] == "a")
        #expect(try decoder.finish().isEmpty)
    }

    @Test func eventsSplitAcrossChunksAtEveryOffset() throws {
        let text = Array((Self.added + "\n" + Self.bookmark + "\n" + Self.modified).utf8)
        for cut1 in 0...text.count {
            for cut2 in stride(from: cut1, through: text.count, by: 7) {
                var decoder = WatchStreamDecoder()
                var events = try decoder.feed(text[..<cut1])
                events += try decoder.feed(text[cut1..<cut2])
                events += try decoder.feed(text[cut2...])
                events += try decoder.finish()
                #expect(events.map(\.type) == [.added, .bookmark, .modified], "cuts at \(cut1), \(cut2)")
            }
        }
    }

    @Test func byteByByteWithMultibyteCharacters() throws {
        let line = #"{"type":"ADDED","object":{"metadata":{"name":"é😀"}}}"# + "\n"
        var decoder = WatchStreamDecoder()
        var events: [WatchEvent] = []
        for byte in Array(line.utf8) { events += try decoder.feed([byte]) }
        #expect(events.count == 1)
        #expect(events[0].object[path: ["metadata", "name"]] == "é😀")
    }

    @Test func blankLinesAndCarriageReturnsAreSkipped() throws {
        var decoder = WatchStreamDecoder()
        let events = try decoder.feed(Array(("\n\r\n  \n" + Self.added + "\r\n\n").utf8))
        #expect(events.count == 1)
    }

    @Test func expiredErrorEventThrowsExpired() throws {
        let line = #"{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 3 (10)","reason":"Expired","code":410}}"#
        var decoder = WatchStreamDecoder()
        let error = #expect(throws: FlotillaError.self) { try decoder.feed(Array((Self.added + "\n" + line + "\n").utf8)) }
        #expect(error?.code == .expired)
        #expect(error?.message == "too old resource version: 3 (10)")
    }

    @Test func goneWithoutReasonIsExpiredToo() throws {
        let line = #"{"type":"ERROR","object":{"kind":"Status","status":"Failure","message":"gone","code":410}}"#
        var decoder = WatchStreamDecoder()
        #expect(throws: FlotillaError.expired("gone")) { try decoder.feed(Array((line + "\n").utf8)) }
    }

    @Test func otherErrorEventsKeepTheirCode() throws {
        let line = #"{"type":"ERROR","object":{"kind":"Status","status":"Failure","message":"boom","reason":"InternalError","code":500}}"#
        var decoder = WatchStreamDecoder()
        let error = #expect(throws: FlotillaError.self) { try decoder.feed(Array(line.utf8)) + decoder.finish() }
        #expect(error?.code == .internalError)
    }

    @Test(arguments: [
        "{not json}\n", #"{"object":{}}"# + "\n", #"{"type":"EXPLODED","object":{}}"# + "\n",
        #"{"type":"ADDED","object":"text"}"# + "\n", #"{"type":"ADDED"}"# + "\n", "[1,2]\n", #"{"type":"ADDED","object":{"a":1}"#,
    ])
    func malformedLinesThrow(_ text: String) {
        var decoder = WatchStreamDecoder()
        let error = #expect(throws: FlotillaError.self) { try decoder.feed(Array(text.utf8)) + decoder.finish() }
        #expect(error?.code == .internalError)
        #expect(error?.message.hasPrefix("malformed watch event") == true)
    }

    @Test func trailingEventWithoutNewlineIsDeliveredAtFinish() throws {
        var decoder = WatchStreamDecoder()
        #expect(try decoder.feed(Array(Self.added.utf8)).isEmpty)
        #expect(try decoder.finish().map(\.type) == [.added])
    }
}
