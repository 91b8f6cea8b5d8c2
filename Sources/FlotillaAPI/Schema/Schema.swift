/// The type of a field in a kind's schema.
///
/// One schema per kind drives validation, defaulting, OpenAPI, strategic merge patch and
/// protobuf decoding. Named object types are ``Definition``s, referred to by name with `.ref`.
public indirect enum SchemaType: Sendable, Equatable {
    /// A string; `enumValues` lists the allowed values when the API restricts them.
    case string(format: String? = nil, enumValues: [String]? = nil)
    /// A base64-encoded byte string in JSON, `bytes` in protobuf.
    case bytes
    case int32
    case int64
    /// A floating-point number (`double` in protobuf).
    case number
    case boolean
    /// `resource.Quantity`: a string like "500m" or "1Gi" (numbers accepted on input).
    /// Protobuf: message { 1: string }.
    case quantity
    /// `intstr.IntOrString`. Protobuf: message { 1: type int64, 2: intVal int32, 3: strVal string }.
    case intOrString
    /// `metav1.Time`, RFC 3339 seconds. Protobuf: message { 1: seconds int64, 2: nanos int32 }.
    case time
    /// `metav1.MicroTime`, RFC 3339 with microseconds. Protobuf as `.time`.
    case microTime
    /// `metav1.Duration`, a Go duration string such as "1h2m". Protobuf: message { 1: int64 }.
    case duration
    /// Any JSON value (runtime.RawExtension, JSON). Protobuf: message { 1: raw bytes }.
    case any
    /// A named ``Definition``, e.g. `io.k8s.api.core.v1.PodSpec`.
    case ref(String)
    /// A list. Patch behaviour is given by the ``Field`` that holds it.
    case array(SchemaType)
    /// A map from string keys. Protobuf: repeated entry messages { 1: key, 2: value }.
    case map(SchemaType)
}

/// How Kubernetes' Go type for a field treats its zero value (`false`, `0`, `""`).
///
/// Kubernetes' protobuf encoding writes every non-pointer field, zero or not, and pointer fields
/// only when set. Its JSON leaves out the zero of a non-pointer `omitempty` field. So a zero on
/// the protobuf wire reaches the JSON unless the field is ``omittedWhenZero``.
public enum FieldPresence: Sendable, Equatable {
    /// A non-pointer field with `omitempty` (`paused`, `minReadySeconds`, `hostPID`): its zero
    /// value means "not set" and is left out.
    case omittedWhenZero
    /// A pointer field (`*int32 replicas`, `*bool automountServiceAccountToken`, `*string
    /// storageClassName`): present only when set, and a set zero is meaningful.
    case pointer
    /// A non-pointer field without `omitempty` (`containerPort`, `ServicePort.port`,
    /// `Event.reportingComponent`): always serialized, zero included.
    case alwaysSerialized
}

/// One field of a ``Definition``.
public struct Field: Sendable, Equatable {
    /// The JSON name, e.g. `containers`.
    public var name: String
    /// The protobuf field number from Kubernetes' generated.proto.
    public var number: Int
    public var type: SchemaType
    /// One line on what the field means, in Flotilla's words.
    public var description: String
    /// Whether the API rejects an object without it.
    public var required: Bool
    /// Strategic merge patch strategy: `merge`, `replace`, `retainKeys` or `merge,retainKeys`.
    public var patchStrategy: String?
    /// Strategic merge patch key for lists of objects, e.g. `name` or `containerPort`.
    public var patchMergeKey: String?
    /// `x-kubernetes-list-type`: `atomic`, `set` or `map`.
    public var listType: String?
    /// `x-kubernetes-list-map-keys` when `listType == "map"`.
    public var listMapKeys: [String]?
    /// How the field's zero value is treated; see ``FieldPresence``.
    public var presence: FieldPresence

    /// - Parameter presence: defaults to ``FieldPresence/alwaysSerialized`` for required fields
    ///   and ``FieldPresence/omittedWhenZero`` for the others; pointer fields say `.pointer`.
    public init(
        _ name: String, _ number: Int, _ type: SchemaType, _ description: String = "",
        required: Bool = false, patchStrategy: String? = nil, patchMergeKey: String? = nil,
        listType: String? = nil, listMapKeys: [String]? = nil, presence: FieldPresence? = nil
    ) {
        self.name = name
        self.number = number
        self.type = type
        self.description = description
        self.required = required
        self.patchStrategy = patchStrategy
        self.patchMergeKey = patchMergeKey
        self.listType = listType
        self.listMapKeys = listMapKeys
        self.presence = presence ?? (required ? .alwaysSerialized : .omittedWhenZero)
    }

    /// Whether a zero value of this field is kept rather than read as "not set".
    public var keepsZeroValue: Bool { presence != .omittedWhenZero }
}

/// A named object type of the API, e.g. `io.k8s.api.core.v1.Pod`.
public struct Definition: Sendable, Equatable {
    /// The OpenAPI name, e.g. `io.k8s.api.apps.v1.Deployment`.
    public var name: String
    public var description: String
    public var fields: [Field]
    /// The kinds this definition is the top-level schema of (`x-kubernetes-group-version-kind`).
    public var groupVersionKinds: [GroupVersionKind]
    private var index: [String: Int]

    public init(_ name: String, _ description: String = "", gvk: [GroupVersionKind] = [], fields: [Field]) {
        self.name = name
        self.description = description
        self.fields = fields
        self.groupVersionKinds = gvk
        var index: [String: Int] = [:]
        for (n, f) in fields.enumerated() { index[f.name] = n }
        self.index = index
    }

    /// The field called `name`, if this definition has one.
    public func field(_ name: String) -> Field? {
        index[name].map { fields[$0] }
    }

    /// The field with protobuf number `number`.
    public func field(number: Int) -> Field? {
        fields.first { $0.number == number }
    }
}

/// A group, version and kind, e.g. `apps/v1 Deployment`. The core group is "".
public struct GroupVersionKind: Sendable, Hashable {
    public var group: String
    public var version: String
    public var kind: String

    public init(_ group: String, _ version: String, _ kind: String) {
        self.group = group
        self.version = version
        self.kind = kind
    }

    /// `v1` for the core group, `apps/v1` otherwise.
    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
}
