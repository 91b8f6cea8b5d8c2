// Field numbers are those of Kubernetes' generated.proto; descriptions are Flotilla's own.

extension CoreV1Schemas {
    /// Probes and lifecycle hooks of containers.
    static let probeDefinitions: [Definition] = [
        Definition(
            "io.k8s.api.core.v1.Probe", "A health check of a container. The handler members (exec, httpGet, tcpSocket, grpc) are inlined.",
            fields: [
                Field("exec", 0, .ref("io.k8s.api.core.v1.ExecAction"), "Runs a command inside the container."),
                Field("httpGet", 0, .ref("io.k8s.api.core.v1.HTTPGetAction"), "Sends an HTTP GET request."),
                Field("tcpSocket", 0, .ref("io.k8s.api.core.v1.TCPSocketAction"), "Opens a TCP connection."),
                Field("grpc", 0, .ref("io.k8s.api.core.v1.GRPCAction"), "Calls the gRPC health checking service."),
                Field("initialDelaySeconds", 2, .int32, "Seconds after the container starts before the first probe."),
                Field("timeoutSeconds", 3, .int32, "Seconds after which the probe times out."),
                Field("periodSeconds", 4, .int32, "Seconds between probes."),
                Field("successThreshold", 5, .int32, "Consecutive successes needed to count as succeeding after a failure."),
                Field("failureThreshold", 6, .int32, "Consecutive failures needed to count as failing."),
                Field("terminationGracePeriodSeconds", 7, .int64, "Grace period used when the probe's failure kills the container.", presence: .pointer),
            ]),
        Definition(
            "io.k8s.api.core.v1.ProbeHandler", "The action of a probe; exactly one member is set. Inlined into Probe in JSON.",
            fields: [
                Field("exec", 1, .ref("io.k8s.api.core.v1.ExecAction"), "Runs a command inside the container."),
                Field("httpGet", 2, .ref("io.k8s.api.core.v1.HTTPGetAction"), "Sends an HTTP GET request."),
                Field("tcpSocket", 3, .ref("io.k8s.api.core.v1.TCPSocketAction"), "Opens a TCP connection."),
                Field("grpc", 4, .ref("io.k8s.api.core.v1.GRPCAction"), "Calls the gRPC health checking service."),
            ]),
        Definition(
            "io.k8s.api.core.v1.ExecAction", "Runs a command in the container; exit status 0 is success.",
            fields: [
                Field("command", 1, .array(.string()), "The command to run, not in a shell."),
            ]),
        Definition(
            "io.k8s.api.core.v1.HTTPGetAction", "An HTTP GET request; a status from 200 to 399 is success.",
            fields: [
                Field("path", 1, .string(), "The path to request."),
                Field("port", 2, .intOrString, "The port number or name to connect to.", required: true),
                Field("host", 3, .string(), "The host to connect to; the pod IP by default."),
                Field("scheme", 4, .string(), "The scheme to use: HTTP or HTTPS."),
                Field("httpHeaders", 5, .array(.ref("io.k8s.api.core.v1.HTTPHeader")), "Extra headers to send."),
            ]),
        Definition(
            "io.k8s.api.core.v1.HTTPHeader", "A header of an HTTP probe request.",
            fields: [
                Field("name", 1, .string(), "The header name.", required: true),
                Field("value", 2, .string(), "The header value.", required: true),
            ]),
        Definition(
            "io.k8s.api.core.v1.TCPSocketAction", "Opens a TCP connection; success when it connects.",
            fields: [
                Field("port", 1, .intOrString, "The port number or name to connect to.", required: true),
                Field("host", 2, .string(), "The host to connect to; the pod IP by default."),
            ]),
        Definition(
            "io.k8s.api.core.v1.GRPCAction", "A gRPC health check request.",
            fields: [
                Field("port", 1, .int32, "The port number of the gRPC service.", required: true),
                Field("service", 2, .string(), "The name of the service passed in the gRPC health check request.", presence: .pointer),
            ]),
        Definition(
            "io.k8s.api.core.v1.Lifecycle", "Actions run when a container starts and stops.",
            fields: [
                Field("postStart", 1, .ref("io.k8s.api.core.v1.LifecycleHandler"), "Runs right after the container is created."),
                Field("preStop", 2, .ref("io.k8s.api.core.v1.LifecycleHandler"), "Runs before the container is terminated."),
            ]),
        Definition(
            "io.k8s.api.core.v1.LifecycleHandler", "The action of a lifecycle hook; exactly one member is set.",
            fields: [
                Field("exec", 1, .ref("io.k8s.api.core.v1.ExecAction"), "Runs a command inside the container."),
                Field("httpGet", 2, .ref("io.k8s.api.core.v1.HTTPGetAction"), "Sends an HTTP GET request."),
                Field("tcpSocket", 3, .ref("io.k8s.api.core.v1.TCPSocketAction"), "Opens a TCP connection."),
                Field("sleep", 4, .ref("io.k8s.api.core.v1.SleepAction"), "Waits for a number of seconds."),
            ]),
        Definition(
            "io.k8s.api.core.v1.SleepAction", "Waits a number of seconds.",
            fields: [
                Field("seconds", 1, .int64, "The number of seconds.", required: true),
            ]),
    ]
}
