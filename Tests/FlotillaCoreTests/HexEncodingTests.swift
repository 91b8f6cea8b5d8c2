import FlotillaCore
import Testing

@Suite struct HexEncodingTests {
    @Test func bytesBecomeTwoLowercaseDigitsEach() {
        #expect([UInt8]().hexString == "")
        #expect([0x00, 0x0a, 0x10, 0xff].hexString == "000a10ff")
    }
}
