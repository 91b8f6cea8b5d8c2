/// A Kubernetes resource quantity such as "100m", "0.5", "1Gi", "1e3" or "129M".
///
/// The value is held exactly in nano-units (10⁻⁹), which is the finest precision Kubernetes
/// keeps: finer inputs are rounded up (away from zero), and magnitudes above 2⁶³−1 units are
/// capped, as Kubernetes does. Two quantities are equal when their values are equal, whatever
/// their notation ("1Ki" == "1024").
public struct Quantity: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The notation a quantity was written in; it decides the suffix of ``canonical``.
    public enum Format: Sendable, Hashable {
        /// Decimal SI suffixes: n, u, m, "", k, M, G, T, P, E.
        case decimalSI
        /// Binary SI suffixes: Ki, Mi, Gi, Ti, Pi, Ei.
        case binarySI
        /// Scientific notation: "1e3", "5e-3".
        case decimalExponent
    }

    /// The value in nano-units.
    public let nanos: Int128
    /// The notation used when printing the quantity.
    public let format: Format

    static let nanosPerUnit: Int128 = 1_000_000_000
    /// The largest magnitude Kubernetes accepts: 2⁶³−1 units.
    static let maxNanos: Int128 = Int128(Int64.max) * nanosPerUnit

    /// A quantity from a value in nano-units (capped at the Kubernetes maximum).
    public init(nanos: Int128, format: Format = .decimalSI) {
        self.nanos = max(min(nanos, Quantity.maxNanos), -Quantity.maxNanos)
        self.format = format
    }

    /// A quantity of `milli` thousandths, e.g. CPU millicores; prints as "500m" or "2".
    public init(milli: Int64) {
        self.init(nanos: Int128(milli) * 1_000_000, format: .decimalSI)
    }

    /// A quantity of bytes; prints with binary suffixes when exact ("1Gi", "512Mi").
    public init(bytes: Int64) {
        self.init(nanos: Int128(bytes) * Quantity.nanosPerUnit, format: .binarySI)
    }

    /// Parses Kubernetes quantity syntax: `<sign><digits>[.<digits>]<suffix>` where the suffix is
    /// a binary SI suffix (Ki…Ei), a decimal SI suffix (n, u, m, k, M, G, T, P, E) or an exponent
    /// (`e3`, `E-2`). Returns nil for anything else, including surrounding spaces.
    public init?(_ text: String) {
        guard let parsed = QuantityParser.parse(text) else { return nil }
        self.init(nanos: parsed.nanos, format: parsed.format)
    }

    // MARK: Values

    /// The value in thousandths, rounded up (`ceil(q * 1000)`), clamped to `Int64`.
    public var milliValue: Int64 { Quantity.clamp(Quantity.ceilDiv(nanos, 1_000_000)) }

    /// The value in whole units, rounded up (`ceil(q)`), clamped to `Int64`; bytes for memory.
    public var integerValue: Int64 { Quantity.clamp(Quantity.ceilDiv(nanos, Quantity.nanosPerUnit)) }

    /// The value as a floating-point number of units.
    public var value: Double { Double(nanos) / 1e9 }

    /// Whether the quantity is zero.
    public var isZero: Bool { nanos == 0 }

    /// Kubernetes' canonical text: the shortest exact form in the quantity's notation, e.g.
    /// "1Gi", "500m", "1500m", "2k", "1e3". Binary quantities below 1024 or with a fraction
    /// print in decimal SI, as Kubernetes does.
    public var canonical: String {
        if nanos < 0 { return "-" + Quantity(nanos: -nanos, format: format).canonical }
        if nanos == 0 { return "0" }
        if format == .binarySI, nanos >= 1024 * Quantity.nanosPerUnit, nanos % Quantity.nanosPerUnit == 0 {
            var units = nanos / Quantity.nanosPerUnit
            var power = 0
            while power < 6, units % 1024 == 0 {
                units /= 1024
                power += 1
            }
            return "\(units)" + ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"][power]
        }
        var mantissa = nanos
        var exponent = -9
        let maxExponent = format == .decimalExponent ? Int.max : 18
        while mantissa % 1000 == 0, exponent < maxExponent {
            mantissa /= 1000
            exponent += 3
        }
        if format == .decimalExponent {
            return exponent == 0 ? "\(mantissa)" : "\(mantissa)e\(exponent)"
        }
        let suffixes = [-9: "n", -6: "u", -3: "m", 0: "", 3: "k", 6: "M", 9: "G", 12: "T", 15: "P", 18: "E"]
        return "\(mantissa)" + (suffixes[exponent] ?? "")
    }

    public var description: String { canonical }

    // MARK: Arithmetic and comparison

    public static func == (a: Quantity, b: Quantity) -> Bool { a.nanos == b.nanos }
    public func hash(into hasher: inout Hasher) { hasher.combine(nanos) }
    public static func < (a: Quantity, b: Quantity) -> Bool { a.nanos < b.nanos }

    /// The sum, in the left operand's notation.
    public static func + (a: Quantity, b: Quantity) -> Quantity {
        Quantity(nanos: a.nanos + b.nanos, format: a.format)
    }

    /// The difference, in the left operand's notation.
    public static func - (a: Quantity, b: Quantity) -> Quantity {
        Quantity(nanos: a.nanos - b.nanos, format: a.format)
    }

    /// The zero quantity.
    public static let zero = Quantity(nanos: 0)

    // MARK: Helpers

    static func ceilDiv(_ a: Int128, _ b: Int128) -> Int128 {
        let q = a / b
        return (a % b != 0 && a > 0) ? q + 1 : q
    }

    static func clamp(_ v: Int128) -> Int64 {
        if v > Int128(Int64.max) { return Int64.max }
        if v < Int128(Int64.min) { return Int64.min }
        return Int64(v)
    }
}
