import FlotillaAPI
import FlotillaAPIServer
import FlotillaClient
import FlotillaCore
import FlotillaStore
import Foundation
import Logging
import Testing

@testable import FlotillaControllers

/// The real API server over SQLite in a temporary folder, with the endpoints and endpoint
/// slice controllers running against it in-process (as the controller manager's user), and
/// helpers to make services and pods in the states the controllers read.
final class ServiceCluster: Sendable {
    let base: ControllerTestServer
    /// The test's own client (an administrator).
    var client: KubernetesClient { base.client }

    init(maxEndpointsPerSlice: Int = EndpointSliceController.maxEndpointsPerSlice) async throws {
        base = try ControllerTestServer(label: "endpoints") { controllers, logger in
            let services = Informer(client: controllers, resource: .services, logger: logger)
            let pods = Informer(client: controllers, resource: .pods, logger: logger)
            let endpoints = Informer(client: controllers, resource: .endpoints, logger: logger)
            let slices = Informer(client: controllers, resource: .endpointSlices, logger: logger)
            let nodes = Informer(client: controllers, resource: .nodes, logger: logger)
            let endpointsController = EndpointsController(client: controllers, services: services, pods: pods, endpoints: endpoints, logger: logger)
            let sliceController = EndpointSliceController(
                client: controllers, services: services, pods: pods, slices: slices, nodes: nodes, maxEndpointsPerSlice: maxEndpointsPerSlice,
                logger: logger)
            return .init(
                informers: [services, pods, endpoints, slices, nodes], events: nil,
                controllers: [{ await endpointsController.run(workers: 2) }, { await sliceController.run(workers: 2) }])
        }
    }

    func close() async { await base.close() }

    // MARK: - Making objects

    /// Creates a service selecting `selector` with `ports` (name, port, targetPort).
    @discardableResult
    func service(
        _ name: String, selector: JSON? = ["app": "web"], ports: [JSON] = [["name": "http", "port": 80, "targetPort": 8080]],
        extra: JSON = .emptyObject, labels: JSON = .emptyObject
    ) async throws -> JSON {
        var spec: JSON = ["ports": .array(ports)]
        if let selector { spec["selector"] = selector }
        for (key, value) in extra.object ?? [:] { spec[key] = value }
        return try await client.create(.services, ["metadata": ["name": .string(name), "namespace": "default", "labels": labels], "spec": spec])
    }

    /// Creates a pod with `labels` and container ports (name → number), then gives it `ip`
    /// (none when nil), phase Running and a Ready condition of `ready`.
    @discardableResult
    func pod(
        _ name: String, labels: JSON = ["app": "web"], ip: String?, ready: Bool = true, ports: [String: Int64] = ["http": 8080],
        spec extra: JSON = .emptyObject, node: String? = "n1"
    ) async throws -> JSON {
        let containerPorts = ports.sorted { $0.key < $1.key }.map { JSON(dictionaryLiteral: ("name", .string($0.key)), ("containerPort", .int($0.value))) }
        var spec: JSON = ["containers": [["name": "c", "image": "busybox", "ports": .array(containerPorts)]]]
        if let node { spec["nodeName"] = .string(node) }
        for (key, value) in extra.object ?? [:] { spec[key] = value }
        _ = try await client.create(.pods, ["metadata": ["name": .string(name), "namespace": "default", "labels": labels], "spec": spec])
        return try await setStatus(name, ip: ip, ready: ready)
    }

    /// Sets the pod's address, phase Running and Ready condition.
    @discardableResult
    func setStatus(_ name: String, ip: String?, ready: Bool, phase: String = "Running") async throws -> JSON {
        var status: JSON = [
            "phase": .string(phase),
            "conditions": [["type": "Ready", "status": .string(ready ? "True" : "False")]],
        ]
        if let ip { status["podIP"] = .string(ip); status["podIPs"] = [["ip": .string(ip)]] }
        return try await client.patch(.pods, namespace: "default", name: name, ["status": status], type: .merge, subresource: "status")
    }

    // MARK: - Reading what the controllers wrote

    func endpoints(_ name: String) async throws -> JSON? {
        do {
            return try await client.get(.endpoints, namespace: "default", name: name)
        } catch let error as FlotillaError where error.code == .notFound {
            return nil
        }
    }

    /// The slices labelled with the service's name, by name.
    func slices(_ service: String) async throws -> [JSON] {
        try await client.list(.endpointSlices, namespace: "default", labelSelector: "kubernetes.io/service-name=\(service)").items
            .sorted { ($0["metadata"]["name"].string ?? "") < ($1["metadata"]["name"].string ?? "") }
    }

    /// Every endpoint of the service's slices, by address.
    func sliceEndpoints(_ service: String) async throws -> [String: JSON] {
        var all: [String: JSON] = [:]
        for slice in try await slices(service) {
            for endpoint in slice["endpoints"].array ?? [] { all[endpoint["addresses"][0].string ?? ""] = endpoint }
        }
        return all
    }

    /// The IPs in `addresses` (or `notReadyAddresses`) across the service's Endpoints subsets.
    func addresses(_ service: String, notReady: Bool = false) async throws -> [String] {
        let subsets = try await endpoints(service)?["subsets"].array ?? []
        return subsets.flatMap { ($0[notReady ? "notReadyAddresses" : "addresses"].array ?? []).compactMap { $0["ip"].string } }.sorted()
    }
}

/// Waits until `condition` holds, recording an issue after `timeout`.
func eventually(timeout: Duration = .seconds(30), _ condition: () async throws -> Bool, sourceLocation: SourceLocation = #_sourceLocation) async throws {
    let deadline = ContinuousClock.now + timeout
    while try await !condition() {
        guard ContinuousClock.now < deadline else {
            Issue.record("condition not met within \(timeout)", sourceLocation: sourceLocation)
            return
        }
        try await Task.sleep(for: .milliseconds(10))
    }
}
