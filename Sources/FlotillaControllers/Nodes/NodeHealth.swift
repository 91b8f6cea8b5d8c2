import FlotillaClient
import FlotillaCore
import Foundation

/// What the node lifecycle pass reads of a node, read out of each node version once (by the
/// node informer's cache, ``summarize(_:)``): the pass runs every two seconds over every node,
/// and most nodes have not changed since the last one.
final class NodeHealth: Sendable {
    /// The status of the Ready condition, and its reason.
    let readyStatus: String?
    let readyReason: String?
    /// When the node last reported itself, or was created: what counts when it has no lease.
    let reportedAt: Date?
    /// Which of the lifecycle taints the node carries.
    let taints: LifecycleTaints
    let hasNoExecuteTaint: Bool

    /// The effects with which the node carries the unreachable and the not-ready taint.
    struct LifecycleTaints: Sendable {
        var unreachable: Set<String> = []
        var notReady: Set<String> = []

        init(_ taints: [JSON]) {
            for taint in taints {
                let effect = taint["effect"].string ?? ""
                switch taint["key"].string {
                case NodeLifecycleController.unreachableTaint: unreachable.insert(effect)
                case NodeLifecycleController.notReadyTaint: notReady.insert(effect)
                default: continue
                }
            }
        }

        /// Whether they are as the lifecycle pass wants them: a wanted taint with both its
        /// NoSchedule and NoExecute effect, an unwanted one with none.
        func areAsWanted(unreachable wantUnreachable: Bool, notReady wantNotReady: Bool) -> Bool {
            Self.isAsWanted(unreachable, wantUnreachable) && Self.isAsWanted(notReady, wantNotReady)
        }

        private static func isAsWanted(_ effects: Set<String>, _ wanted: Bool) -> Bool {
            wanted ? effects.contains("NoSchedule") && effects.contains("NoExecute") : effects.isEmpty
        }
    }

    init(_ node: JSON) {
        let ready = (node["status"]["conditions"].array ?? []).first { $0["type"].string == "Ready" }
        readyStatus = ready?["status"].string
        readyReason = ready?["reason"].string
        reportedAt = ready?["lastHeartbeatTime"].string.flatMap(Timestamp.parse)
            ?? node["metadata"]["creationTimestamp"].string.flatMap(Timestamp.parse)
        taints = LifecycleTaints(node["spec"]["taints"].array ?? [])
        hasNoExecuteTaint = NoExecuteEviction.hasNoExecuteTaint(node)
    }

    /// The health of a cache entry's node, read when the cache stored it if it did.
    static func of(_ entry: ObjectCache.Entry) -> NodeHealth {
        (entry.summary as? NodeHealth) ?? NodeHealth(entry.object)
    }

    /// The summary the node informer's cache keeps of every node.
    static func summarize(_ node: JSON) -> any AnyObject & Sendable { NodeHealth(node) }
}

/// When a node's Lease was last renewed, read once per lease version.
final class LeaseRenewal: Sendable {
    let renewTime: Date?

    init(_ lease: JSON) {
        renewTime = lease["spec"]["renewTime"].string.flatMap(Timestamp.parse)
    }

    /// The renew time of a cache entry's lease, read when the cache stored it if it did.
    static func renewTime(of entry: ObjectCache.Entry) -> Date? {
        ((entry.summary as? LeaseRenewal) ?? LeaseRenewal(entry.object)).renewTime
    }

    /// The summary the lease informer's cache keeps of every lease.
    static func summarize(_ lease: JSON) -> any AnyObject & Sendable { LeaseRenewal(lease) }
}
