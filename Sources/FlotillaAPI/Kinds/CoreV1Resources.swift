import FlotillaCore

/// The core/v1 resources, contributed to ``ResourceCatalog``.
public enum CoreV1Resources {
    public static let all: [ResourceDefinition] = [
        namespaces, pods, podTemplates, nodes, services, endpoints, configMaps, secrets, events, serviceAccounts,
        persistentVolumes, persistentVolumeClaims, resourceQuotas, limitRanges,
    ]

    static let prefix = "io.k8s.api.core.v1."
    static let readWrite = ["get", "patch", "update"]

    static func subresource(_ name: String, _ group: String, _ version: String, _ kind: String, _ verbs: [String])
        -> ResourceDefinition.Subresource
    {
        ResourceDefinition.Subresource(name, kind: GroupVersionKind(group, version, kind), verbs: verbs)
    }

    static func status(_ kind: String) -> ResourceDefinition.Subresource {
        subresource("status", "", "v1", kind, readWrite)
    }

    static let namespaces = ResourceDefinition(
        group: "", version: "v1", kind: "Namespace", plural: "namespaces", namespaced: false, shortNames: ["ns"],
        verbs: ["create", "delete", "get", "list", "patch", "update", "watch"],
        subresources: [status("Namespace"), subresource("finalize", "", "v1", "Namespace", ["update"])],
        schema: prefix + "Namespace", nameRule: .dnsLabel, hasStatusSubresource: true,
        columns: ConfigColumns.namespaces,
        defaulter: { CoreDefaults.namespace(&$0) },
        validator: { CoreValidation.namespace($0, old: $1) })

    static let pods = ResourceDefinition(
        group: "", version: "v1", kind: "Pod", plural: "pods", namespaced: true, shortNames: ["po"], categories: ["all"],
        subresources: [
            status("Pod"),
            subresource("binding", "", "v1", "Binding", ["create"]),
            subresource("eviction", "policy", "v1", "Eviction", ["create"]),
            subresource("log", "", "v1", "Pod", ["get"]),
            subresource("exec", "", "v1", "Pod", ["create", "get"]),
            subresource("attach", "", "v1", "Pod", ["create", "get"]),
            subresource("portforward", "", "v1", "Pod", ["create", "get"]),
            subresource("ephemeralcontainers", "", "v1", "Pod", readWrite),
        ],
        schema: prefix + "Pod", hasStatusSubresource: true,
        columns: PodColumns.all,
        selectableFields: [
            "spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "spec.hostNetwork",
            "status.phase", "status.podIP", "status.nominatedNodeName",
        ],
        defaulter: { PodDefaults.applyToPod(&$0) },
        validator: { PodValidation.validatePod($0, old: $1) })

    static let podTemplates = ResourceDefinition(
        group: "", version: "v1", kind: "PodTemplate", plural: "podtemplates", namespaced: true,
        schema: prefix + "PodTemplate", hasSpec: false,
        columns: ConfigColumns.podTemplates,
        defaulter: { CoreDefaults.podTemplate(&$0) },
        validator: { object, _ in PodValidation.validatePodTemplate(object["template"], path: "template") })

    static let nodes = ResourceDefinition(
        group: "", version: "v1", kind: "Node", plural: "nodes", namespaced: false, shortNames: ["no"],
        subresources: [status("Node"), subresource("proxy", "", "v1", "Node", ["create", "delete", "get", "patch", "update"])],
        schema: prefix + "Node", hasStatusSubresource: true,
        columns: NodeColumns.all,
        selectableFields: ["spec.unschedulable"],
        defaulter: { CoreDefaults.node(&$0) },
        validator: { CoreValidation.node($0, old: $1) })

    static let services = ResourceDefinition(
        group: "", version: "v1", kind: "Service", plural: "services", namespaced: true, shortNames: ["svc"],
        categories: ["all"],
        verbs: ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
        subresources: [status("Service"), subresource("proxy", "", "v1", "Service", ["create", "delete", "get", "patch", "update"])],
        schema: prefix + "Service", nameRule: .dns1035Label, hasStatusSubresource: true,
        columns: ServiceColumns.services,
        defaulter: { CoreDefaults.service(&$0) },
        validator: { ServiceValidation.validateService($0, old: $1) })

    static let endpoints = ResourceDefinition(
        group: "", version: "v1", kind: "Endpoints", plural: "endpoints", singular: "endpoints", namespaced: true,
        shortNames: ["ep"],
        schema: prefix + "Endpoints", hasSpec: false,
        columns: ServiceColumns.endpoints,
        defaulter: { CoreDefaults.endpoints(&$0) },
        validator: { ServiceValidation.validateEndpoints($0, old: $1) })

    static let configMaps = ResourceDefinition(
        group: "", version: "v1", kind: "ConfigMap", plural: "configmaps", namespaced: true, shortNames: ["cm"],
        schema: prefix + "ConfigMap", hasSpec: false,
        columns: ConfigColumns.configMaps,
        validator: { CoreValidation.configMap($0, old: $1) })

    static let secrets = ResourceDefinition(
        group: "", version: "v1", kind: "Secret", plural: "secrets", namespaced: true,
        schema: prefix + "Secret", hasSpec: false,
        columns: ConfigColumns.secrets,
        selectableFields: ["type"],
        defaulter: { CoreDefaults.secret(&$0) },
        validator: { CoreValidation.secret($0, old: $1) })

    static let events = ResourceDefinition(
        group: "", version: "v1", kind: "Event", plural: "events", namespaced: true, shortNames: ["ev"],
        schema: prefix + "Event", hasSpec: false,
        columns: EventColumns.all,
        selectableFields: [
            "involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
            "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason",
            "reportingComponent", "source", "type",
        ],
        validator: { CoreValidation.event($0, old: $1) })

    static let serviceAccounts = ResourceDefinition(
        group: "", version: "v1", kind: "ServiceAccount", plural: "serviceaccounts", namespaced: true, shortNames: ["sa"],
        subresources: [subresource("token", "authentication.k8s.io", "v1", "TokenRequest", ["create"])],
        schema: prefix + "ServiceAccount", hasSpec: false,
        columns: ConfigColumns.serviceAccounts)

    static let persistentVolumes = ResourceDefinition(
        group: "", version: "v1", kind: "PersistentVolume", plural: "persistentvolumes", namespaced: false,
        shortNames: ["pv"],
        subresources: [status("PersistentVolume")],
        schema: prefix + "PersistentVolume", hasStatusSubresource: true,
        columns: StorageColumns.persistentVolumes,
        defaulter: { CoreDefaults.persistentVolume(&$0) },
        validator: { CoreValidation.persistentVolume($0, old: $1) })

    static let persistentVolumeClaims = ResourceDefinition(
        group: "", version: "v1", kind: "PersistentVolumeClaim", plural: "persistentvolumeclaims", namespaced: true,
        shortNames: ["pvc"],
        subresources: [status("PersistentVolumeClaim")],
        schema: prefix + "PersistentVolumeClaim", hasStatusSubresource: true,
        columns: StorageColumns.persistentVolumeClaims,
        defaulter: { CoreDefaults.persistentVolumeClaim(&$0) },
        validator: { CoreValidation.persistentVolumeClaim($0, old: $1) })

    static let resourceQuotas = ResourceDefinition(
        group: "", version: "v1", kind: "ResourceQuota", plural: "resourcequotas", namespaced: true,
        shortNames: ["quota"],
        subresources: [status("ResourceQuota")],
        schema: prefix + "ResourceQuota", hasStatusSubresource: true,
        columns: ConfigColumns.resourceQuotas,
        validator: { CoreValidation.resourceQuota($0, old: $1) })

    static let limitRanges = ResourceDefinition(
        group: "", version: "v1", kind: "LimitRange", plural: "limitranges", namespaced: true, shortNames: ["limits"],
        schema: prefix + "LimitRange",
        columns: ConfigColumns.limitRanges,
        defaulter: { CoreDefaults.limitRange(&$0) },
        validator: { CoreValidation.limitRange($0, old: $1) })
}
