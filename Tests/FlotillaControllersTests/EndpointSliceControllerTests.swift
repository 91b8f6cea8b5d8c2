import FlotillaClient
import FlotillaCore
import Foundation
import Testing

@testable import FlotillaControllers

@Suite(.serialized, .timeLimit(.minutes(1))) struct EndpointSliceControllerTests {
    @Test func sliceCarriesLabelsOwnerConditionsAndZone() async throws {
        let cluster = try await ServiceCluster()
        _ = try await cluster.client.create(.nodes, ["metadata": ["name": "n1", "labels": ["topology.kubernetes.io/zone": "z1"]]])
        let service = try await cluster.service("web", labels: ["tier": "front"])
        try await cluster.pod("a", ip: "10.244.0.5")
        try await cluster.pod("b", ip: "10.244.0.6", ready: false)
        try await eventually { try await cluster.sliceEndpoints("web").count == 2 }
        let slice = try #require(try await cluster.slices("web").first)
        #expect(slice["metadata"]["name"].string?.hasPrefix("web-") == true)
        #expect(slice["metadata"]["labels"]["kubernetes.io/service-name"] == "web")
        #expect(slice["metadata"]["labels"]["endpointslice.kubernetes.io/managed-by"] == "endpointslice-controller.k8s.io")
        #expect(slice["metadata"]["labels"]["tier"] == "front")
        let owner = slice["metadata"]["ownerReferences"][0]
        #expect(owner["kind"] == "Service" && owner["uid"] == service["metadata"]["uid"])
        #expect(owner["controller"] == true && owner["blockOwnerDeletion"] == true)
        #expect(slice["addressType"] == "IPv4")
        #expect(slice["ports"] == [["name": "http", "port": 8080, "protocol": "TCP"]])
        let endpoints = try await cluster.sliceEndpoints("web")
        #expect(endpoints["10.244.0.5"]?["conditions"] == ["ready": true, "serving": true, "terminating": false])
        #expect(endpoints["10.244.0.6"]?["conditions"] == ["ready": false, "serving": false, "terminating": false])
        #expect(endpoints["10.244.0.5"]?["zone"] == "z1")
        #expect(endpoints["10.244.0.5"]?["nodeName"] == "n1")
        #expect(endpoints["10.244.0.5"]?["targetRef"]["name"] == "a")
        await cluster.close()
    }

    @Test func terminatingPodsStayInSlicesButLeaveEndpoints() async throws {
        let cluster = try await ServiceCluster()
        try await cluster.service("web")
        try await cluster.pod("a", ip: "10.244.0.5")
        try await cluster.pod("b", ip: "10.244.0.6")
        try await eventually {
            let first = try await cluster.addresses("web").count == 2
            let second = try await cluster.sliceEndpoints("web").count == 2
            return first && second
        }
        // A finalizer keeps the pod terminating (with a deletionTimestamp) after the delete.
        _ = try await cluster.client.patch(.pods, namespace: "default", name: "a", ["metadata": ["finalizers": ["test/hold"]]], type: .merge)
        try await cluster.client.delete(.pods, namespace: "default", name: "a", gracePeriodSeconds: 0)
        try await eventually { try await cluster.addresses("web") == ["10.244.0.6"] }
        #expect(try await cluster.addresses("web", notReady: true).isEmpty)
        try await eventually { try await cluster.sliceEndpoints("web")["10.244.0.5"]?["conditions"]["terminating"] == true }
        #expect(try await cluster.sliceEndpoints("web")["10.244.0.5"]?["conditions"] == ["ready": false, "serving": true, "terminating": true])
        _ = try await cluster.client.patch(.pods, namespace: "default", name: "a", ["metadata": ["finalizers": .null]], type: .merge)
        try await eventually { try await cluster.sliceEndpoints("web").keys.sorted() == ["10.244.0.6"] }
        await cluster.close()
    }

    @Test func manyEndpointsSplitAcrossSlicesUpdatedInPlace() async throws {
        let cluster = try await ServiceCluster(maxEndpointsPerSlice: 4)
        try await cluster.service("web")
        for i in 1...10 { try await cluster.pod("p\(i)", ip: "10.244.1.\(i)") }
        try await eventually { try await cluster.sliceEndpoints("web").count == 10 }
        var slices = try await cluster.slices("web")
        #expect(slices.count == 3)
        #expect(slices.allSatisfy { ($0["endpoints"].array?.count ?? 0) <= 4 })
        let names = Set(slices.compactMap { $0["metadata"]["name"].string })
        // One pod goes unready: its slice changes in place, the others not at all.
        let holder = try #require(slices.first { ($0["endpoints"].array ?? []).contains { $0["addresses"][0] == "10.244.1.3" } })
        try await cluster.setStatus("p3", ip: "10.244.1.3", ready: false)
        try await eventually { try await cluster.sliceEndpoints("web")["10.244.1.3"]?["conditions"]["ready"] == false }
        slices = try await cluster.slices("web")
        #expect(Set(slices.compactMap { $0["metadata"]["name"].string }) == names)
        for slice in slices where slice["metadata"]["name"] != holder["metadata"]["name"] {
            let before = try await cluster.client.get(.endpointSlices, namespace: "default", name: slice["metadata"]["name"].string ?? "")
            #expect(before["metadata"]["resourceVersion"] == slice["metadata"]["resourceVersion"])
        }
        // Pods going fill no new slice; pods coming fill the free room first.
        for i in 1...3 { try await cluster.client.delete(.pods, namespace: "default", name: "p\(i)", gracePeriodSeconds: 0) }
        try await eventually { try await cluster.sliceEndpoints("web").count == 7 }
        try await cluster.pod("p11", ip: "10.244.1.11")
        try await eventually { try await cluster.sliceEndpoints("web").count == 8 }
        slices = try await cluster.slices("web")
        #expect(slices.count <= 3)
        #expect(Set(slices.compactMap { $0["metadata"]["name"].string }).isSubset(of: names))
        await cluster.close()
    }

    @Test func serviceWithoutPodsKeepsOnePlaceholderSlice() async throws {
        let cluster = try await ServiceCluster()
        try await cluster.service("web")
        try await eventually { try await cluster.slices("web").count == 1 }
        let placeholder = try #require(try await cluster.slices("web").first)
        #expect(placeholder["endpoints"].array?.isEmpty ?? true)
        try await cluster.pod("a", ip: "10.244.0.5")
        try await eventually { try await cluster.sliceEndpoints("web").count == 1 }
        // The placeholder became the slice.
        #expect(try await cluster.slices("web").map { $0["metadata"]["name"] } == [placeholder["metadata"]["name"]])
        await cluster.close()
    }
}
