import FlotillaCore
import Foundation
import Logging

/// Writes core/v1 Events about objects (the scheduler's `Scheduled` or `FailedScheduling`, an
/// agent's `FailedMount` or `FailedPreStopHook`, a controller's `ScalingReplicaSet`) and the
/// containers of pods, in the background, best
/// effort, as Kubernetes' event broadcaster does: events wait in a bounded backlog (beyond it
/// they are dropped rather than slowing their writer), each object gets at most 25 events and
/// then one per 5 minutes (``EventSpamFilter``), and a warning repeating one already written
/// for the same pod, reason and message raises that event's `count` instead of creating
/// another.
public final class EventRecorder: Sendable {
    struct Pending: Sendable {
        var apiVersion = "v1"
        var kind = "Pod"
        var namespace: String
        var objectName: String
        var uid: String
        var fieldPath: String
        var type: String
        var reason: String
        var message: String
    }

    private struct Written {
        var name: String
        var count: Int64
    }

    private struct State {
        var backlog: [Pending] = []
        var waiter: CheckedContinuation<Void, Never>?
        var closed = false
        var written: [String: Written] = [:]
        var writtenOrder: [String] = []
        var dropped = 0
        var spam = EventSpamFilter()
    }

    private let client: KubernetesClient
    private let component: String
    private let instance: String
    private let host: String
    private let capacity: Int
    private let logger: Logger
    private let state = Locked(State())
    /// How many written events are remembered for counting repeats.
    private static let remembered = 4096
    private static let writers = 16

    /// Events name `component` and `instance` as their reporter, and `host` (a node's name, for
    /// an agent) as their source's host when not empty.
    public init(client: KubernetesClient, component: String, instance: String, host: String = "", capacity: Int, logger: Logger) {
        self.client = client
        self.component = component
        self.instance = instance
        self.host = host
        self.capacity = capacity
        self.logger = logger
    }

    /// Queues an event about a pod, or about one of its containers when `fieldPath` names it
    /// (`spec.containers{app}`); drops it when the backlog is full.
    public func record(
        namespace: String, podName: String, uid: String, fieldPath: String = "", type: String, reason: String, message: String
    ) {
        enqueue(Pending(namespace: namespace, objectName: podName, uid: uid, fieldPath: fieldPath, type: type, reason: reason, message: message))
    }

    /// Queues an event about `object`, of `kind` in `apiVersion` (e.g. a Deployment in `apps/v1`).
    public func record(_ object: JSON, apiVersion: String, kind: String, type: String = "Normal", reason: String, message: String) {
        let meta = object["metadata"]
        guard let name = meta["name"].string, let namespace = meta["namespace"].string else { return }
        enqueue(Pending(
            apiVersion: apiVersion, kind: kind, namespace: namespace, objectName: name, uid: meta["uid"].string ?? "", fieldPath: "",
            type: type, reason: reason, message: message))
    }

    private func enqueue(_ event: Pending) {
        let object = [event.apiVersion, event.kind, event.namespace, event.objectName, event.uid].joined(separator: "\u{0}")
        let now = Date()
        let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
            guard !s.closed, s.spam.allows(object, now: now) else { return nil }
            guard s.backlog.count < capacity else {
                s.dropped += 1
                return nil
            }
            s.backlog.append(event)
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume()
    }

    /// Events dropped because the backlog was full.
    public var dropped: Int { state.withLock { $0.dropped } }

    /// Writes queued events until ``close()``, then writes what is left and returns.
    public func run() async {
        while true {
            let batch = state.withLock { s -> [Pending]? in
                if s.backlog.isEmpty { return s.closed ? nil : [] }
                defer { s.backlog = [] }
                return s.backlog
            }
            guard let batch else { return }
            if batch.isEmpty {
                await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
                    let ready = state.withLock { s -> Bool in
                        if !s.backlog.isEmpty || s.closed { return true }
                        s.waiter = waiter
                        return false
                    }
                    if ready { waiter.resume() }
                }
                continue
            }
            await withTaskGroup(of: Void.self) { group in
                for (index, event) in batch.enumerated() {
                    if index >= Self.writers { await group.next() }
                    group.addTask { await self.write(event) }
                }
            }
        }
    }

    /// Stops accepting events; ``run()`` returns once the backlog is written.
    public func close() {
        let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
            s.closed = true
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume()
    }

    private func write(_ event: Pending) async {
        let key = [event.uid, event.fieldPath, event.reason, event.message].joined(separator: "\u{0}")
        let now = Timestamp.now()
        let remember = event.type == "Warning"
        if remember, let repeated = state.withLock({ $0.written[key] }) {
            let count = repeated.count + 1
            do {
                _ = try await client.patch(
                    .events, namespace: event.namespace, name: repeated.name,
                    ["count": .int(count), "lastTimestamp": .string(now)], type: .merge)
                state.withLock { $0.written[key]?.count = count }
                return
            } catch let error as FlotillaError where error.code == .notFound {
                // The event expired; write a new one.
            } catch {
                logger.debug("cannot update event", metadata: ["object": "\(event.namespace)/\(event.objectName)", "error": "\(error)"])
                return
            }
        }
        var random = BufferedRandom()
        let name = "\(event.objectName).\(String(UInt64(Date().timeIntervalSince1970 * 1e9), radix: 16))\(String(UInt8.random(in: 0...255, using: &random), radix: 16))"
        var involved: JSON = [
            "apiVersion": .string(event.apiVersion), "kind": .string(event.kind), "namespace": .string(event.namespace),
            "name": .string(event.objectName), "uid": .string(event.uid),
        ]
        if !event.fieldPath.isEmpty { involved["fieldPath"] = .string(event.fieldPath) }
        var source: JSON = ["component": .string(component)]
        if !host.isEmpty { source["host"] = .string(host) }
        let object: JSON = [
            "apiVersion": "v1", "kind": "Event",
            "metadata": ["name": .string(name), "namespace": .string(event.namespace)],
            "involvedObject": involved,
            "reason": .string(event.reason), "message": .string(event.message), "type": .string(event.type),
            "source": source,
            "firstTimestamp": .string(now), "lastTimestamp": .string(now), "count": 1,
            "reportingComponent": .string(component), "reportingInstance": .string(instance),
        ]
        do {
            _ = try await client.create(.events, namespace: event.namespace, object)
            guard remember else { return }
            state.withLock { s in
                if s.written.updateValue(Written(name: name, count: 1), forKey: key) == nil { s.writtenOrder.append(key) }
                if s.writtenOrder.count > Self.remembered {
                    let evicted = s.writtenOrder.removeFirst()
                    s.written[evicted] = nil
                }
            }
        } catch {
            logger.debug("cannot write event", metadata: ["object": "\(event.namespace)/\(event.objectName)", "error": "\(error)"])
        }
    }
}
