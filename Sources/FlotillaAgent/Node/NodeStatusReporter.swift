import FlotillaClient
import FlotillaCore
import Foundation
import Logging
import ServiceLifecycle

/// Keeps a node's conditions current, as a kubelet does: every `interval` it looks at the
/// container runtime (Ready), free memory (under 100 MiB: MemoryPressure), the disk holding the
/// agent's data (under 10 % free: DiskPressure) and process ids (over 90 % used: PIDPressure),
/// and writes the conditions when one changed or a `heartbeat` has passed since the last write.
struct NodeStatusReporter: Sendable {
    let client: KubernetesClient
    let nodeName: String
    let runtime: any ContainerRuntime
    let dataDirectory: String
    var interval: Duration = .seconds(10)
    var heartbeat: Duration = .seconds(60)
    let logger: Logger

    func run() async {
        var written: NodeConditions?
        var writtenAt = ContinuousClock.now
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            try? await Task.sleep(for: interval)
            let conditions = await observe()
            guard conditions != written || ContinuousClock.now - writtenAt >= heartbeat else { continue }
            do {
                let node = try await client.get(.nodes, name: nodeName)
                let entries = conditions.json(now: Timestamp.now(), previous: node["status"]["conditions"])
                try await client.patch(
                    .nodes, name: nodeName, ["status": ["conditions": .array(entries)]], type: .merge, subresource: "status",
                    decodingReply: false)
                if let written, written != conditions {
                    logger.notice("node conditions changed", metadata: ["ready": "\(conditions.ready)", "message": .string(conditions.notReadyMessage)])
                }
                written = conditions
                writtenAt = .now
            } catch {
                logger.debug("cannot write the node's conditions", metadata: ["error": "\(error)"])
            }
        }
    }

    /// `body`'s result, or a `timeout` error once `limit` has passed (a runtime that does not
    /// answer must not hold the report back).
    private func withDeadline<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: limit)
                throw FlotillaError(.timeout, "no answer within \(limit)")
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }

    /// The node's conditions as the host and the runtime show them now.
    func observe() async -> NodeConditions {
        var conditions = NodeConditions()
        do {
            let status = try await withDeadline(interval) { try await runtime.status() }
            if !status.ready {
                conditions.ready = false
                let failing = status.conditions.filter { !$0.ready }.map { "\($0.type): \($0.reason) \($0.message)" }
                conditions.notReadyMessage = "container runtime is not ready: " + failing.joined(separator: "; ")
            }
        } catch {
            conditions.ready = false
            conditions.notReadyMessage = "container runtime is down: \((error as? FlotillaError)?.message ?? "\(error)")"
        }
        conditions.memoryPressure = (HostFacts.availableMemoryKibibytes() ?? .max) < 100 * 1024
        conditions.diskPressure = HostFacts.diskFreeFraction(dataDirectory) < 0.1
        conditions.pidPressure = HostFacts.pidUsedFraction() > 0.9
        return conditions
    }
}
