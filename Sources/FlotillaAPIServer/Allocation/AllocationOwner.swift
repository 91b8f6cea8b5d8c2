import FlotillaCore
import Foundation

/// Who holds an allocated value: a service (by namespace and name) or a node (by name). Each
/// allocation key's value records its owner and when it was taken, so that releases touch only
/// one's own keys and the repair pass can tell an abandoned key from one whose object is still
/// being written.
struct AllocationOwner: Sendable, Equatable, CustomStringConvertible {
    /// `services` or `nodes`.
    var resource: String
    var namespace: String?
    var name: String

    /// Where every allocation key lives; outside `/registry/`, so no API listing or watch sees it.
    static let keyPrefix = "/flotilla/allocations/"

    static func service(namespace: String, name: String) -> AllocationOwner {
        AllocationOwner(resource: "services", namespace: namespace, name: name)
    }

    static func node(_ name: String) -> AllocationOwner {
        AllocationOwner(resource: "nodes", namespace: nil, name: name)
    }

    var description: String {
        namespace.map { "\(resource)/\($0)/\(name)" } ?? "\(resource)/\(name)"
    }

    /// The bytes of an allocation key taken now.
    func record(now: Date = Date()) -> [UInt8] {
        var object: JSONObject = ["resource": .string(resource), "name": .string(name), "time": .string(Timestamp.format(now))]
        if let namespace { object["namespace"] = .string(namespace) }
        return JSON.object(object).serialized()
    }

    /// The owner and time an allocation key records; nil for bytes that are not a record.
    static func parse(_ bytes: [UInt8]) -> (owner: AllocationOwner, time: Date?)? {
        guard let object = try? JSONParser.parse(bytes), let resource = object["resource"].string, let name = object["name"].string else {
            return nil
        }
        let owner = AllocationOwner(resource: resource, namespace: object["namespace"].string, name: name)
        return (owner, object["time"].string.flatMap(Timestamp.parse))
    }
}
