import FlotillaCore
import Foundation

extension KubernetesClient {
    /// The object `name`, decoded as `T` (a typed view that names only the fields it needs).
    public func get<T: Decodable>(
        _ type: T.Type, _ resource: ResourceRef, namespace: String? = nil, name: String
    ) async throws -> T {
        try Self.decode(type, from: try await get(resource, namespace: namespace, name: name))
    }

    /// Every object matching the selectors, decoded as `T`.
    public func list<T: Decodable>(
        _ type: T.Type, _ resource: ResourceRef, namespace: String? = nil, labelSelector: String? = nil,
        fieldSelector: String? = nil
    ) async throws -> [T] {
        let list = try await listAll(resource, namespace: namespace, labelSelector: labelSelector, fieldSelector: fieldSelector)
        return try list.items.map { try Self.decode(type, from: $0) }
    }

    /// Decodes a JSON value into a `Decodable` type with Foundation's `JSONDecoder`.
    public static func decode<T: Decodable>(_ type: T.Type, from json: JSON) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(json.serialized()))
        } catch {
            let name = json[path: ["metadata", "name"]].string.map { " \"\($0)\"" } ?? ""
            throw FlotillaError(.internalError, "cannot read \(json["kind"].string ?? "object")\(name) as \(type): \(error)")
        }
    }

    /// Encodes an `Encodable` value into a JSON value with Foundation's `JSONEncoder` (members sorted).
    public static func encode<T: Encodable>(_ value: T) throws -> JSON {
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            return try JSONParser.parse(Array(try encoder.encode(value)))
        } catch {
            throw FlotillaError(.internalError, "cannot encode \(T.self) as JSON: \(error)")
        }
    }
}
