/// Keeps pods off nodes where a host port they ask for is taken (same protocol and port, on
/// the same address or on every address). Ports with `hostPort` 0 ask for nothing.
public struct NodePortsFilter: FilterPlugin {
    public var name: String { "NodePorts" }
    public static let reason = "node(s) didn't have free ports for the requested pod ports"
    /// The rejection a scheduling cycle gets, made once so that returning it allocates nothing.
    static let rejection = Verdict.unschedulable(reason)

    public init() {}

    public func applies(to cycle: CycleState) -> Bool { !cycle.pod.hostPorts.isEmpty }

    public func filter(_ cycle: CycleState, _ node: NodeInfo, explain: Bool) -> Verdict? {
        if node.usedPorts.isEmpty { return nil }
        let taken = cycle.pod.hostPorts.filter { node.conflictingPort($0) != nil }
        if taken.isEmpty { return nil }
        guard explain else { return Self.rejection }
        let ports = taken.map(\.description).joined(separator: ", ")
        return .unschedulable(
            Self.reason, detail: "host port(s) \(ports) already in use",
            fix: Fix("use another hostPort than \(ports) or free it on \(node.name)", cost: Double(taken.count)))
    }
}
