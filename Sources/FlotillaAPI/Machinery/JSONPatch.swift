import FlotillaCore

/// JSON patch (RFC 6902): `application/json-patch+json`, what `kubectl patch --type=json` and
/// `kubectl rollout undo` send.
///
/// As in Kubernetes, a body that is not a list of operation objects is malformed (400
/// BadRequest), and a patch that cannot be applied to the object (a failed `test`, a missing
/// path, an unknown op) is 422 with Kubernetes' message "the server rejected our request due to
/// an error in our request", followed by the precise reason, which is also given as a cause.
public struct JSONPatch: Sendable, Equatable {
    /// One operation of a patch.
    public struct Operation: Sendable, Equatable {
        /// `add`, `remove`, `replace`, `move`, `copy` or `test` (anything else fails on apply).
        public var op: String
        public var path: String
        public var from: String?
        public var value: JSON?

        public init(op: String, path: String, from: String? = nil, value: JSON? = nil) {
            self.op = op
            self.path = path
            self.from = from
            self.value = value
        }
    }

    public var operations: [Operation]

    public init(_ operations: [Operation]) {
        self.operations = operations
    }

    /// Decodes a patch body; throws 400 BadRequest when it is not an array of objects.
    public init(json: JSON) throws(FlotillaError) {
        guard let items = json.array else {
            throw FlotillaError(.badRequest, "invalid JSON patch: expected an array of operations, got \(json.typeName)")
        }
        var ops: [Operation] = []
        for (i, item) in items.enumerated() {
            guard item.object != nil else {
                throw FlotillaError(.badRequest, "invalid JSON patch: operation \(i) is \(item.typeName), not an object")
            }
            ops.append(Operation(
                op: item["op"].string ?? "", path: item["path"].string ?? "", from: item["from"].string,
                value: item.object?["value"]))
        }
        self.init(ops)
    }

    /// Applies every operation in order to `document`; throws 422 on the first that does not apply.
    public func apply(to document: JSON) throws(FlotillaError) -> JSON {
        var doc = document
        for op in operations {
            do {
                doc = try Self.apply(op, to: doc)
            } catch {
                throw FlotillaError(
                    .invalid, "the server rejected our request due to an error in our request: \(error.message)",
                    causes: [FlotillaError.Cause(reason: "UnexpectedServerResponse", message: error.message, field: "")])
            }
        }
        return doc
    }

    // MARK: - Operations

    private struct Failure: Error {
        var message: String
    }

    private static func pointer(_ text: String, _ op: String) throws(Failure) -> JSONPointer {
        guard let p = JSONPointer(text) else { throw Failure(message: "\(op) operation: invalid JSON pointer \"\(text)\"") }
        return p
    }

    private static func apply(_ op: Operation, to doc: JSON) throws(Failure) -> JSON {
        switch op.op {
        case "add":
            guard let value = op.value else { throw Failure(message: "add operation: missing value") }
            return try add(value, at: pointer(op.path, "add"), in: doc, op: "add")
        case "remove":
            return try remove(at: pointer(op.path, "remove"), in: doc, op: "remove").document
        case "replace":
            guard let value = op.value else { throw Failure(message: "replace operation: missing value") }
            let path = try pointer(op.path, "replace")
            let missing = "replace operation does not apply: doc is missing key: \(op.path): missing value"
            return try update(doc, tokens: path.tokens[...], missing: missing) { container, last throws(Failure) in
                switch container {
                case .object(var o) where o[last] != nil:
                    o[last] = value
                    container = .object(o)
                case .array(var a):
                    guard let i = JSONPointer.index(last, count: a.count, allowEnd: false) else { throw Failure(message: missing) }
                    a[i] = value
                    container = .array(a)
                default:
                    throw Failure(message: missing)
                }
            } whole: { value }
        case "move":
            let from = try pointer(op.from ?? "", "move")
            let path = try pointer(op.path, "move")
            if from.isPrefix(of: path) && from != path {
                throw Failure(message: "move operation: cannot move \(from) into its own child \(path)")
            }
            guard op.from != nil, get(from, in: doc) != nil else {
                throw Failure(message: "move operation does not apply: doc is missing from path: \(op.from ?? ""): missing value")
            }
            let (rest, value) = try remove(at: from, in: doc, op: "move")
            return try add(value, at: path, in: rest, op: "move")
        case "copy":
            let from = try pointer(op.from ?? "", "copy")
            guard op.from != nil, let value = get(from, in: doc) else {
                throw Failure(message: "copy operation does not apply: doc is missing from path: \"\(op.from ?? "")\": missing value")
            }
            return try add(value, at: pointer(op.path, "copy"), in: doc, op: "copy")
        case "test":
            let path = try pointer(op.path, "test")
            let actual = get(path, in: doc)
            let expected = op.value ?? .null
            if let actual, actual.isEquivalent(to: expected) { return doc }
            if actual == nil, expected.isNull { return doc }
            throw Failure(message: "testing value \(op.path) failed: test failed")
        case "":
            throw Failure(message: "Unexpected kind: missing op")
        default:
            throw Failure(message: "Unexpected kind: \(op.op)")
        }
    }

    /// The value at `pointer`, or nil when nothing is there.
    static func get(_ pointer: JSONPointer, in doc: JSON) -> JSON? {
        var v = doc
        for token in pointer.tokens {
            switch v {
            case .object(let o):
                guard let next = o[token] else { return nil }
                v = next
            case .array(let a):
                guard let i = JSONPointer.index(token, count: a.count, allowEnd: false) else { return nil }
                v = a[i]
            default:
                return nil
            }
        }
        return v
    }

    private static func add(_ value: JSON, at pointer: JSONPointer, in doc: JSON, op: String) throws(Failure) -> JSON {
        try update(doc, tokens: pointer.tokens[...], missing: "\(op) operation does not apply: doc is missing path: \"\(pointer)\": missing value") {
            container, last throws(Failure) in
            switch container {
            case .object(var o):
                o[last] = value
                container = .object(o)
            case .array(var a):
                guard let i = JSONPointer.index(last, count: a.count, allowEnd: true) else {
                    throw Failure(message: "\(op) operation does not apply: index out of bounds: \(pointer)")
                }
                a.insert(value, at: i)
                container = .array(a)
            default:
                throw Failure(message: "\(op) operation does not apply: doc is missing path: \"\(pointer)\": missing value")
            }
        } whole: { value }
    }

    private static func remove(at pointer: JSONPointer, in doc: JSON, op: String) throws(Failure) -> (document: JSON, removed: JSON) {
        guard !pointer.tokens.isEmpty else {
            throw Failure(message: "\(op) operation does not apply: cannot remove the whole document")
        }
        let missing = "\(op) operation does not apply: doc is missing path: \"\(pointer)\": missing value"
        var removed: JSON = .null
        let result = try update(doc, tokens: pointer.tokens[...], missing: missing) { container, last throws(Failure) in
            switch container {
            case .object(var o):
                guard let old = o.removeValue(forKey: last) else { throw Failure(message: missing) }
                removed = old
                container = .object(o)
            case .array(var a):
                guard let i = JSONPointer.index(last, count: a.count, allowEnd: false) else { throw Failure(message: missing) }
                removed = a.remove(at: i)
                container = .array(a)
            default:
                throw Failure(message: missing)
            }
        } whole: { .null }
        return (result, removed)
    }

    /// Walks to the parent of the last token and lets `change` edit it there.
    private static func update(
        _ doc: JSON, tokens: ArraySlice<String>, missing: String,
        change: (inout JSON, String) throws(Failure) -> Void, whole: () -> JSON
    ) throws(Failure) -> JSON {
        guard let first = tokens.first else { return whole() }
        if tokens.count == 1 {
            var container = doc
            try change(&container, first)
            return container
        }
        switch doc {
        case .object(var o):
            guard let child = o[first] else { throw Failure(message: missing) }
            o[first] = try update(child, tokens: tokens.dropFirst(), missing: missing, change: change, whole: whole)
            return .object(o)
        case .array(var a):
            guard let i = JSONPointer.index(first, count: a.count, allowEnd: false) else { throw Failure(message: missing) }
            a[i] = try update(a[i], tokens: tokens.dropFirst(), missing: missing, change: change, whole: whole)
            return .array(a)
        default:
            throw Failure(message: missing)
        }
    }
}
