import FlotillaAPI
import FlotillaCore
import FlotillaStore
import Foundation

/// What one repair pass changed.
public struct AllocationRepairReport: Sendable, Equatable {
    /// Keys given back because no object holds their value any more.
    public var released = 0
    /// Keys taken for values objects hold without one.
    public var claimed = 0
    /// Values two objects hold (the first keeps the key).
    public var conflicts = 0
}

extension APIServer {
    /// Makes the allocation keys agree with the stored services and nodes, as Kubernetes' repair
    /// controllers do after a crash between taking a value and writing its object: a value an
    /// object holds without a key gets one; a key older than `grace` whose owner does not hold
    /// its value is deleted. Younger keys may belong to a write still in flight and are kept.
    @discardableResult
    public func repairAllocations(grace: Duration) async throws -> AllocationRepairReport {
        var report = AllocationRepairReport()
        var servicesIPs: [String: AllocationOwner] = [:]
        var servicePorts: [String: AllocationOwner] = [:]
        var nodeSubnets: [String: AllocationOwner] = [:]
        for service in try await storedObjects(plural: "services") {
            let meta = service["metadata"]
            let owner = AllocationOwner.service(namespace: meta["namespace"].string ?? "", name: meta["name"].string ?? "")
            let holdings = ServiceAllocator.holdings(service)
            for ip in holdings.clusterIPs { note(ip, owner, in: &servicesIPs, report: &report) }
            for port in holdings.nodePorts { note(port, owner, in: &servicePorts, report: &report) }
        }
        for node in try await storedObjects(plural: "nodes") {
            if let cidr = node["spec"]["podCIDR"].string, !cidr.isEmpty, let name = node["metadata"]["name"].string {
                note(cidr, .node(name), in: &nodeSubnets, report: &report)
            }
        }
        let cutoff = Date().addingTimeInterval(-Double(grace.components.seconds) - Double(grace.components.attoseconds) / 1e18)
        let ranges = [
            (allocations.services.clusterIPs, servicesIPs), (allocations.services.nodePorts, servicePorts),
            (allocations.nodes.subnets, nodeSubnets),
        ]
        for (allocator, expected) in ranges {
            let holders = try await allocator.holders()
            for (value, kv) in holders {
                let record = AllocationOwner.parse(kv.value)
                if let record, expected[value] == record.owner { continue }
                if let time = record?.time, time > cutoff { continue }
                do {
                    _ = try await store.delete(kv.key, expectedRevision: kv.modRevision)
                    report.released += 1
                    logger.notice("released an allocation no object holds", metadata: [
                        "value": "\(value)", "range": "\(allocator.range.kind)", "owner": "\(record?.owner.description ?? "unknown")",
                    ])
                } catch let error as FlotillaError where error.code == .notFound || error.code == .conflict {
                    continue
                }
            }
            for (value, owner) in expected where holders[value] == nil || AllocationOwner.parse(holders[value]!.value)?.owner != owner {
                do {
                    if try await allocator.claim(value, for: owner) { report.claimed += 1 }
                } catch RangeAllocator.Failure.taken(let holder) {
                    report.conflicts += 1
                    logger.warning("two objects hold one value", metadata: [
                        "value": "\(value)", "range": "\(allocator.range.kind)", "object": "\(owner)",
                        "holder": "\(holder?.description ?? "unknown")",
                    ])
                } catch RangeAllocator.Failure.outsideRange {
                    continue
                }
            }
        }
        return report
    }

    /// Records that `owner` holds `value`; a second holder counts as a conflict.
    private func note(_ value: String, _ owner: AllocationOwner, in map: inout [String: AllocationOwner], report: inout AllocationRepairReport) {
        if let first = map[value], first != owner {
            report.conflicts += 1
            logger.warning("two objects hold one value", metadata: ["value": "\(value)", "object": "\(owner)", "holder": "\(first)"])
            return
        }
        map[value] = owner
    }

    /// Every stored object of a core/v1 resource.
    /// Every stored object of a resource (of `namespace`, or of all), read page by page.
    func storedObjects(plural: String, group: String = "", namespace: String? = nil) async throws -> [JSON] {
        guard let resource = resources.resource(group: group, version: "v1", plural: plural) else { return [] }
        let prefix = StorageKeys.prefix(resource, namespace: namespace)
        var out: [JSON] = []
        var after: String?
        while true {
            let page = try await store.list(prefix: prefix, after: after, limit: 500, revision: nil)
            out += try page.items.map(StoredObject.decode)
            guard page.more, let last = page.items.last else { return out }
            after = last.key
        }
    }

    /// Repairs allocations every `interval` until cancelled.
    func repairAllocationsPeriodically(every interval: Duration, grace: Duration) async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: interval)
                try await repairAllocations(grace: grace)
            } catch is CancellationError {
                return
            } catch {
                logger.warning("allocation repair failed", metadata: ["error": "\(error)"])
            }
        }
    }
}
