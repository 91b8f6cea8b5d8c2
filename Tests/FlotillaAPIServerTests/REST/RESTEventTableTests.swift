import FlotillaAPI
import FlotillaAPIServer
import FlotillaCore
import Testing

/// `kubectl get events` prints Kubernetes' event columns: no leading NAME, NAME last and wide.
@Suite("REST event tables")
struct RESTEventTableTests {
    static let tableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"
    static let events = "/api/v1/namespaces/default/events"

    static func event(_ name: String) -> JSON {
        [
            "apiVersion": "v1", "kind": "Event", "metadata": ["name": .string(name), "namespace": "default"],
            "involvedObject": ["kind": "Pod", "name": "web-1", "namespace": "default"],
            "reason": "Started", "message": "Started container app", "type": "Normal",
            "source": ["component": "kubelet", "host": "node-1"], "count": 2,
            "firstTimestamp": "2024-01-01T00:00:00Z", "lastTimestamp": "2024-01-01T00:01:00Z",
        ]
    }

    @Test func columnsFollowKubernetesEventPrinter() async throws {
        try await TestServer.with { s in
            let created = await s.send("POST", Self.events, body: Self.event("web-1.17a"))
            #expect(created.status == 201)
            let table = await s.send("GET", Self.events, accept: Self.tableAccept)
            #expect(table.status == 200)
            let definitions = table.json["columnDefinitions"].array ?? []
            let names = definitions.compactMap { $0["name"].string }
            #expect(names == ["Last Seen", "Type", "Reason", "Object", "Subobject", "Source", "Message", "First Seen", "Count", "Name"])
            let narrow = definitions.filter { $0["priority"] == 0 }.compactMap { $0["name"].string }
            #expect(narrow == ["Last Seen", "Type", "Reason", "Object", "Message"])
            #expect(definitions.last?["format"] == "name")

            let cells = table.json["rows"][0]["cells"].array ?? []
            #expect(cells.count == names.count)
            #expect(cells[1] == "Normal")
            #expect(cells[2] == "Started")
            #expect(cells[3] == "pod/web-1")
            #expect(cells[5] == "kubelet, node-1")
            #expect(cells[6] == "Started container app")
            #expect(cells[8] == 2)
            #expect(cells[9] == "web-1.17a")
            #expect(table.json["rows"][0]["object"]["metadata"]["name"] == "web-1.17a")
        }
    }

    @Test func otherResourcesStillLeadWithName() async throws {
        try await TestServer.with { s in
            _ = await s.send("POST", Objects.configMaps, body: Objects.configMap("c1"))
            let table = await s.send("GET", Objects.configMaps, accept: Self.tableAccept)
            #expect(table.json["columnDefinitions"][0]["name"] == "Name")
            #expect(table.json["rows"][0]["cells"][0] == "c1")
        }
    }
}
