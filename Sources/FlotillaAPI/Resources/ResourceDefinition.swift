import FlotillaCore
import Foundation

/// Everything the API server needs to serve one resource: its names, scope, schema, verbs,
/// subresources, table columns, defaulting and validation.
///
/// Adding a kind is one ``Definition`` (its schema) plus one `ResourceDefinition`.
public struct ResourceDefinition: Sendable {
    /// How `metadata.name` is validated.
    public enum NameRule: Sendable {
        /// RFC 1123 subdomain: lowercase alphanumerics, '-' and '.', at most 253 characters.
        case dnsSubdomain
        /// RFC 1123 label: lowercase alphanumerics and '-', at most 63 characters.
        case dnsLabel
        /// RFC 1035 label (services): starts with a letter, at most 63 characters.
        case dns1035Label
        /// Any name valid as a path segment (not ".", "..", no '/' or '%').
        case pathSegment
    }

    /// A subresource such as `status` or `scale`.
    public struct Subresource: Sendable {
        public var name: String
        /// The kind the subresource serves, e.g. autoscaling/v1 Scale for `scale`.
        public var kind: GroupVersionKind
        public var verbs: [String]

        public init(_ name: String, kind: GroupVersionKind, verbs: [String]) {
            self.name = name
            self.kind = kind
            self.verbs = verbs
        }
    }

    public var group: String
    public var version: String
    public var kind: String
    /// The plural resource name in URLs, e.g. `deployments`.
    public var plural: String
    public var singular: String
    public var namespaced: Bool
    public var shortNames: [String]
    /// Categories such as `all` (drives `kubectl get all`).
    public var categories: [String]
    public var verbs: [String]
    public var subresources: [Subresource]
    /// The ``Definition`` name of the kind's schema, e.g. `io.k8s.api.apps.v1.Deployment`.
    public var schema: String
    public var nameRule: NameRule
    /// Whether the kind has a `spec` whose changes bump `metadata.generation`.
    public var hasSpec: Bool
    /// Whether `status` is served through the `status` subresource (and ignored on the main resource).
    public var hasStatusSubresource: Bool
    /// Columns of `kubectl get`, after NAME, which tables have first unless one of these columns
    /// has format `name` (events print NAME last, only with `-o wide`).
    public var columns: [TableColumn]
    /// Field selectors beyond `metadata.name` and `metadata.namespace`, e.g. `spec.nodeName`.
    public var selectableFields: [String]
    /// Fills in the API's defaults on a new or updated object.
    public var defaulter: (@Sendable (inout JSON) -> Void)?
    /// Kind-specific validation of a new object (`old == nil`) or an update; returns the problems.
    public var validator: (@Sendable (_ object: JSON, _ old: JSON?) -> [FlotillaError.Cause])?
    /// How objects convert to and from the version they are stored in, when this definition
    /// serves a resource in another version than its storage version; nil for a resource served
    /// only in the version it is stored in.
    public var conversion: Conversion?

    /// The conversion between a served version and the storage version of one resource, whose
    /// objects are stored once (under a key without the version) and served in both versions.
    public struct Conversion: Sendable {
        /// The version the objects are stored in; the catalog serves it as another definition of
        /// the same group and plural.
        public var storageVersion: String
        /// An object of the served version as the storage version; throws a 400 when it cannot
        /// be converted.
        public var toStorage: @Sendable (JSON) throws -> JSON
        /// A stored object as the served version.
        public var fromStorage: @Sendable (JSON) -> JSON

        public init(
            storageVersion: String, toStorage: @escaping @Sendable (JSON) throws -> JSON,
            fromStorage: @escaping @Sendable (JSON) -> JSON
        ) {
            self.storageVersion = storageVersion
            self.toStorage = toStorage
            self.fromStorage = fromStorage
        }
    }

    public init(
        group: String, version: String, kind: String, plural: String, singular: String? = nil,
        namespaced: Bool, shortNames: [String] = [], categories: [String] = [],
        verbs: [String] = ResourceDefinition.allVerbs, subresources: [Subresource] = [],
        schema: String, nameRule: NameRule = .dnsSubdomain, hasSpec: Bool = true,
        hasStatusSubresource: Bool = false, columns: [TableColumn] = [], selectableFields: [String] = [],
        defaulter: (@Sendable (inout JSON) -> Void)? = nil,
        validator: (@Sendable (_ object: JSON, _ old: JSON?) -> [FlotillaError.Cause])? = nil,
        conversion: Conversion? = nil
    ) {
        self.group = group
        self.version = version
        self.kind = kind
        self.plural = plural
        self.singular = singular ?? kind.lowercased()
        self.namespaced = namespaced
        self.shortNames = shortNames
        self.categories = categories
        self.verbs = verbs
        self.subresources = subresources
        self.schema = schema
        self.nameRule = nameRule
        self.hasSpec = hasSpec
        self.hasStatusSubresource = hasStatusSubresource
        self.columns = columns
        self.selectableFields = selectableFields
        self.defaulter = defaulter
        self.validator = validator
        self.conversion = conversion
    }

    /// The verbs of an ordinary stored resource.
    public static let allVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]

    public var groupVersionKind: GroupVersionKind { GroupVersionKind(group, version, kind) }
    /// `v1` or `apps/v1`.
    public var apiVersion: String { groupVersionKind.apiVersion }
    public var listKind: String { kind + "List" }
    /// The group name used in store keys: "core" for the core group.
    public var storageGroup: String { group.isEmpty ? "core" : group }
}

/// One column of a `kubectl get` table.
public struct TableColumn: Sendable {
    public var name: String
    /// OpenAPI type of the cells: `string`, `integer`, `number`, `boolean`, `date`.
    public var type: String
    public var format: String
    public var description: String
    /// 0 = always shown; 1 = only with `-o wide`.
    public var priority: Int
    /// The cell for one object at a moment (AGE needs the time).
    public var cell: @Sendable (_ object: JSON, _ now: Date) -> JSON

    public init(
        _ name: String, type: String = "string", format: String = "", description: String = "",
        priority: Int = 0, cell: @escaping @Sendable (_ object: JSON, _ now: Date) -> JSON
    ) {
        self.name = name
        self.type = type
        self.format = format
        self.description = description
        self.priority = priority
        self.cell = cell
    }
}
