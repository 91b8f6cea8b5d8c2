import FlotillaCore

/// The probes of one container.
public struct ContainerProbes: Sendable, Equatable {
    public var liveness: Probe?
    public var readiness: Probe?
    public var startup: Probe?

    public init(liveness: Probe? = nil, readiness: Probe? = nil, startup: Probe? = nil) {
        self.liveness = liveness
        self.readiness = readiness
        self.startup = startup
    }

    /// Reads `livenessProbe`, `readinessProbe` and `startupProbe` of a container.
    init(container: JSON) {
        let ports = container["ports"]
        liveness = Probe(json: container["livenessProbe"], ports: ports)
        readiness = Probe(json: container["readinessProbe"], ports: ports)
        startup = Probe(json: container["startupProbe"], ports: ports)
    }

    public var isEmpty: Bool { liveness == nil && readiness == nil && startup == nil }
}
