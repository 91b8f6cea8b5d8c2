/// Parses the text of a ``Quantity`` into an exact nano-unit value.
///
/// Grammar (Kubernetes' `resource.ParseQuantity`):
/// `<sign>? (<digits> | <digits>. | <digits>.<digits> | .<digits>) <suffix>` where the suffix is
/// empty, a decimal SI suffix, a binary SI suffix or `e`/`E` followed by a signed integer.
enum QuantityParser {
    /// The largest number of fractional digits kept exactly; further non-zero digits round up.
    private static let maxFractionDigits = 20

    static func parse(_ text: String) -> (nanos: Int128, format: Quantity.Format)? {
        var bytes = Array(text.utf8)[...]
        guard !bytes.isEmpty else { return nil }
        var negative = false
        if bytes.first == UInt8(ascii: "+") || bytes.first == UInt8(ascii: "-") {
            negative = bytes.first == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        let intDigits = bytes.prefix(while: isDigit)
        bytes = bytes.dropFirst(intDigits.count)
        var fracDigits = ArraySlice<UInt8>()
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            fracDigits = bytes.prefix(while: isDigit)
            bytes = bytes.dropFirst(fracDigits.count)
        }
        guard !intDigits.isEmpty || !fracDigits.isEmpty else { return nil }
        guard let suffix = parseSuffix(String(decoding: bytes, as: UTF8.self)) else { return nil }

        // Keep at most `maxFractionDigits` fractional digits; any dropped non-zero digit rounds up.
        var fraction = Array(fracDigits)
        while fraction.last == UInt8(ascii: "0") { fraction.removeLast() }
        var sticky = false
        if fraction.count > maxFractionDigits {
            sticky = fraction[maxFractionDigits...].contains { $0 != UInt8(ascii: "0") }
            fraction.removeSubrange(maxFractionDigits...)
        }
        let digits = Array(intDigits.drop { $0 == UInt8(ascii: "0") }) + fraction

        let magnitude: Int128
        switch suffix {
        case .decimal(let exponent, _):
            magnitude = scaleDecimal(digits: digits, shift: exponent + 9 - fraction.count, sticky: sticky)
        case .binary(let power):
            magnitude = scaleBinary(digits: digits, power: power, fractionCount: fraction.count, sticky: sticky)
        }
        let format: Quantity.Format
        switch suffix {
        case .decimal(_, let exponentNotation): format = exponentNotation ? .decimalExponent : .decimalSI
        case .binary:
            // Kubernetes prints binary values below one unit in decimal notation.
            format = magnitude > 0 && magnitude < Quantity.nanosPerUnit ? .decimalSI : .binarySI
        }
        return (negative ? -magnitude : magnitude, format)
    }

    private enum Suffix {
        /// A power of ten; `exponentNotation` for the `e<n>` form.
        case decimal(Int, exponentNotation: Bool)
        /// A power of 1024.
        case binary(Int)
    }

    private static func parseSuffix(_ s: String) -> Suffix? {
        switch s {
        case "": return .decimal(0, exponentNotation: false)
        case "n": return .decimal(-9, exponentNotation: false)
        case "u": return .decimal(-6, exponentNotation: false)
        case "m": return .decimal(-3, exponentNotation: false)
        case "k": return .decimal(3, exponentNotation: false)
        case "M": return .decimal(6, exponentNotation: false)
        case "G": return .decimal(9, exponentNotation: false)
        case "T": return .decimal(12, exponentNotation: false)
        case "P": return .decimal(15, exponentNotation: false)
        case "E": return .decimal(18, exponentNotation: false)
        case "Ki": return .binary(1)
        case "Mi": return .binary(2)
        case "Gi": return .binary(3)
        case "Ti": return .binary(4)
        case "Pi": return .binary(5)
        case "Ei": return .binary(6)
        default:
            guard s.count > 1, s.first == "e" || s.first == "E" else { return nil }
            var rest = Substring(s.dropFirst())
            var sign = 1
            if rest.first == "+" || rest.first == "-" {
                sign = rest.first == "-" ? -1 : 1
                rest = rest.dropFirst()
            }
            guard !rest.isEmpty, rest.utf8.allSatisfy(isDigit) else { return nil }
            // Exponents beyond ±1000 are all the same to us: capped or rounded up to one nano.
            let value = Int(rest.prefix(6)).map { rest.count > 6 ? 1_000_000 : $0 } ?? 1_000_000
            return .decimal(sign * min(value, 1000), exponentNotation: true)
        }
    }

    /// `digits × 10^shift` in nano-units, rounding up a dropped remainder; capped on overflow.
    private static func scaleDecimal(digits: [UInt8], shift: Int, sticky: Bool) -> Int128 {
        if shift >= 0 {
            guard let base = integer(digits) else { return Quantity.maxNanos }
            if base == 0 { return 0 }
            var value = base
            for _ in 0..<shift {
                let (next, overflow) = value.multipliedReportingOverflow(by: 10)
                if overflow || next > Quantity.maxNanos { return Quantity.maxNanos }
                value = next
            }
            return value
        }
        let keep = max(digits.count + shift, 0)
        let kept = Array(digits.prefix(keep))
        let dropped = digits.dropFirst(keep)
        guard let base = integer(kept) else { return Quantity.maxNanos }
        let roundUp = sticky || dropped.contains { $0 != UInt8(ascii: "0") }
        return min(base + (roundUp ? 1 : 0), Quantity.maxNanos)
    }

    /// `digits / 10^fractionCount × 1024^power` in nano-units, rounded up; capped on overflow.
    private static func scaleBinary(digits: [UInt8], power: Int, fractionCount: Int, sticky: Bool) -> Int128 {
        guard var value = integer(digits) else { return Quantity.maxNanos }
        if value == 0 && !sticky { return 0 }
        for _ in 0..<power {
            let (next, overflow) = value.multipliedReportingOverflow(by: 1024)
            if overflow { return Quantity.maxNanos }
            value = next
        }
        var scale = 9 - fractionCount
        while scale > 0 {
            let (next, overflow) = value.multipliedReportingOverflow(by: 10)
            if overflow || next > Quantity.maxNanos { return Quantity.maxNanos }
            value = next
            scale -= 1
        }
        var divisor: Int128 = 1
        for _ in 0 ..< -scale { divisor *= 10 }
        let quotient = value / divisor
        let roundUp = sticky || value % divisor != 0
        return min(quotient + (roundUp ? 1 : 0), Quantity.maxNanos)
    }

    /// The integer a run of ASCII digits spells, or nil when it does not fit.
    private static func integer(_ digits: [UInt8]) -> Int128? {
        var value: Int128 = 0
        for d in digits {
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(Int128(d - UInt8(ascii: "0")))
            if o1 || o2 { return nil }
            value = sum
        }
        return value
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
}
