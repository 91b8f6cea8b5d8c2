import FlotillaCore

/// The discovery.k8s.io/v1 `endpointslices` resource: defaults, validation and columns.
enum EndpointSlices {
    static let resource = ResourceDefinition(
        group: "discovery.k8s.io", version: "v1", kind: "EndpointSlice", plural: "endpointslices", namespaced: true,
        schema: CoordinationDiscoverySchemas.discovery + "EndpointSlice", hasSpec: false,
        columns: [
            TableColumn("AddressType", description: "The type of the addresses.") { o, _ in .string(o["addressType"].string ?? "") },
            TableColumn("Ports", description: "The ports of the endpoints.") { o, _ in .string(ports(o)) },
            TableColumn("Endpoints", description: "The addresses of the endpoints.") { o, _ in .string(endpoints(o)) },
            .age,
        ],
        defaulter: { defaults(&$0) }, validator: { validate($0, $1) })

    static let addressTypes = ["FQDN", "IPv4", "IPv6"]
    static let protocols = ["SCTP", "TCP", "UDP"]

    /// Every port gets a name ("") and protocol TCP when it has none.
    static func defaults(_ object: inout JSON) {
        object.updateEach("ports") { port in
            guard port.object != nil else { return }
            port.fillIfAbsent(["name"], "")
            port.fillIfAbsent(["protocol"], "TCP")
        }
    }

    static func validate(_ object: JSON, _ old: JSON?) -> [FlotillaError.Cause] {
        var causes: [FlotillaError.Cause] = []
        let addressType = object["addressType"].string ?? ""
        if addressType.isEmpty {
            causes.append(.required("addressType"))
        } else if !addressTypes.contains(addressType) {
            causes.append(.notSupported("addressType", addressType, addressTypes))
        }
        let endpoints = object["endpoints"].array ?? []
        if endpoints.count > 1000 { causes.append(.tooMany("endpoints", actual: endpoints.count, max: 1000)) }
        for (i, endpoint) in endpoints.enumerated() {
            causes += validateEndpoint(endpoint, addressType: addressType, path: "endpoints[\(i)]")
        }
        let ports = object["ports"].array ?? []
        if ports.count > 100 { causes.append(.tooMany("ports", actual: ports.count, max: 100)) }
        var names = Set<String>()
        for (i, port) in ports.enumerated() {
            let path = "ports[\(i)]"
            let name = port["name"].string ?? ""
            if !name.isEmpty {
                for message in NameValidation.dnsLabel(name) { causes.append(.invalid(path + ".name", name, message)) }
            }
            if !names.insert(name).inserted { causes.append(.duplicate(path + ".name", name)) }
            let proto = port["protocol"].string ?? ""
            if proto.isEmpty {
                causes.append(.required(path + ".protocol"))
            } else if !protocols.contains(proto) {
                causes.append(.notSupported(path + ".protocol", proto, protocols))
            }
            if let number = port["port"].int, number < 1 || number > 65535 {
                causes.append(.invalid(path + ".port", .int(number), "must be between 1 and 65535, inclusive"))
            }
        }
        if let old {
            causes += WorkloadValidation.immutable(object, old, path: ["addressType"], label: "addressType")
        }
        return causes
    }

    private static func validateEndpoint(_ endpoint: JSON, addressType: String, path: String) -> [FlotillaError.Cause] {
        var causes: [FlotillaError.Cause] = []
        let addresses = endpoint["addresses"].array ?? []
        if addresses.isEmpty {
            causes.append(.required(path + ".addresses", "must contain at least 1 address"))
        } else if addresses.count > 100 {
            causes.append(.tooMany(path + ".addresses", actual: addresses.count, max: 100))
        }
        for (j, value) in addresses.enumerated() {
            let address = value.string ?? ""
            let addressPath = "\(path).addresses[\(j)]"
            switch addressType {
            case "IPv4" where !isIPv4(address):
                causes.append(.invalid(addressPath, address, "must be a valid IPv4 address"))
            case "IPv6" where !isIPv6(address):
                causes.append(.invalid(addressPath, address, "must be a valid IPv6 address"))
            case "FQDN":
                for message in NameValidation.dnsSubdomain(address) { causes.append(.invalid(addressPath, address, message)) }
            default:
                break
            }
        }
        if let hostname = endpoint["hostname"].string {
            for message in NameValidation.dnsLabel(hostname) { causes.append(.invalid(path + ".hostname", hostname, message)) }
        }
        if let node = endpoint["nodeName"].string {
            for message in NameValidation.dnsSubdomain(node) { causes.append(.invalid(path + ".nodeName", node, message)) }
        }
        return causes
    }

    /// Four dotted decimal octets without leading zeros.
    static func isIPv4(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCII), let n = Int(part), n <= 255 else { return false }
            return part == "0" || !part.hasPrefix("0")
        }
    }

    /// Up to eight groups of hexadecimal digits, at most one `::`, optionally ending in IPv4.
    static func isIPv6(_ text: String) -> Bool {
        guard text.contains(":") else { return false }
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return false }
        var groups = 0
        for (h, half) in halves.enumerated() where !half.isEmpty {
            let parts = half.split(separator: ":", omittingEmptySubsequences: false)
            for (k, part) in parts.enumerated() {
                if h == halves.count - 1 && k == parts.count - 1 && part.contains(".") {
                    guard isIPv4(String(part)) else { return false }
                    groups += 2
                    continue
                }
                guard !part.isEmpty, part.count <= 4, part.allSatisfy(\.isHexDigit) else { return false }
                groups += 1
            }
        }
        return halves.count == 2 ? groups < 8 : groups == 8
    }

    /// Up to three port numbers (or names, `*` for all ports), then `+ N more...`; `<unset>` when none.
    static func ports(_ slice: JSON) -> String {
        let items = (slice["ports"].array ?? []).map { port -> String in
            if let n = port["port"].int { return String(n) }
            return port["name"].string ?? "*"
        }
        return listWithMore(items)
    }

    /// Up to three addresses across the endpoints, then `+ N more...`; `<unset>` when none.
    static func endpoints(_ slice: JSON) -> String {
        let items = (slice["endpoints"].array ?? []).flatMap { ($0["addresses"].array ?? []).compactMap(\.string) }
        return listWithMore(items)
    }

    private static func listWithMore(_ items: [String]) -> String {
        let shown = 3
        if items.count > shown { return items.prefix(shown).joined(separator: ",") + " + \(items.count - shown) more..." }
        return items.isEmpty ? "<unset>" : items.joined(separator: ",")
    }
}
