/// The path and query of a request target, percent-decoded the way Go's `net/url` does it
/// (in the query, `+` is a space).
public struct RequestTarget: Sendable {
    public var path: String
    public var query: [(name: String, value: String)]

    /// Splits and decodes `path` (raw, without query) and `query` (raw, without `?`).
    public init(rawPath: String, rawQuery: String?) {
        path = Self.decode(rawPath, plusIsSpace: false)
        var pairs: [(name: String, value: String)] = []
        if let rawQuery, !rawQuery.isEmpty {
            for item in rawQuery.split(separator: "&", omittingEmptySubsequences: true) {
                if let eq = item.firstIndex(of: "=") {
                    pairs.append((Self.decode(item[..<eq], plusIsSpace: true), Self.decode(item[item.index(after: eq)...], plusIsSpace: true)))
                } else {
                    pairs.append((Self.decode(item, plusIsSpace: true), ""))
                }
            }
        }
        query = pairs
    }

    /// `text` with `%XX` escapes decoded (malformed escapes are kept as written).
    static func decode(_ text: some StringProtocol, plusIsSpace: Bool) -> String {
        let utf8 = text.utf8
        guard utf8.contains(where: { $0 == UInt8(ascii: "%") || (plusIsSpace && $0 == UInt8(ascii: "+")) }) else {
            return String(text)
        }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count)
        var i = utf8.startIndex
        while i != utf8.endIndex {
            let c = utf8[i]
            if c == UInt8(ascii: "%") {
                let h = utf8.index(after: i)
                if h != utf8.endIndex, utf8.index(after: h) != utf8.endIndex,
                    let hi = hexValue(utf8[h]), let lo = hexValue(utf8[utf8.index(after: h)])
                {
                    out.append(hi << 4 | lo)
                    i = utf8.index(h, offsetBy: 2)
                    continue
                }
            }
            out.append(plusIsSpace && c == UInt8(ascii: "+") ? UInt8(ascii: " ") : c)
            i = utf8.index(after: i)
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
