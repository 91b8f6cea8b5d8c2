import FlotillaCore

/// The rbac.authorization.k8s.io/v1 resources: roles, cluster roles and their bindings, with
/// defaults, validation and columns.
enum RBACResources {
    static let group = "rbac.authorization.k8s.io"

    static let roles = ResourceDefinition(
        group: group, version: "v1", kind: "Role", plural: "roles", namespaced: true,
        schema: RBACSchemas.prefix + "Role", nameRule: .pathSegment, hasSpec: false,
        columns: [createdAt], validator: { object, _ in rules(object["rules"], namespaced: true) })

    static let clusterRoles = ResourceDefinition(
        group: group, version: "v1", kind: "ClusterRole", plural: "clusterroles", namespaced: false,
        schema: RBACSchemas.prefix + "ClusterRole", nameRule: .pathSegment, hasSpec: false,
        columns: [createdAt], validator: { object, _ in clusterRole(object) })

    static let roleBindings = ResourceDefinition(
        group: group, version: "v1", kind: "RoleBinding", plural: "rolebindings", namespaced: true,
        schema: RBACSchemas.prefix + "RoleBinding", nameRule: .pathSegment, hasSpec: false,
        columns: bindingColumns, defaulter: { bindingDefaults(&$0) },
        validator: { binding($0, $1, roleKinds: ["Role", "ClusterRole"], namespaced: true) })

    static let clusterRoleBindings = ResourceDefinition(
        group: group, version: "v1", kind: "ClusterRoleBinding", plural: "clusterrolebindings", namespaced: false,
        schema: RBACSchemas.prefix + "ClusterRoleBinding", nameRule: .pathSegment, hasSpec: false,
        columns: bindingColumns, defaulter: { bindingDefaults(&$0) },
        validator: { binding($0, $1, roleKinds: ["ClusterRole"], namespaced: false) })

    static let all = [roles, clusterRoles, roleBindings, clusterRoleBindings]

    // MARK: Defaults

    /// roleRef.apiGroup is the RBAC group; subjects' apiGroup is "" for service accounts and
    /// the RBAC group for users and groups.
    static func bindingDefaults(_ object: inout JSON) {
        if (object[path: ["roleRef", "apiGroup"]].string ?? "").isEmpty, object["roleRef"].object != nil {
            object[path: ["roleRef", "apiGroup"]] = .string(group)
        }
        object.updateEach("subjects") { subject in
            guard subject.object != nil, (subject["apiGroup"].string ?? "").isEmpty else { return }
            switch subject["kind"].string {
            case "ServiceAccount": subject["apiGroup"] = ""
            case "User", "Group": subject["apiGroup"] = .string(group)
            default: break
            }
        }
    }

    // MARK: Validation

    static func clusterRole(_ object: JSON) -> [FlotillaError.Cause] {
        var causes = rules(object["rules"], namespaced: false)
        let aggregation = object["aggregationRule"]
        if !aggregation.isNull {
            let selectors = aggregation["clusterRoleSelectors"].array ?? []
            if selectors.isEmpty {
                causes.append(.required("aggregationRule.clusterRoleSelectors", "at least one clusterRoleSelector required if aggregationRule is non-nil"))
            }
            for (i, selector) in selectors.enumerated() {
                causes += ObjectMetaValidation.validateLabelSelector(selector, path: "aggregationRule.clusterRoleSelectors[\(i)]")
            }
        }
        return causes
    }

    /// Every rule has verbs; a resource rule names API groups and resources; a non-resource
    /// rule appears only in cluster roles and names nothing else.
    static func rules(_ rules: JSON, namespaced: Bool) -> [FlotillaError.Cause] {
        var causes: [FlotillaError.Cause] = []
        for (i, rule) in (rules.array ?? []).enumerated() {
            let path = "rules[\(i)]"
            func count(_ key: String) -> Int { rule[key].array?.count ?? 0 }
            if count("verbs") == 0 {
                causes.append(.required(path + ".verbs", "verbs must contain at least one value"))
            }
            if count("nonResourceURLs") > 0 {
                if namespaced {
                    causes.append(.invalid(path + ".nonResourceURLs", rule["nonResourceURLs"], "namespaced rules cannot apply to non-resource URLs"))
                }
                if count("apiGroups") > 0 || count("resources") > 0 || count("resourceNames") > 0 {
                    causes.append(.invalid(path + ".nonResourceURLs", rule["nonResourceURLs"], "rules cannot apply to both regular resources and non-resource URLs"))
                }
                continue
            }
            if count("apiGroups") == 0 {
                causes.append(.required(path + ".apiGroups", "resource rules must supply at least one api group"))
            }
            if count("resources") == 0 {
                causes.append(.required(path + ".resources", "resource rules must supply at least one resource"))
            }
        }
        return causes
    }

    /// roleRef names a role of an allowed kind in the RBAC group and never changes; each
    /// subject is a valid user, group or service account.
    static func binding(_ object: JSON, _ old: JSON?, roleKinds: [String], namespaced: Bool) -> [FlotillaError.Cause] {
        var causes: [FlotillaError.Cause] = []
        let ref = object["roleRef"]
        let apiGroup = ref["apiGroup"].string ?? ""
        if apiGroup != group { causes.append(.notSupported("roleRef.apiGroup", apiGroup, [group])) }
        let kind = ref["kind"].string ?? ""
        if !roleKinds.contains(kind) { causes.append(.notSupported("roleRef.kind", kind, roleKinds)) }
        let name = ref["name"].string ?? ""
        if name.isEmpty {
            causes.append(.required("roleRef.name"))
        } else {
            for message in NameValidation.pathSegmentName(name) { causes.append(.invalid("roleRef.name", name, message)) }
        }
        for (i, subject) in (object["subjects"].array ?? []).enumerated() {
            causes += validateSubject(subject, namespaced: namespaced, path: "subjects[\(i)]")
        }
        if let old, !old["roleRef"].isEquivalent(to: ref) {
            causes.append(.invalid("roleRef", ref, "cannot change roleRef"))
        }
        return causes
    }

    private static func validateSubject(_ subject: JSON, namespaced: Bool, path: String) -> [FlotillaError.Cause] {
        var causes: [FlotillaError.Cause] = []
        let name = subject["name"].string ?? ""
        if name.isEmpty { causes.append(.required(path + ".name")) }
        let apiGroup = subject["apiGroup"].string ?? ""
        switch subject["kind"].string ?? "" {
        case "ServiceAccount":
            if !name.isEmpty {
                for message in NameValidation.dnsSubdomain(name) { causes.append(.invalid(path + ".name", name, message)) }
            }
            if !apiGroup.isEmpty { causes.append(.notSupported(path + ".apiGroup", apiGroup, [""])) }
            if !namespaced && (subject["namespace"].string ?? "").isEmpty { causes.append(.required(path + ".namespace")) }
        case "User", "Group":
            if apiGroup != group { causes.append(.notSupported(path + ".apiGroup", apiGroup, [group])) }
        case let other:
            causes.append(.notSupported(path + ".kind", other, ["ServiceAccount", "User", "Group"]))
        }
        return causes
    }

    // MARK: Columns

    /// CREATED AT: the creation time in RFC 3339.
    static let createdAt = TableColumn("Created At", type: "date", description: "When the object was created.") { o, _ in
        .string(o[path: ["metadata", "creationTimestamp"]].string ?? "")
    }

    static let bindingColumns: [TableColumn] = [
        TableColumn("Role", description: "The role granted, as Kind/name.") { o, _ in
            .string("\(o[path: ["roleRef", "kind"]].string ?? "")/\(o[path: ["roleRef", "name"]].string ?? "")")
        },
        .age,
        subjectsColumn("Users", kind: "User"),
        subjectsColumn("Groups", kind: "Group"),
        subjectsColumn("ServiceAccounts", kind: "ServiceAccount"),
    ]

    /// A wide column listing the subjects of one kind; service accounts as `namespace/name`.
    static func subjectsColumn(_ name: String, kind: String) -> TableColumn {
        TableColumn(name, description: "Subjects of kind \(kind).", priority: 1) { o, _ in
            let names = (o["subjects"].array ?? []).filter { $0["kind"].string == kind }.map { s -> String in
                let n = s["name"].string ?? ""
                return kind == "ServiceAccount" ? "\(s["namespace"].string ?? "")/\(n)" : n
            }
            return .string(names.joined(separator: ", "))
        }
    }
}
