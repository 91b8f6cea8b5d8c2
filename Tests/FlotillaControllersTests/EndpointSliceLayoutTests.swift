import FlotillaCore
import Testing

@testable import FlotillaControllers

@Suite struct EndpointSliceLayoutTests {
    let http = [ServicePort(name: "http", port: 8080, protocol: "TCP")]
    let other = [ServicePort(name: "http", port: 9090, protocol: "TCP")]

    func endpoint(_ n: Int) -> JSON {
        ["addresses": [.string("10.0.0.\(n)")], "targetRef": ["uid": .string("uid-\(n)")]]
    }

    func slice(_ name: String, ports: [ServicePort], _ members: [Int]) -> JSON {
        ["metadata": ["name": .string(name)], "ports": .array(ports.map(\.sliceJSON)), "endpoints": .array(members.map(endpoint))]
    }

    @Test func endpointsStayWhereTheyAreAndNewOnesFillFreeRoom() {
        let existing = [slice("a", ports: http, [1, 2, 3]), slice("b", ports: http, [4, 5])]
        let layout = EndpointSliceLayout(desired: [http: [1, 2, 4, 5, 6, 7, 8].map(endpoint)], existing: existing, maxEndpoints: 3)
        #expect(layout.deletions.isEmpty)
        let members = layout.slices.map { ($0.existing?["metadata"]["name"].string, $0.endpoints.compactMap { $0["targetRef"]["uid"].string }) }
        #expect(members.count == 3)
        #expect(members[0].0 == "a" && members[0].1 == ["uid-1", "uid-2", "uid-6"])
        #expect(members[1].0 == "b" && members[1].1 == ["uid-4", "uid-5", "uid-7"])
        #expect(members[2].0 == nil && members[2].1 == ["uid-8"])
    }

    @Test func emptiedSlicesAreRecycledForNewPortSets() {
        let existing = [slice("a", ports: http, [1, 2])]
        let layout = EndpointSliceLayout(desired: [other: [1, 2].map(endpoint)], existing: existing, maxEndpoints: 100)
        #expect(layout.deletions.isEmpty)
        #expect(layout.slices.count == 1)
        #expect(layout.slices[0].existing?["metadata"]["name"] == "a" && layout.slices[0].ports == other)
    }

    @Test func noEndpointsLeaveOnePlaceholderAndDeleteTheRest() {
        let existing = [slice("a", ports: http, [1]), slice("b", ports: [], [])]
        let layout = EndpointSliceLayout(desired: [:], existing: existing, maxEndpoints: 100)
        #expect(layout.slices.count == 1)
        #expect(layout.slices[0].existing?["metadata"]["name"] == "b" && layout.slices[0].endpoints.isEmpty)
        #expect(layout.deletions.map { $0["metadata"]["name"] } == ["a"])
    }

    @Test func anEndpointHeldTwiceIsKeptOnce() {
        let existing = [slice("a", ports: http, [1, 2]), slice("b", ports: http, [2, 3])]
        let layout = EndpointSliceLayout(desired: [http: [1, 2, 3].map(endpoint)], existing: existing, maxEndpoints: 100)
        let all = layout.slices.flatMap { $0.endpoints.compactMap { $0["targetRef"]["uid"].string } }
        #expect(all.sorted() == ["uid-1", "uid-2", "uid-3"])
    }
}
