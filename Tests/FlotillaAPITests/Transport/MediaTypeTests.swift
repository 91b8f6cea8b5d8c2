import FlotillaAPI
import Testing

@Suite struct MediaTypeTests {
    @Test func trimsOnlyHTTPWhitespace() {
        #expect(MediaType.trimmed(" \tapplication/json \t") == "application/json")
        #expect(MediaType.trimmed("as=Table") == "as=Table")
        #expect(MediaType.trimmed("  \t ") == "")
        #expect(MediaType.trimmed("") == "")
        // Inner spaces stay; a newline is not HTTP whitespace.
        #expect(MediaType.trimmed(" a b ") == "a b")
        #expect(MediaType.trimmed("\na\n") == "\na\n")
    }

    @Test func baseDropsParametersAndCase() {
        #expect(MediaType.base(of: "application/json") == "application/json")
        #expect(MediaType.base(of: " Application/Merge-Patch+JSON ; charset=utf-8") == "application/merge-patch+json")
        #expect(MediaType.base(of: "application/vnd.kubernetes.protobuf;x=y;z") == "application/vnd.kubernetes.protobuf")
        #expect(MediaType.base(of: ";charset=utf-8") == "")
        #expect(MediaType.base(of: "") == "")
    }
}
