import FlotillaAPI
import FlotillaCore
import Logging

/// The pod subnets of nodes (`spec.podCIDR`, `spec.podCIDRs`): a node created or updated
/// without one gets the lowest free subnet of the pod network; a node that brings its own
/// keeps it, and the subnet is taken when free so that it is not handed out again. A subnet that
/// another node holds is still accepted (agents started with a fixed `--pod-cidr` must be able to
/// register), and logged.
///
/// Running out is logged as a warning when it happens; the nodes that register while no subnet
/// is free are logged at debug level, until a subnet is freed here or a node gets one again
/// (freed by another server). A thousand simulated nodes on the default /16 warned 744 times
/// before, twice now: an allocation that finishes just after the network filled counts as one
/// that got a subnet.
struct NodePodCIDRAllocator: Sendable {
    let subnets: RangeAllocator
    let logger: Logger
    /// Whether the last allocation found the pod network full.
    private let exhausted = Locked(false)

    init(subnets: RangeAllocator, logger: Logger) {
        self.subnets = subnets
        self.logger = logger
    }

    /// The message of Kubernetes' node update validation for a changed subnet.
    static let immutableMessage = "node updates may not change podCIDR except from \"\" to valid"

    /// `new` with the subnet of `old` when it omits it, and both subnet fields in step.
    static func carryOver(old: JSON?, new: JSON) -> JSON {
        var node = new
        let spec = node["spec"]
        if (spec["podCIDR"].string ?? "").isEmpty, let first = spec["podCIDRs"][0].string {
            node[path: ["spec", "podCIDR"]] = .string(first)
        } else if let old, (spec["podCIDR"].string ?? "").isEmpty, (spec["podCIDRs"].array ?? []).isEmpty {
            node[path: ["spec", "podCIDR"]] = old["spec"]["podCIDR"]
            node[path: ["spec", "podCIDRs"]] = old["spec"]["podCIDRs"]
        }
        if let cidr = node["spec"]["podCIDR"].string, !cidr.isEmpty, (node["spec"]["podCIDRs"].array ?? []).isEmpty {
            node[path: ["spec", "podCIDRs"]] = [.string(cidr)]
        }
        return node
    }

    /// The problems with the subnet fields of `node`, and on update a changed subnet.
    static func validate(_ node: JSON, old: JSON?) -> [FlotillaError.Cause] {
        var causes: [FlotillaError.Cause] = []
        let spec = node["spec"]
        let cidr = spec["podCIDR"].string ?? ""
        if !cidr.isEmpty, IPv4Subnet(cidr) == nil {
            causes.append(.invalid("spec.podCIDR", cidr, "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"))
        }
        let cidrs = (spec["podCIDRs"].array ?? []).map { $0.string ?? "" }
        if cidrs.count > 1 {
            causes.append(.tooMany("spec.podCIDRs", actual: cidrs.count, max: 1))
        } else if let first = cidrs.first, first != cidr {
            causes.append(.invalid("spec.podCIDRs", .array(cidrs.map(JSON.string)), "must equal spec.podCIDR"))
        }
        if let old, let oldCIDR = old["spec"]["podCIDR"].string, !oldCIDR.isEmpty, oldCIDR != cidr {
            causes.append(.forbidden("spec.podCIDR", immutableMessage))
        }
        return causes
    }

    /// Gives `node` a subnet when it has none, or takes the one it brings when it is free and
    /// not already its own (`old` is the stored version on update). Returns what was taken.
    func allocate(_ node: inout JSON, old: JSON?, dryRun: Bool) async throws -> Reservation {
        let name = node["metadata"]["name"].string ?? ""
        let owner = AllocationOwner.node(name)
        var reservation = Reservation(owner: owner)
        let oldCIDR = old?["spec"]["podCIDR"].string ?? ""
        if let cidr = node["spec"]["podCIDR"].string, !cidr.isEmpty {
            guard cidr != oldCIDR else { return reservation }
            do {
                if try await subnets.claim(cidr, for: owner, dryRun: dryRun), !dryRun { reservation.add(cidr, from: subnets) }
            } catch RangeAllocator.Failure.taken(let holder) {
                logger.warning("node brings a pod subnet another node holds", metadata: [
                    "node": "\(name)", "podCIDR": "\(cidr)", "holder": "\(holder.map(\.description) ?? "unknown")",
                ])
            } catch RangeAllocator.Failure.outsideRange {
                logger.notice("node brings a pod subnet outside the pod network", metadata: [
                    "node": "\(name)", "podCIDR": "\(cidr)", "podNetwork": "\(subnets.range.summary)",
                ])
            }
            return reservation
        }
        do {
            let cidr = try await subnets.allocate(for: owner, dryRun: dryRun)
            if !dryRun { reservation.add(cidr, from: subnets) }
            node[path: ["spec", "podCIDR"]] = .string(cidr)
            node[path: ["spec", "podCIDRs"]] = [.string(cidr)]
            exhausted.withLock { $0 = false }
        } catch RangeAllocator.Failure.full {
            let metadata: Logger.Metadata = ["node": "\(name)", "podNetwork": "\(subnets.range.summary)"]
            if exhausted.withLock({ full in defer { full = true }; return !full }) {
                logger.warning("no pod subnet is free: this node and the next ones get none until a subnet is freed", metadata: metadata)
            } else {
                logger.debug("no pod subnet is free for a node", metadata: metadata)
            }
        }
        return reservation
    }

    /// Gives back the subnet of a deleted node, when the node held it.
    func release(_ node: JSON) async {
        guard let cidr = node["spec"]["podCIDR"].string, !cidr.isEmpty, let name = node["metadata"]["name"].string else { return }
        try? await subnets.release(cidr, of: .node(name))
        exhausted.withLock { $0 = false }
    }
}
