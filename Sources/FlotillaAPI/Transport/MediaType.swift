/// Media types as HTTP headers carry them (`Content-Type`, the entries of `Accept`), read
/// without Foundation: these are read on every request.
public enum MediaType {
    /// `text` without the spaces and tabs HTTP allows around a value.
    public static func trimmed(_ text: Substring) -> Substring {
        let isSpace = { (c: UInt8) in c == 0x20 || c == 0x09 }
        let utf8 = text.utf8
        guard let first = utf8.firstIndex(where: { !isSpace($0) }), let last = utf8.lastIndex(where: { !isSpace($0) }) else {
            return text[text.endIndex...]
        }
        return text[first...last]
    }

    /// The media type of a `Content-Type` value: lowercased, without parameters or the
    /// whitespace around it.
    public static func base(of value: String) -> String {
        let type = value.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return trimmed(type).lowercased()
    }
}
