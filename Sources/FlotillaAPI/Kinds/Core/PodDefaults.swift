import FlotillaCore

/// The defaults Kubernetes fills into pods and pod templates (`SetDefaults_PodSpec`,
/// `SetDefaults_Container`, probe, port, volume and resource defaults). Workload kinds call
/// ``applyToPodTemplate(_:)`` for their `spec.template`.
public enum PodDefaults {
    /// The default file containers write their termination message to.
    public static let terminationMessagePath = "/dev/termination-log"

    /// Fills the defaults of a pod template's `spec` (a template gets no status and no
    /// `enableServiceLinks`, as in Kubernetes).
    public static func applyToPodTemplate(_ template: inout JSON) {
        guard template.object != nil else { return }
        template.fillIfAbsent(["spec"], .emptyObject)
        applyToPodSpec(&template["spec"])
    }

    /// Fills the defaults of a pod spec: restart and DNS policy, scheduler, grace period,
    /// security context, and the defaults of every container, probe, port and volume.
    public static func applyToPodSpec(_ spec: inout JSON) {
        guard spec.object != nil else { return }
        spec.fillIfAbsent(["restartPolicy"], "Always")
        spec.fillIfAbsent(["dnsPolicy"], "ClusterFirst")
        spec.fillIfAbsent(["schedulerName"], "default-scheduler")
        spec.fillIfAbsent(["terminationGracePeriodSeconds"], 30)
        spec.fillIfAbsent(["securityContext"], .emptyObject)
        let hostNetwork = spec["hostNetwork"].bool == true
        for key in ["initContainers", "containers", "ephemeralContainers"] {
            spec.updateEach(key) { container in
                applyToContainer(&container, hostNetwork: hostNetwork, ephemeral: key == "ephemeralContainers")
            }
        }
        spec.updateEach("volumes", applyToVolume)
    }

    /// Fills the defaults of a whole pod: the spec's, `enableServiceLinks`, requests copied
    /// from limits, and the initial status (phase Pending and the QoS class).
    public static func applyToPod(_ pod: inout JSON) {
        guard pod.object != nil else { return }
        pod.fillIfAbsent(["spec"], .emptyObject)
        applyToPodSpec(&pod["spec"])
        pod.fillIfAbsent(["spec", "enableServiceLinks"], true)
        for key in ["initContainers", "containers"] {
            pod["spec"].updateEach(key, copyLimitsToRequests)
        }
        pod.fillIfAbsent(["status", "phase"], "Pending")
        pod.fillIfAbsent(["status", "qosClass"], .string(PodQOS.classify(pod["spec"]).rawValue))
    }

    // MARK: Containers

    static func applyToContainer(_ c: inout JSON, hostNetwork: Bool, ephemeral: Bool) {
        guard c.object != nil else { return }
        if let image = c["image"].string {
            c.fillIfAbsent(["imagePullPolicy"], .string(defaultPullPolicy(image: image)))
        }
        c.fillIfAbsent(["terminationMessagePath"], .string(terminationMessagePath))
        c.fillIfAbsent(["terminationMessagePolicy"], "File")
        c.fillIfAbsent(["resources"], .emptyObject)
        for key in ["limits", "requests"] {
            if let list = c["resources"][key].object {
                c["resources"][key] = .object(list.mapValues(canonicalResourceQuantity))
            }
        }
        c.updateEach("ports") { port in
            guard port.object != nil else { return }
            port.fillIfAbsent(["protocol"], "TCP")
            if hostNetwork, port["hostPort"].int ?? 0 == 0, let containerPort = port["containerPort"].int {
                port["hostPort"] = .int(containerPort)
            }
        }
        c.updateEach("env") { env in
            if env["valueFrom"]["fieldRef"].object != nil { env.fillIfAbsent(["valueFrom", "fieldRef", "apiVersion"], "v1") }
        }
        if !ephemeral {
            for probe in ["livenessProbe", "readinessProbe", "startupProbe"] where c[probe].object != nil {
                applyToProbe(&c[probe])
            }
        }
        for hook in ["postStart", "preStop"] where c["lifecycle"][hook]["httpGet"].object != nil {
            applyToHTTPGet(&c["lifecycle"][hook]["httpGet"])
        }
    }

    /// `Always` for a `latest` or missing tag without a digest, otherwise `IfNotPresent`.
    public static func defaultPullPolicy(image: String) -> String {
        let bytes = image.utf8
        if bytes.contains(UInt8(ascii: "@")) { return "IfNotPresent" }
        let lastSegment = bytes.lastIndex(of: UInt8(ascii: "/")).map { bytes[bytes.index(after: $0)...] } ?? bytes[...]
        guard let colon = lastSegment.lastIndex(of: UInt8(ascii: ":")) else { return "Always" }
        return lastSegment[lastSegment.index(after: colon)...].elementsEqual("latest".utf8) ? "Always" : "IfNotPresent"
    }

    static func applyToProbe(_ probe: inout JSON) {
        probe.fillIfAbsent(["timeoutSeconds"], 1)
        probe.fillIfAbsent(["periodSeconds"], 10)
        probe.fillIfAbsent(["successThreshold"], 1)
        probe.fillIfAbsent(["failureThreshold"], 3)
        if probe["httpGet"].object != nil { applyToHTTPGet(&probe["httpGet"]) }
    }

    static func applyToHTTPGet(_ action: inout JSON) {
        action.fillIfAbsent(["path"], "/")
        action.fillIfAbsent(["scheme"], "HTTP")
    }

    /// A resource quantity rounded up to thousandths and written canonically ("0.5" → "500m"),
    /// as Kubernetes stores requests and limits; values that do not parse are left for
    /// validation to report.
    static func canonicalResourceQuantity(_ value: JSON) -> JSON {
        guard let q = Quantity(json: value) else { return value }
        let rounded = Quantity.ceilDiv(q.nanos, 1_000_000) * 1_000_000
        return .string(Quantity(nanos: rounded, format: q.format).canonical)
    }

    /// Sets each request that is absent to its limit (`SetDefaults_Pod`).
    static func copyLimitsToRequests(_ c: inout JSON) {
        guard let limits = c["resources"]["limits"].object, !limits.isEmpty else { return }
        var requests = c["resources"]["requests"].object ?? [:]
        for (name, limit) in limits where requests[name] == nil { requests[name] = limit }
        c["resources"]["requests"] = .object(requests)
    }

    // MARK: Volumes

    static func applyToVolume(_ volume: inout JSON) {
        guard let members = volume.object else { return }
        if !members.keys.contains(where: { $0 != "name" }) { volume["emptyDir"] = .emptyObject }
        if volume["hostPath"].object != nil { volume.fillIfAbsent(["hostPath", "type"], "") }
        for source in ["configMap", "secret", "downwardAPI", "projected"] where volume[source].object != nil {
            volume.fillIfAbsent([source, "defaultMode"], 420)
        }
        volume["downwardAPI"].updateEach("items", applyToDownwardAPIFile)
        volume["projected"].updateEach("sources") { source in
            source["downwardAPI"].updateEach("items", applyToDownwardAPIFile)
            if source["serviceAccountToken"].object != nil {
                source.fillIfAbsent(["serviceAccountToken", "expirationSeconds"], 3600)
            }
        }
    }

    static func applyToDownwardAPIFile(_ item: inout JSON) {
        if item["fieldRef"].object != nil { item.fillIfAbsent(["fieldRef", "apiVersion"], "v1") }
    }
}
