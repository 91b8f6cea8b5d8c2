// Field numbers are those of Kubernetes' generated.proto; descriptions are Flotilla's own.

extension CoreV1Schemas {
    /// Services and endpoints.
    static let serviceDefinitions: [Definition] = [
        Definition(
            "io.k8s.api.core.v1.Service", "A service: a stable address in front of a set of pods.",
            gvk: [GroupVersionKind("", "v1", "Service")], fields: [
                Field("apiVersion", 0, .string(), "The versioned schema of this object, e.g. v1."),
                Field("kind", 0, .string(), "The kind of this object, e.g. Service."),
                Field("metadata", 1, .ref("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"), "The object's name, namespace, labels and other metadata."),
                Field("spec", 2, .ref("io.k8s.api.core.v1.ServiceSpec"), "What the service should be."),
                Field("status", 3, .ref("io.k8s.api.core.v1.ServiceStatus"), "The service's observed state."),
            ]),
        Definition(
            "io.k8s.api.core.v1.ServiceSpec", "What a service should be.",
            fields: [
                Field("ports", 1, .array(.ref("io.k8s.api.core.v1.ServicePort")), "The ports the service exposes.", patchStrategy: "merge", patchMergeKey: "port", listType: "map", listMapKeys: ["port", "protocol"]),
                Field("selector", 2, .map(.string()), "Labels of the pods that receive the service's traffic."),
                Field("clusterIP", 3, .string(), "The virtual IP address of the service; None for a headless service."),
                Field("clusterIPs", 18, .array(.string()), "The virtual IP addresses of the service, one per IP family.", listType: "atomic"),
                Field("type", 4, .string(), "ClusterIP, NodePort, LoadBalancer or ExternalName."),
                Field("externalIPs", 5, .array(.string()), "Extra IP addresses that nodes accept traffic for."),
                Field("sessionAffinity", 7, .string(), "Whether a client's connections stick to one pod: ClientIP or None."),
                Field("loadBalancerIP", 8, .string(), "Deprecated: a requested load balancer IP."),
                Field("loadBalancerSourceRanges", 9, .array(.string()), "Client IP ranges allowed through the load balancer."),
                Field("externalName", 10, .string(), "The DNS name a service of type ExternalName points at."),
                Field("externalTrafficPolicy", 11, .string(), "How external traffic is routed: Cluster or Local."),
                Field("healthCheckNodePort", 12, .int32, "The node port for load balancer health checks with the Local policy."),
                Field("publishNotReadyAddresses", 13, .boolean, "Whether endpoints include pods that are not ready."),
                Field("sessionAffinityConfig", 14, .ref("io.k8s.api.core.v1.SessionAffinityConfig"), "Settings of session affinity."),
                Field("ipFamilies", 19, .array(.string()), "The IP families of the service, e.g. IPv4.", listType: "atomic"),
                Field("ipFamilyPolicy", 17, .string(), "How many IP families the service uses: SingleStack, PreferDualStack or RequireDualStack.", presence: .pointer),
                Field("allocateLoadBalancerNodePorts", 20, .boolean, "Whether node ports are allocated for a LoadBalancer service.", presence: .pointer),
                Field("loadBalancerClass", 21, .string(), "The load balancer implementation to use.", presence: .pointer),
                Field("internalTrafficPolicy", 22, .string(), "How traffic from inside the cluster is routed: Cluster or Local.", presence: .pointer),
                Field("trafficDistribution", 23, .string(), "A preference for how traffic is spread over endpoints, e.g. PreferClose.", presence: .pointer),
            ]),
        Definition(
            "io.k8s.api.core.v1.ServicePort", "A port a service exposes.",
            fields: [
                Field("name", 1, .string(), "The port's name, unique within the service; required when there are several ports."),
                Field("protocol", 2, .string(), "The protocol: TCP, UDP or SCTP; TCP by default."),
                Field("appProtocol", 6, .string(), "The application protocol carried by the port, e.g. http or kubernetes.io/h2c.", presence: .pointer),
                Field("port", 3, .int32, "The port the service listens on.", required: true),
                Field("targetPort", 4, .intOrString, "The port or named container port on the pods that traffic goes to."),
                Field("nodePort", 5, .int32, "The port on every node that forwards to this service port."),
            ]),
        Definition(
            "io.k8s.api.core.v1.SessionAffinityConfig", "Settings of session affinity.",
            fields: [
                Field("clientIP", 1, .ref("io.k8s.api.core.v1.ClientIPConfig"), "Settings of ClientIP session affinity."),
            ]),
        Definition(
            "io.k8s.api.core.v1.ClientIPConfig", "Settings of ClientIP session affinity.",
            fields: [
                Field("timeoutSeconds", 1, .int32, "How long a client sticks to one pod, in seconds.", presence: .pointer),
            ]),
        Definition(
            "io.k8s.api.core.v1.ServiceStatus", "The observed state of a service.",
            fields: [
                Field("loadBalancer", 1, .ref("io.k8s.api.core.v1.LoadBalancerStatus"), "The load balancer's status."),
                Field("conditions", 2, .array(.ref("io.k8s.apimachinery.pkg.apis.meta.v1.Condition")), "The latest observations of the service.", patchStrategy: "merge", patchMergeKey: "type", listType: "map", listMapKeys: ["type"]),
            ]),
        Definition(
            "io.k8s.api.core.v1.LoadBalancerStatus", "The state of a load balancer.",
            fields: [
                Field("ingress", 1, .array(.ref("io.k8s.api.core.v1.LoadBalancerIngress")), "The addresses of the load balancer."),
            ]),
        Definition(
            "io.k8s.api.core.v1.LoadBalancerIngress", "An address of a load balancer.",
            fields: [
                Field("ip", 1, .string(), "The IP address of the load balancer."),
                Field("hostname", 2, .string(), "The DNS name of the load balancer."),
                Field("ipMode", 3, .string(), "How traffic reaches the load balancer IP: VIP or Proxy.", presence: .pointer),
                Field("ports", 4, .array(.ref("io.k8s.api.core.v1.PortStatus")), "The state of each load balancer port.", listType: "atomic"),
            ]),
        Definition(
            "io.k8s.api.core.v1.PortStatus", "The state of one load balancer port.",
            fields: [
                Field("port", 1, .int32, "The port number.", required: true),
                Field("protocol", 2, .string(), "The port's protocol.", required: true),
                Field("error", 3, .string(), "Why the port is failing, if it is.", presence: .pointer),
            ]),
        Definition(
            "io.k8s.api.core.v1.Endpoints", "The addresses and ports that back a service.",
            gvk: [GroupVersionKind("", "v1", "Endpoints")], fields: [
                Field("apiVersion", 0, .string(), "The versioned schema of this object, e.g. v1."),
                Field("kind", 0, .string(), "The kind of this object, e.g. Endpoints."),
                Field("metadata", 1, .ref("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"), "The object's name, namespace, labels and other metadata."),
                Field("subsets", 2, .array(.ref("io.k8s.api.core.v1.EndpointSubset")), "The sets of addresses and ports behind the service."),
            ]),
        Definition(
            "io.k8s.api.core.v1.EndpointSubset", "A group of addresses sharing the same ports.",
            fields: [
                Field("addresses", 1, .array(.ref("io.k8s.api.core.v1.EndpointAddress")), "Addresses of ready endpoints."),
                Field("notReadyAddresses", 2, .array(.ref("io.k8s.api.core.v1.EndpointAddress")), "Addresses of endpoints that are not ready."),
                Field("ports", 3, .array(.ref("io.k8s.api.core.v1.EndpointPort")), "The ports of the addresses."),
            ]),
        Definition(
            "io.k8s.api.core.v1.EndpointAddress", "One endpoint address.",
            fields: [
                Field("ip", 1, .string(), "The endpoint's IP address.", required: true),
                Field("hostname", 3, .string(), "The endpoint's host name."),
                Field("nodeName", 4, .string(), "The node that hosts the endpoint.", presence: .pointer),
                Field("targetRef", 2, .ref("io.k8s.api.core.v1.ObjectReference"), "The object that provides the endpoint, usually a pod."),
            ]),
        Definition(
            "io.k8s.api.core.v1.EndpointPort", "A port of a set of endpoints.",
            fields: [
                Field("name", 1, .string(), "The port's name, matching a service port name."),
                Field("port", 2, .int32, "The port number.", required: true),
                Field("protocol", 3, .string(), "The protocol: TCP, UDP or SCTP."),
                Field("appProtocol", 4, .string(), "The application protocol carried by the port, e.g. http or kubernetes.io/h2c.", presence: .pointer),
            ]),
    ]
}
