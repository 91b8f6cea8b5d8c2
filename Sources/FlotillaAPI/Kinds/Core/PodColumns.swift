import FlotillaCore
import Foundation

/// The `kubectl get pods` columns: READY, STATUS, RESTARTS, AGE, and with `-o wide` IP, NODE,
/// NOMINATED NODE and READINESS GATES, computed as kubectl's pod printer does.
public enum PodColumns {
    /// The columns after NAME.
    public static let all: [TableColumn] = [
        TableColumn("Ready", description: "Ready containers out of all containers.") { pod, _ in
            .string(summary(pod).ready)
        },
        TableColumn("Status", description: "The pod's phase or the reason it is not running.") { pod, _ in
            .string(summary(pod).status)
        },
        TableColumn("Restarts", description: "Container restarts, with the time since the last one.") { pod, now in
            let s = summary(pod)
            guard s.restarts != 0, let last = s.lastRestart else { return .string(String(s.restarts)) }
            return .string("\(s.restarts) (\(HumanDuration.format(now.timeIntervalSince(last))) ago)")
        },
        .age,
        TableColumn("IP", description: "The pod's IP address.", priority: 1) { pod, _ in
            let ip = pod["status"]["podIPs"][0]["ip"].string ?? pod["status"]["podIP"].string ?? ""
            return .string(ip.isEmpty ? "<none>" : ip)
        },
        TableColumn("Node", description: "The node the pod is bound to.", priority: 1) { pod, _ in
            TableCells.text(pod["spec"]["nodeName"], or: "<none>")
        },
        TableColumn("Nominated Node", description: "The node the pod may run on after preemption.", priority: 1) { pod, _ in
            TableCells.text(pod["status"]["nominatedNodeName"], or: "<none>")
        },
        TableColumn("Readiness Gates", description: "Readiness gates that are true, out of all.", priority: 1) { pod, _ in
            .string(readinessGates(pod))
        },
    ]

    /// What the first columns show for a pod.
    public struct Summary: Equatable, Sendable {
        /// "ready/total".
        public var ready: String
        /// The STATUS cell.
        public var status: String
        /// The RESTARTS count.
        public var restarts: Int64
        /// When a container last ended before a restart, if known.
        public var lastRestart: Date?
    }

    /// The READY, STATUS and RESTARTS facts of a pod, following kubectl's pod printer.
    public static func summary(_ pod: JSON) -> Summary {
        let spec = pod["spec"]
        let status = pod["status"]
        let initSpecs = spec["initContainers"].array ?? []
        var sidecars = Set<String>()
        for c in initSpecs where c["restartPolicy"].string == "Always" {
            if let name = c["name"].string { sidecars.insert(name) }
        }
        let total = (spec["containers"].array?.count ?? 0) + sidecars.count
        var ready = 0
        var restarts: Int64 = 0
        var sidecarRestarts: Int64 = 0
        var lastRestart: Date?
        var lastSidecarRestart: Date?
        var reason = status["reason"].string.flatMap { $0.isEmpty ? nil : $0 } ?? status["phase"].string ?? ""
        for condition in status["conditions"].array ?? []
        where condition["type"].string == "PodScheduled" && condition["reason"].string == "SchedulingGated" {
            reason = "SchedulingGated"
        }

        var initializing = false
        let initStatuses = status["initContainerStatuses"].array ?? []
        for (i, c) in initStatuses.enumerated() {
            restarts += c["restartCount"].int ?? 0
            let finished = lastTermination(c)
            lastRestart = later(lastRestart, finished)
            let isSidecar = sidecars.contains(c["name"].string ?? "")
            if isSidecar {
                sidecarRestarts += c["restartCount"].int ?? 0
                lastSidecarRestart = later(lastSidecarRestart, finished)
            }
            let terminated = c["state"]["terminated"]
            let waiting = c["state"]["waiting"]
            if terminated.object != nil && terminated["exitCode"].int ?? 0 == 0 { continue }
            if isSidecar && c["started"].bool == true {
                if c["ready"].bool == true { ready += 1 }
                continue
            }
            if terminated.object != nil {
                if let r = terminated["reason"].string, !r.isEmpty {
                    reason = "Init:" + r
                } else if let signal = terminated["signal"].int, signal != 0 {
                    reason = "Init:Signal:\(signal)"
                } else {
                    reason = "Init:ExitCode:\(terminated["exitCode"].int ?? 0)"
                }
            } else if let r = waiting["reason"].string, !r.isEmpty, r != "PodInitializing" {
                reason = "Init:" + r
            } else {
                reason = "Init:\(i)/\(initSpecs.count)"
            }
            initializing = true
            break
        }

        let initialized = (status["conditions"].array ?? []).contains {
            $0["type"].string == "Initialized" && $0["status"].string == "True"
        }
        if !initializing || initialized {
            restarts = sidecarRestarts
            lastRestart = lastSidecarRestart
            var hasRunning = false
            for c in (status["containerStatuses"].array ?? []).reversed() {
                restarts += c["restartCount"].int ?? 0
                lastRestart = later(lastRestart, lastTermination(c))
                let waiting = c["state"]["waiting"]
                let terminated = c["state"]["terminated"]
                if let r = waiting["reason"].string, !r.isEmpty {
                    reason = r
                } else if let r = terminated["reason"].string, !r.isEmpty {
                    reason = r
                } else if terminated.object != nil {
                    if let signal = terminated["signal"].int, signal != 0 {
                        reason = "Signal:\(signal)"
                    } else {
                        reason = "ExitCode:\(terminated["exitCode"].int ?? 0)"
                    }
                } else if c["ready"].bool == true && c["state"]["running"].object != nil {
                    hasRunning = true
                    ready += 1
                }
            }
            if reason == "Completed" && hasRunning {
                let podReady = (status["conditions"].array ?? []).contains {
                    $0["type"].string == "Ready" && $0["status"].string == "True"
                }
                reason = podReady ? "Running" : "NotReady"
            }
        }

        if !pod["metadata"]["deletionTimestamp"].isNull {
            let phase = status["phase"].string ?? ""
            if status["reason"].string == "NodeLost" {
                reason = "Unknown"
            } else if phase != "Succeeded" && phase != "Failed" {
                reason = "Terminating"
            }
        }
        return Summary(ready: "\(ready)/\(total)", status: reason, restarts: restarts, lastRestart: lastRestart)
    }

    /// "true/total" readiness gates, or "<none>" when the pod has none.
    static func readinessGates(_ pod: JSON) -> String {
        let gates = pod["spec"]["readinessGates"].array ?? []
        if gates.isEmpty { return "<none>" }
        let conditions = pod["status"]["conditions"].array ?? []
        var trueCount = 0
        for gate in gates {
            if let c = conditions.first(where: { $0["type"] == gate["conditionType"] }), c["status"].string == "True" {
                trueCount += 1
            }
        }
        return "\(trueCount)/\(gates.count)"
    }

    private static func lastTermination(_ status: JSON) -> Date? {
        status["lastState"]["terminated"]["finishedAt"].string.flatMap(Timestamp.parse)
    }

    private static func later(_ a: Date?, _ b: Date?) -> Date? {
        guard let a else { return b }
        guard let b else { return a }
        return max(a, b)
    }
}
