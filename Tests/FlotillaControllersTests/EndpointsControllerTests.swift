import FlotillaClient
import FlotillaCore
import Foundation
import Testing

@testable import FlotillaControllers

@Suite(.serialized, .timeLimit(.minutes(1))) struct EndpointsControllerTests {
    @Test func readyAndNotReadyPodsSplitAndFollowReadiness() async throws {
        let cluster = try await ServiceCluster()
        try await cluster.service("web", labels: ["tier": "front"])
        try await cluster.pod("a", ip: "10.244.0.5", ready: true)
        try await cluster.pod("b", ip: "10.244.0.4", ready: false)
        try await cluster.pod("other", labels: ["app": "db"], ip: "10.244.0.9")
        try await eventually {
            let first = try await cluster.addresses("web") == ["10.244.0.5"]
            let second = try await cluster.addresses("web", notReady: true) == ["10.244.0.4"]
            return first && second
        }
        let endpoints = try #require(try await cluster.endpoints("web"))
        #expect(endpoints["metadata"]["labels"] == ["tier": "front"])
        let subset = endpoints["subsets"][0]
        #expect(subset["ports"] == [["name": "http", "port": 8080, "protocol": "TCP"]])
        let address = subset["addresses"][0]
        let pod = try await cluster.client.get(.pods, namespace: "default", name: "a")
        #expect(address["nodeName"] == "n1")
        #expect(address["targetRef"] == ["kind": "Pod", "namespace": "default", "name": "a", "uid": pod["metadata"]["uid"]])

        try await cluster.setStatus("b", ip: "10.244.0.4", ready: true)
        try await eventually { try await cluster.addresses("web") == ["10.244.0.4", "10.244.0.5"] }
        #expect(try await cluster.endpoints("web")?["subsets"][0]["notReadyAddresses"] == .null)
        try await cluster.setStatus("a", ip: "10.244.0.5", ready: false)
        try await eventually { try await cluster.addresses("web", notReady: true) == ["10.244.0.5"] }
        await cluster.close()
    }

    @Test func publishNotReadyAddressesListsEveryPodAsReady() async throws {
        let cluster = try await ServiceCluster()
        try await cluster.service("web", extra: ["publishNotReadyAddresses": true])
        try await cluster.pod("a", ip: "10.244.0.5", ready: false)
        try await cluster.pod("b", ip: "10.244.0.6", ready: true)
        try await eventually { try await cluster.addresses("web") == ["10.244.0.5", "10.244.0.6"] }
        #expect(try await cluster.addresses("web", notReady: true).isEmpty)
        try await eventually {
            let endpoints = try await cluster.sliceEndpoints("web")
            return endpoints.count == 2 && endpoints.values.allSatisfy { $0["conditions"]["ready"] == true }
        }
        await cluster.close()
    }

    @Test func namedTargetPortResolvesPerPod() async throws {
        let cluster = try await ServiceCluster()
        try await cluster.service("web", ports: [["name": "http", "port": 80, "targetPort": "web"]])
        try await cluster.pod("a", ip: "10.244.0.5", ports: ["web": 8080])
        try await cluster.pod("b", ip: "10.244.0.6", ports: ["web": 9090])
        try await cluster.pod("c", ip: "10.244.0.7", ports: ["metrics": 7070])
        try await eventually { try await cluster.endpoints("web")?["subsets"].array?.count == 2 }
        let subsets = try await cluster.endpoints("web")?["subsets"].array ?? []
        let byPort = Dictionary(uniqueKeysWithValues: subsets.map { ($0["ports"][0]["port"].int ?? 0, $0["addresses"].array?.compactMap { $0["ip"].string } ?? []) })
        #expect(byPort == [8080: ["10.244.0.5"], 9090: ["10.244.0.6"]])
        // Slices group by port set too; as in Kubernetes, the pod that resolves none of the
        // service's ports lands in a slice without ports (which consumers route nothing to).
        try await eventually { try await cluster.slices("web").count == 3 }
        let slices = try await cluster.slices("web")
        let byPorts = Dictionary(uniqueKeysWithValues: slices.map { slice in
            (slice["ports"].array?.compactMap { $0["port"].int } ?? [], slice["endpoints"].array?.compactMap { $0["addresses"][0].string } ?? [])
        })
        #expect(byPorts == [[8080]: ["10.244.0.5"], [9090]: ["10.244.0.6"], []: ["10.244.0.7"]])
        await cluster.close()
    }

    @Test func podsWithoutAnAddressOrFinishedAreLeftOut() async throws {
        let cluster = try await ServiceCluster()
        try await cluster.service("web")
        try await cluster.pod("pending", ip: nil, ready: false)
        try await cluster.pod("done", ip: "10.244.0.8", ready: false)
        try await cluster.setStatus("done", ip: "10.244.0.8", ready: false, phase: "Succeeded")
        try await cluster.pod("a", ip: "10.244.0.5")
        try await eventually { try await cluster.addresses("web") == ["10.244.0.5"] }
        #expect(try await cluster.addresses("web", notReady: true).isEmpty)
        try await cluster.setStatus("pending", ip: "10.244.0.3", ready: false)
        try await eventually { try await cluster.addresses("web", notReady: true) == ["10.244.0.3"] }
        await cluster.close()
    }

    @Test func labelAndSelectorChangesMovePodsInAndOut() async throws {
        let cluster = try await ServiceCluster()
        try await cluster.service("web")
        try await cluster.pod("a", ip: "10.244.0.5")
        try await cluster.pod("b", labels: ["app": "api"], ip: "10.244.0.6")
        try await eventually { try await cluster.addresses("web") == ["10.244.0.5"] }
        _ = try await cluster.client.patch(.pods, namespace: "default", name: "b", ["metadata": ["labels": ["app": "web"]]], type: .merge)
        try await eventually { try await cluster.addresses("web") == ["10.244.0.5", "10.244.0.6"] }
        _ = try await cluster.client.patch(.pods, namespace: "default", name: "a", ["metadata": ["labels": ["app": "gone"]]], type: .merge)
        try await eventually { try await cluster.addresses("web") == ["10.244.0.6"] }
        try await eventually { try await cluster.sliceEndpoints("web").keys.sorted() == ["10.244.0.6"] }
        _ = try await cluster.client.patch(.services, namespace: "default", name: "web", ["spec": ["selector": ["app": "gone"]]], type: .merge)
        try await eventually { try await cluster.addresses("web") == ["10.244.0.5"] }
        try await eventually { try await cluster.sliceEndpoints("web").keys.sorted() == ["10.244.0.5"] }
        await cluster.close()
    }

    @Test func deletedServiceTakesItsEndpointsAndSlices() async throws {
        let cluster = try await ServiceCluster()
        try await cluster.service("web")
        try await cluster.pod("a", ip: "10.244.0.5")
        try await eventually { try await cluster.addresses("web") == ["10.244.0.5"] }
        try await eventually { try await cluster.slices("web").count == 1 }
        try await cluster.client.delete(.services, namespace: "default", name: "web")
        try await eventually { try await cluster.endpoints("web") == nil }
        try await eventually { try await cluster.slices("web").isEmpty }
        await cluster.close()
    }

    @Test func servicesWithoutSelectorAreLeftAlone() async throws {
        let cluster = try await ServiceCluster()
        try await cluster.service("manual", selector: nil)
        let manual: JSON = [
            "metadata": ["name": "manual", "namespace": "default"],
            "subsets": [["addresses": [["ip": "192.0.2.10"]], "ports": [["port": 5432, "protocol": "TCP"]]]],
        ]
        let written = try await cluster.client.create(.endpoints, manual)
        try await cluster.service("external", selector: ["app": "web"], ports: [], extra: ["type": "ExternalName", "externalName": "db.example.com"])
        try await cluster.pod("a", ip: "10.244.0.5")
        // The selecting service gets its endpoints; the others none.
        try await cluster.service("web")
        try await eventually { try await cluster.addresses("web") == ["10.244.0.5"] }
        try await eventually { try await cluster.slices("web").count == 1 }
        let after = try #require(try await cluster.endpoints("manual"))
        #expect(after["metadata"]["resourceVersion"] == written["metadata"]["resourceVersion"])
        #expect(try await cluster.endpoints("external") == nil)
        #expect(try await cluster.slices("manual").isEmpty)
        #expect(try await cluster.slices("external").isEmpty)
        await cluster.close()
    }

    @Test func headlessServicesGetEndpointsWithHostnames() async throws {
        let cluster = try await ServiceCluster()
        try await cluster.service("db", ports: [], extra: ["clusterIP": "None"])
        try await cluster.pod("db-0", ip: "10.244.0.5", spec: ["hostname": "db-0", "subdomain": "db"])
        try await cluster.pod("db-x", ip: "10.244.0.6", spec: ["hostname": "db-x", "subdomain": "elsewhere"])
        try await eventually { try await cluster.addresses("db") == ["10.244.0.5", "10.244.0.6"] }
        let endpoints = try #require(try await cluster.endpoints("db"))
        #expect(endpoints["metadata"]["labels"]["service.kubernetes.io/headless"] == "")
        let addresses = endpoints["subsets"][0]["addresses"].array ?? []
        #expect(addresses.map { $0["hostname"] } == ["db-0", .null])
        #expect(endpoints["subsets"][0]["ports"] == .null)
        try await eventually { try await cluster.sliceEndpoints("db")["10.244.0.5"]?["hostname"] == "db-0" }
        await cluster.close()
    }

    @Test func nothingIsWrittenWhenNothingChanged() async throws {
        let cluster = try await ServiceCluster()
        try await cluster.service("web")
        try await cluster.pod("a", ip: "10.244.0.5")
        try await cluster.pod("b", ip: "10.244.0.6", ready: false)
        try await eventually {
            let first = try await cluster.addresses("web").count == 1
            let second = try await cluster.sliceEndpoints("web").count == 2
            return first && second
        }
        try await Task.sleep(for: .milliseconds(300))
        let endpointsVersion = try await cluster.endpoints("web")?["metadata"]["resourceVersion"]
        let sliceVersions = try await cluster.slices("web").map { $0["metadata"]["resourceVersion"] }
        // A service change that moves no endpoint, and pod changes the endpoints do not show.
        _ = try await cluster.client.patch(.services, namespace: "default", name: "web", ["metadata": ["annotations": ["note": "x"]]], type: .merge)
        _ = try await cluster.client.patch(.pods, namespace: "default", name: "a", ["metadata": ["annotations": ["note": "y"]]], type: .merge)
        _ = try await cluster.client.patch(.pods, namespace: "default", name: "b", ["status": ["message": "still starting"]], type: .merge, subresource: "status")
        // A change of readiness elsewhere shows the controllers have worked through the events above.
        try await cluster.service("probe", selector: ["app": "probe"])
        try await cluster.pod("p", labels: ["app": "probe"], ip: "10.244.0.7")
        try await eventually {
            let first = try await cluster.addresses("probe") == ["10.244.0.7"]
            let second = try await cluster.sliceEndpoints("probe").count == 1
            return first && second
        }
        try await Task.sleep(for: .milliseconds(300))
        #expect(try await cluster.endpoints("web")?["metadata"]["resourceVersion"] == endpointsVersion)
        #expect(try await cluster.slices("web").map { $0["metadata"]["resourceVersion"] } == sliceVersions)
        await cluster.close()
    }
}
