import FlotillaAPI
import FlotillaCore
import Foundation

/// Amounts of the resources a pod requests or a node offers, in the units the scheduler
/// compares: millicores of cpu, bytes of memory and ephemeral storage, whole units of every
/// other resource (extended resources such as `nvidia.com/gpu`, huge pages).
///
/// `pods` is not an amount here: a node's pod limit is ``NodeView/allowedPods``.
public struct ResourceAmounts: Sendable, Equatable {
    public var milliCPU: Int64
    public var memory: Int64
    public var ephemeralStorage: Int64
    /// Every other resource by name, in whole units; zero amounts are left out.
    public var scalar: [String: Int64]

    public static let cpu = "cpu"
    public static let memoryName = "memory"
    public static let ephemeralStorageName = "ephemeral-storage"
    public static let podsName = "pods"

    public init(milliCPU: Int64 = 0, memory: Int64 = 0, ephemeralStorage: Int64 = 0, scalar: [String: Int64] = [:]) {
        self.milliCPU = milliCPU
        self.memory = memory
        self.ephemeralStorage = ephemeralStorage
        self.scalar = scalar.filter { $0.value != 0 }
    }

    /// The amounts of a `ResourceList` object such as `{"cpu": "500m", "memory": "1Gi"}`;
    /// `pods` and values that do not parse are left out.
    public init(json: JSON) {
        self.init()
        for (name, value) in json.object ?? [:] {
            guard let quantity = Quantity(json: value) else { continue }
            switch name {
            case Self.cpu: milliCPU = quantity.milliValue
            case Self.memoryName: memory = quantity.integerValue
            case Self.ephemeralStorageName: ephemeralStorage = quantity.integerValue
            case Self.podsName: continue
            default:
                let units = quantity.integerValue
                if units != 0 { scalar[name] = units }
            }
        }
    }

    /// The amount of one resource by its Kubernetes name.
    public func amount(of name: String) -> Int64 {
        switch name {
        case Self.cpu: return milliCPU
        case Self.memoryName: return memory
        case Self.ephemeralStorageName: return ephemeralStorage
        default: return scalar[name] ?? 0
        }
    }

    /// Sets the amount of one resource by its Kubernetes name.
    public mutating func setAmount(_ amount: Int64, of name: String) {
        switch name {
        case Self.cpu: milliCPU = amount
        case Self.memoryName: memory = amount
        case Self.ephemeralStorageName: ephemeralStorage = amount
        default: scalar[name] = amount == 0 ? nil : amount
        }
    }

    /// The names of the resources with a non-zero amount, cpu, memory and ephemeral storage first.
    public var names: [String] {
        var names: [String] = []
        if milliCPU != 0 { names.append(Self.cpu) }
        if memory != 0 { names.append(Self.memoryName) }
        if ephemeralStorage != 0 { names.append(Self.ephemeralStorageName) }
        return names + scalar.keys.sorted()
    }

    public mutating func add(_ other: ResourceAmounts) {
        milliCPU += other.milliCPU
        memory += other.memory
        ephemeralStorage += other.ephemeralStorage
        for (name, amount) in other.scalar { setAmount((scalar[name] ?? 0) + amount, of: name) }
    }

    public mutating func subtract(_ other: ResourceAmounts) {
        milliCPU -= other.milliCPU
        memory -= other.memory
        ephemeralStorage -= other.ephemeralStorage
        for (name, amount) in other.scalar { setAmount((scalar[name] ?? 0) - amount, of: name) }
    }

    /// The larger amount of each resource.
    public static func largest(_ a: ResourceAmounts, _ b: ResourceAmounts) -> ResourceAmounts {
        var result = ResourceAmounts(
            milliCPU: max(a.milliCPU, b.milliCPU), memory: max(a.memory, b.memory),
            ephemeralStorage: max(a.ephemeralStorage, b.ephemeralStorage), scalar: a.scalar)
        for (name, amount) in b.scalar where amount > (result.scalar[name] ?? 0) { result.scalar[name] = amount }
        return result
    }

    /// An amount of a resource as people read it: cores for cpu ("0.5", "2"), binary units for
    /// byte-sized resources ("512Mi", "1.5Gi"), plain numbers otherwise.
    public static func describe(_ amount: Int64, of name: String) -> String {
        if name == cpu { return decimal(Double(amount) / 1000) }
        if name == memoryName || name == ephemeralStorageName || name.hasPrefix("hugepages-") {
            let units: [(String, Double)] = [("Ti", 0x1p40), ("Gi", 0x1p30), ("Mi", 0x1p20), ("Ki", 0x1p10)]
            for (suffix, size) in units where Double(abs(amount)) >= size {
                return decimal(Double(amount) / size) + suffix
            }
        }
        return String(amount)
    }

    /// A number with at most two decimals and no trailing zeros.
    static func decimal(_ value: Double) -> String {
        let hundredths = (value * 100).rounded()
        if hundredths.truncatingRemainder(dividingBy: 100) == 0 { return String(Int64(hundredths / 100)) }
        var text = String(format: "%.2f", hundredths / 100)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }
}
