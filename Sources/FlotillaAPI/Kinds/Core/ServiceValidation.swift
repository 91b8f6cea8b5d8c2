import FlotillaCore

/// Kubernetes' validation of services (`ValidateService`, `ValidateServiceUpdate`) and endpoints.
public enum ServiceValidation {
    static let types = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]
    static let affinities = ["ClientIP", "None"]
    static let trafficPolicies = ["Cluster", "Local"]
    static let ipFamilyPolicies = ["PreferDualStack", "RequireDualStack", "SingleStack"]

    /// The problems with a service, and on update a changed cluster IP.
    public static func validateService(_ svc: JSON, old: JSON?) -> [FlotillaError.Cause] {
        let spec = svc["spec"]
        var causes: [FlotillaError.Cause] = []
        let type = spec["type"].string ?? "ClusterIP"
        causes += PodValidation.enumValue(spec["type"], "spec.type", types)
        let headless = spec["clusterIP"].string == "None"
        let ports = spec["ports"].array ?? []
        if ports.isEmpty && !headless && type != "ExternalName" { causes.append(.required("spec.ports")) }

        var names = Set<String>()
        var seen = Set<String>()
        var nodePorts = Set<String>()
        for (i, port) in ports.enumerated() {
            let p = "spec.ports[\(i)]"
            let name = port["name"].string ?? ""
            if ports.count > 1 && name.isEmpty {
                causes.append(.required(p + ".name"))
            } else if !name.isEmpty {
                causes += NameValidation.dnsLabel(name).map { .invalid(p + ".name", name, $0) }
                if !names.insert(name).inserted { causes.append(.duplicate(p + ".name", name)) }
            }
            let number = port["port"].int ?? 0
            if !(1...65535).contains(number) { causes.append(.invalid(p + ".port", .int(number), PodValidation.portRangeMessage)) }
            causes += PodValidation.enumValue(port["protocol"], p + ".protocol", PodValidation.protocols)
            if !port["targetPort"].isNull {
                causes += PodValidation.validatePortNumOrName(port["targetPort"], path: p + ".targetPort")
            }
            let key = "\(number)/\(port["protocol"].string ?? "")"
            if !seen.insert(key).inserted {
                causes.append(.duplicate(p, ["port": .int(number), "protocol": port["protocol"]]))
            }
            if let nodePort = port["nodePort"].int, nodePort != 0 {
                if type == "ClusterIP" {
                    causes.append(.forbidden(p + ".nodePort", "may not be used when `type` is 'ClusterIP'"))
                } else if !(1...65535).contains(nodePort) {
                    causes.append(.invalid(p + ".nodePort", .int(nodePort), PodValidation.portRangeMessage))
                } else if !nodePorts.insert("\(nodePort)/\(port["protocol"].string ?? "")").inserted {
                    causes.append(.duplicate(p + ".nodePort", .int(nodePort)))
                }
            }
        }

        if type == "ExternalName" {
            let name = spec["externalName"].string ?? ""
            if name.isEmpty {
                causes.append(.required("spec.externalName"))
            } else {
                causes += NameValidation.dnsSubdomain(name.hasSuffix(".") ? String(name.dropLast()) : name)
                    .map { .invalid("spec.externalName", name, $0) }
            }
            if let ip = spec["clusterIP"].string, !ip.isEmpty {
                causes.append(.forbidden("spec.clusterIPs", "may not be set for ExternalName services"))
            }
        } else {
            causes += validateClusterIPs(spec, type: type)
            for (i, ip) in (spec["clusterIPs"].array ?? [spec["clusterIP"]]).enumerated() {
                guard let text = ip.string, !text.isEmpty, text != "None" else { continue }
                if !IPAddress.isValid(text) {
                    causes.append(
                        .invalid("spec.clusterIPs[\(i)]", text, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"))
                }
            }
        }
        causes += PodValidation.enumValue(spec["sessionAffinity"], "spec.sessionAffinity", affinities, requiredWhenMissing: false)
        causes += validateSessionAffinityConfig(spec)
        for key in ["externalTrafficPolicy", "internalTrafficPolicy"] {
            causes += PodValidation.enumValue(spec[key], "spec.\(key)", trafficPolicies, requiredWhenMissing: false)
        }
        if !spec["externalTrafficPolicy"].isNull, type != "NodePort", type != "LoadBalancer" {
            causes.append(.invalid(
                "spec.externalTrafficPolicy", spec["externalTrafficPolicy"], "may only be set when `type` is 'NodePort' or 'LoadBalancer'"))
        }
        if !spec["allocateLoadBalancerNodePorts"].isNull, type != "LoadBalancer" {
            causes.append(.forbidden("spec.allocateLoadBalancerNodePorts", "may only be used when `type` is 'LoadBalancer'"))
        }
        for (i, ip) in (spec["externalIPs"].array ?? []).enumerated() where !IPAddress.isValid(ip.string ?? "") {
            causes.append(.invalid("spec.externalIPs[\(i)]", ip, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"))
        }
        causes += PodValidation.enumValue(spec["ipFamilyPolicy"], "spec.ipFamilyPolicy", ipFamilyPolicies, requiredWhenMissing: false)
        causes += ObjectMetaValidation.validateLabels(spec["selector"], path: "spec.selector")

        if let old {
            let oldType = old["spec"]["type"].string ?? "ClusterIP"
            let oldIP = old["spec"]["clusterIP"].string ?? ""
            let newIP = spec["clusterIP"].string ?? ""
            if oldType != "ExternalName", type != "ExternalName", !oldIP.isEmpty, !newIP.isEmpty, oldIP != newIP {
                causes.append(.invalid("spec.clusterIPs[0]", spec["clusterIPs"].isNull ? [spec["clusterIP"]] : spec["clusterIPs"], "may not change once set"))
            }
        }
        return causes
    }

    /// A headless service has no node ports; `clusterIPs` is at most one address (the cluster is
    /// single-stack IPv4) and starts with `clusterIP`.
    static func validateClusterIPs(_ spec: JSON, type: String) -> [FlotillaError.Cause] {
        var causes: [FlotillaError.Cause] = []
        let ip = spec["clusterIP"].string ?? ""
        let ips = spec["clusterIPs"].array ?? []
        if ip == "None", type == "NodePort" || type == "LoadBalancer" {
            causes.append(.invalid("spec.clusterIPs[0]", "None", "may not be set to 'None' for LoadBalancer or NodePort services"))
        }
        if ips.count > 1 {
            causes.append(.tooMany("spec.clusterIPs", actual: ips.count, max: 1))
        } else if let first = ips.first, first.string != ip {
            causes.append(.invalid("spec.clusterIPs", .array(ips), "first value must match `clusterIP`"))
        }
        if spec["ipFamilyPolicy"].string == "RequireDualStack" {
            causes.append(.invalid("spec.ipFamilyPolicy", "RequireDualStack", "this cluster is not configured for dual-stack services"))
        }
        for (i, family) in (spec["ipFamilies"].array ?? []).enumerated() where family.string != "IPv4" {
            causes.append(.invalid("spec.ipFamilies[\(i)]", family, "not configured on this cluster"))
        }
        return causes
    }

    /// `sessionAffinityConfig` only with ClientIP affinity, its timeout 1 to 86400 seconds.
    static func validateSessionAffinityConfig(_ spec: JSON) -> [FlotillaError.Cause] {
        let config = spec["sessionAffinityConfig"]
        guard !config.isNull else { return [] }
        guard spec["sessionAffinity"].string == "ClientIP" else {
            return [.forbidden("spec.sessionAffinityConfig", "must not be set when session affinity is None")]
        }
        let timeout = config["clientIP"]["timeoutSeconds"]
        if let seconds = timeout.int, (1...86400).contains(seconds) { return [] }
        return [.invalid("spec.sessionAffinityConfig.clientIP.timeoutSeconds", timeout, "must be greater than 0 and less than 86400")]
    }

    /// The problems with an Endpoints object: valid addresses and ports.
    public static func validateEndpoints(_ ep: JSON, old: JSON?) -> [FlotillaError.Cause] {
        var causes: [FlotillaError.Cause] = []
        for (i, subset) in (ep["subsets"].array ?? []).enumerated() {
            let p = "subsets[\(i)]"
            for key in ["addresses", "notReadyAddresses"] {
                for (j, address) in (subset[key].array ?? []).enumerated() {
                    let ip = address["ip"].string ?? ""
                    if !IPAddress.isValid(ip) {
                        causes.append(.invalid("\(p).\(key)[\(j)].ip", ip, "must be a valid IP address"))
                    }
                }
            }
            let ports = subset["ports"].array ?? []
            for (j, port) in ports.enumerated() {
                let pp = "\(p).ports[\(j)]"
                let name = port["name"].string ?? ""
                if ports.count > 1 && name.isEmpty { causes.append(.required(pp + ".name")) }
                if !name.isEmpty { causes += NameValidation.dnsLabel(name).map { .invalid(pp + ".name", name, $0) } }
                let number = port["port"].int ?? 0
                if !(1...65535).contains(number) {
                    causes.append(.invalid(pp + ".port", .int(number), PodValidation.portRangeMessage))
                }
                causes += PodValidation.enumValue(port["protocol"], pp + ".protocol", PodValidation.protocols)
            }
        }
        return causes
    }
}
