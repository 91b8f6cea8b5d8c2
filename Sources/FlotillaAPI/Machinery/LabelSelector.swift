import FlotillaCore

/// A label selector: requirements on an object's labels, all of which must hold.
///
/// Built from the string form of `?labelSelector=` (`a=b,c!=d,e in (x,y),f notin (z),g,!h`) or
/// from the JSON form of `spec.selector` (`matchLabels` and `matchExpressions`), with Kubernetes'
/// validation and error messages.
public struct LabelSelector: Sendable, Equatable, CustomStringConvertible {
    /// How a requirement compares a label's value.
    public enum Operator: String, Sendable, Equatable {
        case equals = "="
        case doubleEquals = "=="
        case notEquals = "!="
        case `in` = "in"
        case notIn = "notin"
        case exists = "exists"
        case doesNotExist = "!"
        case greaterThan = "gt"
        case lessThan = "lt"
    }

    /// One condition on one label key.
    public struct Requirement: Sendable, Equatable, CustomStringConvertible {
        public var key: String
        public var op: Operator
        /// The values, sorted (one for the equality operators, none for existence).
        public var values: [String]

        /// A validated requirement; throws the Kubernetes validation message on bad keys or values.
        public init(key: String, op: Operator, values: [String]) throws(LabelSelectorError) {
            var errors: [String] = []
            switch op {
            case .in, .notIn:
                if values.isEmpty { errors.append("values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty") }
            case .equals, .doubleEquals, .notEquals:
                if values.count != 1 { errors.append("values: Invalid value: \(Self.goList(values)): exact-match compatibility requires one single value") }
            case .exists, .doesNotExist:
                if !values.isEmpty { errors.append("values: Invalid value: \(Self.goList(values)): values set must be empty for exists and does not exist") }
            case .greaterThan, .lessThan:
                if values.count != 1 {
                    errors.append("values: Invalid value: \(Self.goList(values)): for 'Gt', 'Lt' operators, exactly one value is required")
                } else if Int64(values[0]) == nil {
                    errors.append("values[0]: Invalid value: \"\(values[0])\": for 'Gt', 'Lt' operators, the value must be an integer")
                }
            }
            let keyErrors = NameValidation.qualifiedName(key)
            if !keyErrors.isEmpty { errors.append("key: Invalid value: \"\(key)\": " + keyErrors.joined(separator: "; ")) }
            if op != .greaterThan && op != .lessThan {
                for (i, v) in values.enumerated() {
                    let valueErrors = NameValidation.labelValue(v)
                    if !valueErrors.isEmpty {
                        errors.append("values[\(i)][\(key)]: Invalid value: \"\(v)\": " + valueErrors.joined(separator: "; "))
                    }
                }
            }
            if !errors.isEmpty {
                throw LabelSelectorError(errors.count == 1 ? errors[0] : "[" + errors.joined(separator: ", ") + "]")
            }
            self.key = key
            self.op = op
            self.values = Array(Set(values)).sorted()
        }

        private static func goList(_ values: [String]) -> String {
            "[]string{" + values.map { "\"\($0)\"" }.joined(separator: ", ") + "}"
        }

        /// Whether a label set satisfies this requirement.
        public func matches(_ labels: [String: String]) -> Bool {
            let value = labels[key]
            switch op {
            case .equals, .doubleEquals, .in: return value.map { values.contains($0) } ?? false
            case .notEquals, .notIn: return value.map { !values.contains($0) } ?? true
            case .exists: return value != nil
            case .doesNotExist: return value == nil
            case .greaterThan, .lessThan:
                guard let value, let have = Int64(value), let want = values.first.flatMap({ Int64($0) }) else { return false }
                return op == .greaterThan ? have > want : have < want
            }
        }

        /// The string form, e.g. `env in (a,b)`.
        public var description: String {
            switch op {
            case .exists: return key
            case .doesNotExist: return "!" + key
            case .in, .notIn: return "\(key) \(op.rawValue) (\(values.joined(separator: ",")))"
            case .greaterThan: return "\(key)>\(values.first ?? "")"
            case .lessThan: return "\(key)<\(values.first ?? "")"
            default: return "\(key)\(op.rawValue)\(values.first ?? "")"
            }
        }
    }

    /// The requirements, sorted by key.
    public private(set) var requirements: [Requirement]
    /// Whether this selector matches nothing at all (a missing selector in JSON form).
    public private(set) var matchesNothing: Bool

    /// A selector of the given requirements (none: it matches everything).
    public init(_ requirements: [Requirement] = []) {
        self.requirements = requirements.enumerated().sorted {
            $0.element.key == $1.element.key ? $0.offset < $1.offset : $0.element.key < $1.element.key
        }.map(\.element)
        self.matchesNothing = false
    }

    /// The selector that matches no object.
    public static var nothing: LabelSelector {
        var s = LabelSelector()
        s.matchesNothing = true
        return s
    }

    /// Parses the string form; throws 400 BadRequest naming the selector on bad input.
    public init(parsing text: String) throws(FlotillaError) {
        do {
            var parser = LabelSelectorParser(text)
            self.init(try parser.parse())
        } catch {
            throw FlotillaError(.badRequest, "unable to parse label selector \"\(text)\": \(error.message)")
        }
    }

    /// Builds a selector from its JSON form (`metav1.LabelSelector`). `null` matches nothing,
    /// `{}` matches everything. Throws 400 BadRequest with Kubernetes' message on a bad operator,
    /// key or value.
    public init(json: JSON) throws(FlotillaError) {
        if json.isNull {
            self = .nothing
            return
        }
        guard json.object != nil else {
            throw FlotillaError(.badRequest, "invalid label selector: expected an object, got \(json.typeName)")
        }
        var reqs: [Requirement] = []
        do throws(LabelSelectorError) {
            if let labels = json["matchLabels"].object {
                for (k, v) in labels {
                    reqs.append(try Requirement(key: k, op: .equals, values: [v.string ?? ""]))
                }
            }
            for expr in json["matchExpressions"].array ?? [] {
                let key = expr["key"].string ?? ""
                let values = (expr["values"].array ?? []).map { $0.string ?? "" }
                let op: Operator
                switch expr["operator"].string ?? "" {
                case "In": op = .in
                case "NotIn": op = .notIn
                case "Exists": op = .exists
                case "DoesNotExist": op = .doesNotExist
                case let other: throw LabelSelectorError("\"\(other)\" is not a valid label selector operator")
                }
                reqs.append(try Requirement(key: key, op: op, values: values))
            }
        } catch {
            throw FlotillaError(.badRequest, error.message)
        }
        self.init(reqs)
    }

    /// Whether the selector has no requirements (and so matches everything, unless ``nothing``).
    public var isEmpty: Bool { requirements.isEmpty && !matchesNothing }

    /// Whether an object with these labels is selected.
    public func matches(_ labels: [String: String]) -> Bool {
        !matchesNothing && requirements.allSatisfy { $0.matches(labels) }
    }

    /// Whether an object with this `metadata.labels` JSON is selected.
    public func matches(labels json: JSON) -> Bool {
        var labels: [String: String] = [:]
        for (k, v) in json.object ?? [:] { labels[k] = v.string ?? "" }
        return matches(labels)
    }

    /// The string form, parseable by ``init(parsing:)``.
    public var description: String { requirements.map(\.description).joined(separator: ",") }
}

/// A label selector syntax or validation problem, in Kubernetes' words.
public struct LabelSelectorError: Error, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
}
