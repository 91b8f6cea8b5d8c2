import FlotillaClient
import FlotillaCore

/// Creates and deletes the pods of one controller's object, all at once, recording
/// `SuccessfulCreate`/`SuccessfulDelete` (and `FailedCreate`) events about the owner and
/// settling the controller's ``Expectations`` for the writes that failed, so that it does
/// not wait for them (Kubernetes' PodControl).
struct PodControl: Sendable {
    let client: KubernetesClient
    let events: EventRecorder
    let expectations: Expectations
    /// The owner's `apiVersion` and `kind`, for its events.
    let apiVersion: String
    let kind: String

    /// Creates `pods` for `owner` (whose expectations are under `key`); returns the names made.
    /// Throws the first failure after every creation has been tried.
    @discardableResult
    func create(_ pods: [JSON], of owner: JSON, key: String) async throws -> [String] {
        expectations.expect(key, adds: pods.count)
        var created: [String] = []
        var failure: (any Error)?
        await withTaskGroup(of: Result<String, any Error>.self) { group in
            for pod in pods {
                group.addTask { [client] in
                    do { return .success(try await client.create(.pods, pod)["metadata"]["name"].string ?? "") } catch { return .failure(error) }
                }
            }
            for await result in group {
                switch result {
                case .success(let name):
                    created.append(name)
                    events.record(owner, apiVersion: apiVersion, kind: kind, reason: "SuccessfulCreate", message: "Created pod: \(name)")
                case .failure(let error):
                    expectations.observedAdd(key)
                    failure = error
                }
            }
        }
        if let failure {
            events.record(owner, apiVersion: apiVersion, kind: kind, type: "Warning", reason: "FailedCreate", message: "Error creating: \((failure as? FlotillaError)?.message ?? "\(failure)")")
            throw failure
        }
        return created
    }

    /// Deletes `pods` of `owner`; a pod already gone is fine. Throws the first other failure.
    func delete(_ pods: [JSON], of owner: JSON, key: String) async throws {
        expectations.expect(key, deletes: pods.count)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for pod in pods {
                group.addTask { [client, events, expectations, apiVersion, kind] in
                    let name = pod["metadata"]["name"].string ?? ""
                    do {
                        _ = try await client.delete(.pods, namespace: pod["metadata"]["namespace"].string, name: name)
                        events.record(owner, apiVersion: apiVersion, kind: kind, reason: "SuccessfulDelete", message: "Deleted pod: \(name)")
                    } catch let error as FlotillaError where error.code == .notFound {
                        expectations.observedDelete(key)
                    } catch {
                        expectations.observedDelete(key)
                        throw error
                    }
                }
            }
            try await group.waitForAll()
        }
    }
}
