/// The coordination.k8s.io/v1 Lease and the discovery.k8s.io/v1 EndpointSlice definitions.
///
/// Field numbers are those of Kubernetes' `coordination/v1` and `discovery/v1` generated.proto.
enum CoordinationDiscoverySchemas {
    static let definitions: [Definition] = [
        lease, leaseSpec,
        endpointSlice, endpoint, endpointConditions, endpointHints, forZone, endpointPort,
    ]

    static let coordination = "io.k8s.api.coordination.v1."
    static let discovery = "io.k8s.api.discovery.v1."

    // MARK: Lease

    static let lease = Definition(
        coordination + "Lease", "A time-limited claim, renewed by its holder: node heartbeats and leader election.",
        gvk: [GroupVersionKind("coordination.k8s.io", "v1", "Lease")],
        fields: KindFields.object(spec: coordination + "LeaseSpec"))

    static let leaseSpec = Definition(
        coordination + "LeaseSpec", "Who holds a lease and until when.",
        fields: [
            Field("holderIdentity", 1, .string(), "The current holder.", presence: .pointer),
            Field("leaseDurationSeconds", 2, .int32, "Seconds after renewTime before others may take the lease.", presence: .pointer),
            Field("acquireTime", 3, .microTime, "When the current holder took the lease."),
            Field("renewTime", 4, .microTime, "When the holder last renewed the lease."),
            Field("leaseTransitions", 5, .int32, "How many times the lease changed holders.", presence: .pointer),
            Field("strategy", 6, .string(), "The leader-election strategy when coordinated election is used.", presence: .pointer),
            Field("preferredHolder", 7, .string(), "The holder the lease should pass to when coordinated election is used.", presence: .pointer),
        ])

    // MARK: EndpointSlice

    static let endpointSlice = Definition(
        discovery + "EndpointSlice", "A subset of the network endpoints behind a service.",
        gvk: [GroupVersionKind("discovery.k8s.io", "v1", "EndpointSlice")],
        fields: KindFields.object() + [
            Field("addressType", 4, .string(enumValues: ["FQDN", "IPv4", "IPv6"]), "IPv4, IPv6 or FQDN; immutable.", required: true),
            Field("endpoints", 2, .array(.ref(discovery + "Endpoint")), "Up to 1000 endpoints.", required: true, listType: "atomic"),
            Field("ports", 3, .array(.ref(discovery + "EndpointPort")), "Ports each endpoint exposes; none means none are defined.", listType: "atomic"),
        ])

    static let endpoint = Definition(
        discovery + "Endpoint", "One backend of a service.",
        fields: [
            Field("addresses", 1, .array(.string()), "The endpoint's addresses, of the slice's address type.", required: true, listType: "set"),
            Field("conditions", 2, .ref(discovery + "EndpointConditions"), "Whether the endpoint is ready, serving or terminating."),
            Field("hostname", 3, .string(), "A DNS label naming this endpoint.", presence: .pointer),
            Field("targetRef", 4, .ref(KindFields.objectReference), "The object (usually a pod) behind this endpoint."),
            Field("deprecatedTopology", 5, .map(.string()), "Topology labels of the older API; ignored on write."),
            Field("nodeName", 6, .string(), "The node hosting this endpoint.", presence: .pointer),
            Field("zone", 7, .string(), "The zone this endpoint is in.", presence: .pointer),
            Field("hints", 8, .ref(discovery + "EndpointHints"), "How consumers should route to this endpoint."),
        ])

    static let endpointConditions = Definition(
        discovery + "EndpointConditions", "The readiness of an endpoint.",
        fields: [
            Field("ready", 1, .boolean, "Whether the endpoint should receive traffic.", presence: .pointer),
            Field("serving", 2, .boolean, "Like ready, but also true while the endpoint terminates.", presence: .pointer),
            Field("terminating", 3, .boolean, "Whether the endpoint is terminating.", presence: .pointer),
        ])

    static let endpointHints = Definition(
        discovery + "EndpointHints", "Routing hints for an endpoint.",
        fields: [
            Field("forZones", 1, .array(.ref(discovery + "ForZone")), "Zones that should use this endpoint.", listType: "atomic"),
        ])

    static let forZone = Definition(
        discovery + "ForZone", "A zone that should use an endpoint.",
        fields: [Field("name", 1, .string(), "The zone name.", required: true)])

    static let endpointPort = Definition(
        discovery + "EndpointPort", "A port exposed by the endpoints of a slice.",
        fields: [
            Field("name", 1, .string(), "The port name, unique in the slice; matches the service port's name.", presence: .pointer),
            Field("protocol", 2, .string(enumValues: ["SCTP", "TCP", "UDP"]), "TCP (the default), UDP or SCTP.", presence: .pointer),
            Field("port", 3, .int32, "The port number; unset means all ports.", presence: .pointer),
            Field("appProtocol", 4, .string(), "The application protocol, e.g. http or kubernetes.io/h2c.", presence: .pointer),
        ])
}
