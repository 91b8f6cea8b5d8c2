import FlotillaCore

/// How a service's endpoints are laid out over its EndpointSlices: one group of slices per
/// distinct set of ports, at most `maxEndpoints` endpoints per slice, reusing the slices that
/// exist rather than replacing them (as Kubernetes' endpoint slice reconciler does):
///
/// - an endpoint stays in the slice that already holds it;
/// - new endpoints fill the free room of the port set's slices before new slices are made;
/// - a slice left with nothing is recycled for a new port set or new endpoints, else deleted;
/// - a service without endpoints keeps one empty placeholder slice.
///
/// Within a slice, endpoints are sorted by address then pod uid, so the same input always
/// gives the same slices.
struct EndpointSliceLayout: Sendable {
    /// One slice the service should have.
    struct Slice: Sendable {
        /// The slice it rewrites; nil for a slice to create.
        var existing: JSON?
        var ports: [ServicePort]
        var endpoints: [JSON]
    }

    /// The slices to keep (rewritten) or create.
    var slices: [Slice] = []
    /// The existing slices no longer needed.
    var deletions: [JSON] = []

    /// Lays out `desired` (endpoints by their sorted port set) over the `existing` slices.
    init(desired: [[ServicePort]: [JSON]], existing: [JSON], maxEndpoints: Int) {
        let existing = existing.sorted { ($0["metadata"]["name"].string ?? "") < ($1["metadata"]["name"].string ?? "") }
        let existingByPorts = Dictionary(grouping: existing) { Self.ports(of: $0) }
        var spare: [JSON] = existing.filter { desired[Self.ports(of: $0)] == nil }
        for (ports, wanted) in desired.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            let wanted = wanted.sorted(by: Self.precedes)
            let byKey = Dictionary(wanted.map { (Self.key(of: $0), $0) }, uniquingKeysWith: { first, _ in first })
            var placed = Set<String>()
            var group: [Slice] = []
            for slice in existingByPorts[ports] ?? [] {
                var endpoints: [JSON] = []
                for endpoint in slice["endpoints"].array ?? [] where endpoints.count < maxEndpoints {
                    let key = Self.key(of: endpoint)
                    if let current = byKey[key], placed.insert(key).inserted { endpoints.append(current) }
                }
                if endpoints.isEmpty {
                    spare.append(slice)
                } else {
                    group.append(Slice(existing: slice, ports: ports, endpoints: endpoints))
                }
            }
            var remaining = wanted.filter { placed.insert(Self.key(of: $0)).inserted }[...]
            for i in group.indices where !remaining.isEmpty {
                let room = maxEndpoints - group[i].endpoints.count
                group[i].endpoints += remaining.prefix(room)
                remaining = remaining.dropFirst(room)
            }
            while !remaining.isEmpty {
                group.append(Slice(existing: nil, ports: ports, endpoints: Array(remaining.prefix(maxEndpoints))))
                remaining = remaining.dropFirst(maxEndpoints)
            }
            slices += group
        }
        spare.sort { ($0["metadata"]["name"].string ?? "") < ($1["metadata"]["name"].string ?? "") }
        for i in slices.indices where slices[i].existing == nil && !spare.isEmpty {
            slices[i].existing = spare.removeFirst()
        }
        if slices.isEmpty {
            let placeholder = spare.firstIndex { ($0["endpoints"].array ?? []).isEmpty && ($0["ports"].array ?? []).isEmpty } ?? spare.indices.first
            slices = [Slice(existing: placeholder.map { spare.remove(at: $0) }, ports: [], endpoints: [])]
        }
        for i in slices.indices { slices[i].endpoints.sort(by: Self.precedes) }
        deletions = spare
    }

    /// The sorted port set of an existing slice.
    static func ports(of slice: JSON) -> [ServicePort] {
        (slice["ports"].array ?? []).map { port in
            ServicePort(
                name: port["name"].string ?? "", port: port["port"].int ?? 0, protocol: port["protocol"].string ?? "TCP",
                appProtocol: port["appProtocol"].string)
        }.sorted()
    }

    /// What identifies an endpoint across syncs: its pod's uid, else its first address.
    static func key(of endpoint: JSON) -> String {
        endpoint["targetRef"]["uid"].string ?? endpoint["addresses"][0].string ?? ""
    }

    private static func precedes(_ a: JSON, _ b: JSON) -> Bool {
        let ipA = a["addresses"][0].string.flatMap(IPv4Address.init) ?? IPv4Address(0)
        let ipB = b["addresses"][0].string.flatMap(IPv4Address.init) ?? IPv4Address(0)
        if ipA != ipB { return ipA < ipB }
        return key(of: a) < key(of: b)
    }
}
