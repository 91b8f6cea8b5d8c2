import FlotillaAPI
import FlotillaCore
import FlotillaStore
import Logging

/// The values the API server hands out from the cluster's address plan: cluster IPs from the
/// service network, node ports, and pod subnets of nodes. Each is held through an allocation key
/// in the store (see ``RangeAllocator``), taken before the object is written and given back
/// when the write fails, the object is deleted or stops using it.
struct Allocations: Sendable {
    let network: ClusterNetwork
    let services: ServiceAllocator
    let nodes: NodePodCIDRAllocator

    init(store: any Store, network: ClusterNetwork, logger: Logger) {
        self.network = network
        services = ServiceAllocator(
            clusterIPs: RangeAllocator(store: store, range: .serviceIPs(network.serviceNetwork, dnsAddress: network.dnsAddress)),
            nodePorts: RangeAllocator(store: store, range: .nodePorts(network.nodePorts)))
        nodes = NodePodCIDRAllocator(
            subnets: RangeAllocator(store: store, range: .podCIDRs(network.podNetwork, prefixLength: network.nodePrefixLength)),
            logger: logger)
    }

    static func isServices(_ resource: ResourceDefinition) -> Bool { resource.group.isEmpty && resource.plural == "services" }
    static func isNodes(_ resource: ResourceDefinition) -> Bool { resource.group.isEmpty && resource.plural == "nodes" }

    /// `new` with what an update (`old` the stored version) or a create (`old` nil) keeps or
    /// drops before validation: omitted cluster IPs, node ports and pod subnets come from `old`.
    func carryOver(_ resource: ResourceDefinition, old: JSON?, new: JSON) -> JSON {
        if Self.isNodes(resource) { return NodePodCIDRAllocator.carryOver(old: old, new: new) }
        if Self.isServices(resource), let old { return ServiceUpdateCarryOver.apply(old: old, new: new) }
        return new
    }

    /// The problems with allocated fields that the kind's own validation does not see.
    func validate(_ resource: ResourceDefinition, _ object: JSON, old: JSON?) -> [FlotillaError.Cause] {
        Self.isNodes(resource) ? NodePodCIDRAllocator.validate(object, old: old) : []
    }

    /// Fills in and takes the values `object` needs and does not hold in `old`. Returns what was
    /// taken (nil for kinds without allocations).
    func reserve(_ resource: ResourceDefinition, _ object: inout JSON, old: JSON?, dryRun: Bool) async throws -> Reservation? {
        if Self.isServices(resource) {
            let meta = object["metadata"]
            let name = meta["name"].string ?? ""
            let owner = AllocationOwner.service(namespace: meta["namespace"].string ?? "", name: name)
            return try await services.allocate(&object, old: old, owner: owner, name: name, dryRun: dryRun)
        }
        if Self.isNodes(resource) { return try await nodes.allocate(&object, old: old, dryRun: dryRun) }
        return nil
    }

    /// Gives back what `old` held and `new` does not (nil: the object is gone).
    func release(_ resource: ResourceDefinition, old: JSON, new: JSON?) async {
        if Self.isServices(resource) {
            let meta = old["metadata"]
            await services.release(
                old: old, new: new, owner: .service(namespace: meta["namespace"].string ?? "", name: meta["name"].string ?? ""))
        } else if Self.isNodes(resource), new == nil {
            await nodes.release(old)
        }
    }
}
