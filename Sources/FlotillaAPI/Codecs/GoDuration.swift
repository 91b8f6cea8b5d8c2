/// Go's `time.Duration` text form, which `metav1.Duration` uses in JSON ("1h0m0s", "1m30s",
/// "1.5s", "500ms", "0s").
public enum GoDuration {
    /// The text Go's `Duration.String()` prints for a number of nanoseconds.
    public static func format(nanoseconds: Int64) -> String {
        if nanoseconds == 0 { return "0s" }
        let sign = nanoseconds < 0 ? "-" : ""
        var u = nanoseconds.magnitude
        if u < 1_000_000_000 {
            if u < 1_000 { return "\(sign)\(u)ns" }
            if u < 1_000_000 { return sign + decimal(u, fractionDigits: 3) + "µs" }
            return sign + decimal(u, fractionDigits: 6) + "ms"
        }
        let seconds = decimal(u % 60_000_000_000, fractionDigits: 9) + "s"
        u /= 60_000_000_000
        if u == 0 { return sign + seconds }
        let minutes = "\(u % 60)m"
        u /= 60
        return sign + (u > 0 ? "\(u)h" : "") + minutes + seconds
    }

    /// `value / 10^fractionDigits` with trailing zeros of the fraction trimmed ("1.5", "2").
    private static func decimal(_ value: UInt64, fractionDigits: Int) -> String {
        var scale: UInt64 = 1
        for _ in 0..<fractionDigits { scale *= 10 }
        let whole = value / scale
        var fraction = value % scale
        if fraction == 0 { return "\(whole)" }
        var digits = fractionDigits
        while fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        let text = String(fraction)
        return "\(whole)." + String(repeating: "0", count: digits - text.count) + text
    }
}
