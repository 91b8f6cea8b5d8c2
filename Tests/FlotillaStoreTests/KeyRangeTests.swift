@testable import FlotillaStore
import Testing

@Suite
struct KeyRangeTests {
    @Test
    func theEndOfAPrefixIsItsByteSuccessor() {
        #expect(KeyRange(prefix: "/pods/a/").end == Array("/pods/a0".utf8))
        #expect(KeyRange(prefix: "/pods/a").end == Array("/pods/b".utf8))
        #expect(KeyRange(prefix: "").end == nil)
        #expect(KeyRange.successor(ofPrefix: [0x61, 0xFF, 0xFF]) == [0x62])
        #expect(KeyRange.successor(ofPrefix: [0xFF]) == nil)
    }

    @Test
    func bytePrefixesCompareBytesNotCharacters() {
        #expect("/pods/a/x".hasBytePrefix("/pods/a/"))
        #expect(!"/pods/ab/x".hasBytePrefix("/pods/a/"))
        // "é" precomposed and "e" + combining accent are equal Characters but differ in bytes.
        #expect(!"/e\u{301}x".hasBytePrefix("/\u{E9}"))
        #expect("/e\u{301}x".hasBytePrefix("/e"))
    }
}
