/// An upper bound on how deeply a YAML text nests, found by a linear scan before parsing.
///
/// The YAML composer recurses once per nesting level, so a small body such as ten thousand `[`
/// could exhaust a thread's stack. Each line contributes its indentation in columns plus the
/// block-sequence dashes that open it (`- - - x`), and flow brackets outside quotes and comments
/// add their depth. Real manifests stay far below any sensible limit.
enum YAMLNestingEstimate {
    static func upperBound(_ bytes: some Collection<UInt8>) -> Int {
        var maximum = 0
        var flow = 0
        var atLineStart = true
        var indent = 0
        var dashes = 0
        var inDouble = false
        var inSingle = false
        var inComment = false
        var previous: UInt8 = 0x0A
        var escaped = false
        for b in bytes {
            defer { previous = b }
            if b == 0x0A {
                maximum = max(maximum, indent + dashes + flow)
                atLineStart = true
                indent = 0
                dashes = 0
                inComment = false
                continue
            }
            if inComment { continue }
            if atLineStart {
                if b == 0x20 {
                    indent += 1
                    continue
                }
                if b == UInt8(ascii: "-") || b == UInt8(ascii: "?") {
                    dashes += 1
                    continue
                }
                atLineStart = false
            }
            if inDouble {
                if escaped { escaped = false } else if b == UInt8(ascii: "\\") { escaped = true } else if b == UInt8(ascii: "\"") { inDouble = false }
                continue
            }
            if inSingle {
                if b == UInt8(ascii: "'") { inSingle = false }
                continue
            }
            switch b {
            case UInt8(ascii: "\""): inDouble = true
            case UInt8(ascii: "'"): inSingle = true
            case UInt8(ascii: "#") where previous == 0x20 || previous == 0x09 || previous == 0x0A: inComment = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                flow += 1
                maximum = max(maximum, indent + dashes + flow)
            case UInt8(ascii: "]"), UInt8(ascii: "}"): flow = max(0, flow - 1)
            default: break
            }
        }
        return max(maximum, indent + dashes + flow)
    }
}
