import FlotillaCore
import Testing

@testable import FlotillaAPI

@Suite("Quantity")
struct QuantityTests {
    @Test(
        "parses Kubernetes quantities and prints them canonically",
        arguments: [
            ("100m", "100m", 100), ("0.5", "500m", 500), ("1Gi", "1Gi", 1_073_741_824_000), ("1e3", "1e3", 1_000_000),
            ("128974848", "128974848", 128_974_848_000), ("129M", "129M", 129_000_000_000), ("2Ki", "2Ki", 2_048_000),
            ("-1", "-1", -1000), ("1500m", "1500m", 1500), ("1.5", "1500m", 1500), ("2000", "2k", 2_000_000),
            ("1024Mi", "1Gi", 1_073_741_824_000), ("1536Mi", "1536Mi", 1_610_612_736_000), ("+3", "3", 3000),
            (".5", "500m", 500), ("5.", "5", 5000), ("0", "0", 0), ("1E", "1E", Int64.max), ("10u", "10u", 1),
        ] as [(String, String, Int64)])
    func parses(text: String, canonical: String, milli: Int64) throws {
        let q = try #require(Quantity(text))
        #expect(q.canonical == canonical)
        #expect(q.milliValue == milli)
    }

    @Test(
        "rejects malformed text",
        arguments: ["", " 1", "1 ", "1.2.3", "Ki", "1KiB", "1e", "1ki", "abc", "--1", "1e1.5", ".", "+", "1 Gi", "0x10", "1Mb"])
    func rejectsMalformed(text: String) {
        #expect(Quantity(text) == nil)
    }

    @Test("rounds values below a thousandth up")
    func roundsUp() throws {
        #expect(try #require(Quantity("1n")).milliValue == 1)
        #expect(try #require(Quantity("0.0001")).milliValue == 1)
        #expect(try #require(Quantity("1.0000000001")).canonical == "1000000001n")
        #expect(try #require(Quantity("1.5Gi")).integerValue == 1_610_612_736)
    }

    @Test("compares by value regardless of notation")
    func compares() throws {
        #expect(Quantity("1Ki") == Quantity("1024"))
        #expect(try #require(Quantity("500m")) < #require(Quantity("1")))
        #expect(try #require(Quantity("1Gi")) > #require(Quantity("1G")))
        #expect(Set([Quantity("1k"), Quantity("1000"), Quantity("1e3")]).count == 1)
        #expect(try #require(Quantity("1")) + #require(Quantity("500m")) == Quantity("1.5"))
    }

    @Test("builds from thousandths, bytes and JSON")
    func initializers() {
        #expect(Quantity(milli: 1500).canonical == "1500m")
        #expect(Quantity(milli: 2000).canonical == "2")
        #expect(Quantity(bytes: 1_048_576).canonical == "1Mi")
        #expect(Quantity(bytes: 1000).canonical == "1k")
        #expect(Quantity(json: .int(2))?.canonical == "2")
        #expect(Quantity(json: .double(0.25))?.canonical == "250m")
        #expect(Quantity(json: .bool(true)) == nil)
        #expect(Quantity("0.1Ki")?.canonical == "102400m")
    }

    @Test("caps huge values at the Kubernetes maximum")
    func caps() throws {
        let q = try #require(Quantity("1e100"))
        #expect(q.integerValue == Int64.max)
        #expect(try #require(Quantity("99999999999999999999999999999999999999999")).integerValue == Int64.max)
    }
}
