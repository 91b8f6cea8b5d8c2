import FlotillaAPI
import FlotillaCore

/// The cluster IPs and node ports of services: filled in and taken when a service is created or
/// changes type, kept while it lives, given back when it no longer uses them.
struct ServiceAllocator: Sendable {
    let clusterIPs: RangeAllocator
    let nodePorts: RangeAllocator

    /// What a service holds: its cluster IP and node ports, as allocation values.
    struct Holdings: Equatable {
        var clusterIPs: Set<String> = []
        var nodePorts: Set<String> = []
    }

    /// Whether a service of this spec has a virtual IP (not ExternalName, not headless).
    static func usesClusterIP(_ spec: JSON) -> Bool {
        (spec["type"].string ?? "ClusterIP") != "ExternalName" && spec["clusterIP"].string != "None"
    }

    /// Whether the ports of a service of this spec have node ports.
    static func usesNodePorts(_ spec: JSON) -> Bool {
        switch spec["type"].string ?? "ClusterIP" {
        case "NodePort": return true
        case "LoadBalancer": return spec["allocateLoadBalancerNodePorts"].bool ?? true
        default: return false
        }
    }

    /// The values a stored service holds.
    static func holdings(_ svc: JSON) -> Holdings {
        let spec = svc["spec"]
        var out = Holdings()
        if usesClusterIP(spec), let ip = spec["clusterIP"].string, !ip.isEmpty { out.clusterIPs.insert(ip) }
        if usesNodePorts(spec) {
            for port in spec["ports"].array ?? [] {
                if let nodePort = port["nodePort"].int, nodePort != 0 { out.nodePorts.insert(String(nodePort)) }
            }
        }
        return out
    }

    /// Fills in the cluster IP and node ports `svc` lacks and takes the requested ones it does not
    /// hold yet (`old` is the stored version on update). Returns what was taken, for the caller
    /// to give back if its write fails. A requested value outside the range or held by another
    /// service is a 422 naming the field; a full range a 503. A dry run takes nothing.
    func allocate(_ svc: inout JSON, old: JSON?, owner: AllocationOwner, name: String, dryRun: Bool) async throws -> Reservation {
        var reservation = Reservation(owner: owner)
        let held = old.map(Self.holdings) ?? Holdings()
        var causes: [FlotillaError.Cause] = []
        do {
            if Self.usesClusterIP(svc["spec"]) {
                try await allocateClusterIP(&svc, held: held, owner: owner, dryRun: dryRun, reservation: &reservation, causes: &causes)
            }
            // Values are claimed in one order (address, then ports by number) and the first
            // refusal ends the claiming, so two racing services cannot each block the other.
            if causes.isEmpty, Self.usesNodePorts(svc["spec"]) {
                try await allocateNodePorts(&svc, held: held, owner: owner, dryRun: dryRun, reservation: &reservation, causes: &causes)
            }
        } catch {
            await reservation.release()
            throw error
        }
        if !causes.isEmpty {
            await reservation.release()
            throw FlotillaError.invalid(kind: "Service", name: name, causes: causes)
        }
        return reservation
    }

    private func allocateClusterIP(
        _ svc: inout JSON, held: Holdings, owner: AllocationOwner, dryRun: Bool, reservation: inout Reservation,
        causes: inout [FlotillaError.Cause]
    ) async throws {
        let path = "spec.clusterIPs[0]"
        if let requested = svc["spec"]["clusterIP"].string, !requested.isEmpty {
            guard !held.clusterIPs.contains(requested) else { return }
            do {
                if try await clusterIPs.claim(requested, for: owner, dryRun: dryRun), !dryRun { reservation.add(requested, from: clusterIPs) }
            } catch RangeAllocator.Failure.outsideRange {
                causes.append(.invalid(path, requested, """
                    failed to allocate IP \(requested): the provided IP (\(requested)) is not in the valid range. \
                    The range of valid IPs is \(clusterIPs.range.summary)
                    """))
            } catch RangeAllocator.Failure.taken {
                causes.append(.invalid(path, requested, "failed to allocate IP \(requested): provided IP is already allocated"))
            }
            return
        }
        let ip: String
        do {
            ip = try await clusterIPs.allocate(for: owner, dryRun: dryRun)
        } catch RangeAllocator.Failure.full {
            throw FlotillaError(.serviceUnavailable, "failed to allocate a serviceIP: range \(clusterIPs.range.summary) is full")
        }
        if !dryRun { reservation.add(ip, from: clusterIPs) }
        svc[path: ["spec", "clusterIP"]] = .string(ip)
        svc[path: ["spec", "clusterIPs"]] = [.string(ip)]
    }

    private func allocateNodePorts(
        _ svc: inout JSON, held: Holdings, owner: AllocationOwner, dryRun: Bool, reservation: inout Reservation,
        causes: inout [FlotillaError.Cause]
    ) async throws {
        var ports = svc["spec"]["ports"].array ?? []
        var inService = Set<String>()
        let requested = ports.enumerated().sorted { ($0.element["nodePort"].int ?? 0) < ($1.element["nodePort"].int ?? 0) }
        for (i, port) in requested where causes.isEmpty {
            guard let nodePort = port["nodePort"].int, nodePort != 0 else { continue }
            let value = String(nodePort)
            guard !held.nodePorts.contains(value), inService.insert(value).inserted else { continue }
            let path = "spec.ports[\(i)].nodePort"
            do {
                if try await nodePorts.claim(value, for: owner, dryRun: dryRun), !dryRun { reservation.add(value, from: nodePorts) }
            } catch RangeAllocator.Failure.outsideRange {
                causes.append(.invalid(path, .int(nodePort), """
                    provided port is not in the valid range. The range of valid ports is \(nodePorts.range.summary)
                    """))
            } catch RangeAllocator.Failure.taken {
                causes.append(.invalid(path, .int(nodePort), "provided port is already allocated"))
            }
        }
        guard causes.isEmpty else { return }
        inService.formUnion(held.nodePorts)
        for i in ports.indices where (ports[i]["nodePort"].int ?? 0) == 0 {
            // Ports with one number and different protocols share a node port, as in Kubernetes.
            let sibling = ports.first { other in
                other["port"] == ports[i]["port"] && other["protocol"] != ports[i]["protocol"] && (other["nodePort"].int ?? 0) != 0
                    && !ports.contains { $0["nodePort"] == other["nodePort"] && $0["protocol"] == ports[i]["protocol"] }
            }
            if let shared = sibling?["nodePort"] {
                ports[i]["nodePort"] = shared
                continue
            }
            let value: String
            do {
                value = try await nodePorts.allocate(for: owner, excluding: inService, dryRun: dryRun)
            } catch RangeAllocator.Failure.full {
                throw FlotillaError(.serviceUnavailable, "failed to allocate a nodePort: range \(nodePorts.range.summary) is full")
            }
            if !dryRun { reservation.add(value, from: nodePorts) }
            inService.insert(value)
            ports[i]["nodePort"] = .int(Int64(value)!)
        }
        svc[path: ["spec", "ports"]] = .array(ports)
    }

    /// Gives back what `owner` held in `old` and no longer holds in `new` (nil: deleted).
    func release(old: JSON, new: JSON?, owner: AllocationOwner) async {
        let before = Self.holdings(old)
        let after = new.map(Self.holdings) ?? Holdings()
        for ip in before.clusterIPs.subtracting(after.clusterIPs) { try? await clusterIPs.release(ip, of: owner) }
        for port in before.nodePorts.subtracting(after.nodePorts) { try? await nodePorts.release(port, of: owner) }
    }
}
