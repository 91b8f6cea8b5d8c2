import FlotillaCore
import Foundation
import Yams

/// YAML request bodies (`application/yaml`, `application/apply-patch+yaml`) to JSON, and JSON
/// to YAML text for output.
///
/// Reading follows Kubernetes' YAML-to-JSON conversion: YAML 1.1 scalars as go-yaml v2 resolves
/// them (``YAMLScalarResolver``: `yes` is `true`, `0777` is 511, timestamps stay strings), quoted
/// and block scalars are strings, explicit `!!str`/`!!int`/... tags are honoured, `<<` merge keys
/// are applied, non-string keys become their text. Errors are ``FlotillaError`` 400 naming the line.
public enum YAMLCodec {
    /// The documents of a YAML stream, empty documents left out.
    public static func documents(_ body: some Collection<UInt8>) throws(FlotillaError) -> [JSON] {
        if let json = jsonFastPath(body) { return json.isNull ? [] : [json] }
        let text = try utf8Text(body)
        var out: [JSON] = []
        do {
            let parser = try Parser(yaml: text, resolver: .basic)
            var converter = Converter(budget: max(10_000, 8 * body.count))
            while let root = try parser.nextRoot() {
                let value = try converter.json(root)
                if !value.isNull { out.append(value) }
            }
        } catch let error as FlotillaError {
            throw error
        } catch {
            throw FlotillaError(.badRequest, "error converting YAML to JSON: \(describe(error))")
        }
        return out
    }

    /// The first document of a YAML body (Kubernetes reads only the first), or `.null` when the
    /// body holds none.
    public static func document(_ body: some Collection<UInt8>) throws(FlotillaError) -> JSON {
        if let json = jsonFastPath(body) { return json }
        let text = try utf8Text(body)
        do {
            let parser = try Parser(yaml: text, resolver: .basic)
            var converter = Converter(budget: max(10_000, 8 * body.count))
            while let root = try parser.nextRoot() {
                let value = try converter.json(root)
                if !value.isNull { return value }
            }
            return .null
        } catch let error as FlotillaError {
            throw error
        } catch {
            throw FlotillaError(.badRequest, "error converting YAML to JSON: \(describe(error))")
        }
    }

    /// YAML text of a JSON value, as `kubectl get -o yaml` prints it: block style, two-space
    /// indentation, strings that would read back as another type in double quotes.
    ///
    /// - Parameter sortKeys: print object members in lexicographic order (as kubectl does)
    ///   instead of their stored order.
    public static func yamlText(_ json: JSON, sortKeys: Bool = false) -> String {
        do {
            return try Yams.serialize(node: node(json), indent: 2, width: -1, allowUnicode: true, sortKeys: sortKeys)
        } catch {
            // The emitter accepts every tree built here; JSON text is valid YAML all the same.
            return json.jsonText + "\n"
        }
    }

    // MARK: - Reading

    /// A body that is a JSON object or array (what kubectl sends as `apply-patch+yaml`) read by
    /// the JSON parser, which is much faster and means the same; nil sends it down the YAML path.
    private static func jsonFastPath(_ body: some Collection<UInt8>) -> JSON? {
        guard let first = body.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }),
            first == UInt8(ascii: "{") || first == UInt8(ascii: "[")
        else { return nil }
        guard let (value, duplicates) = try? JSONParser.parseReportingDuplicates(body), duplicates.isEmpty else {
            return nil
        }
        return value
    }

    /// How deeply a body may nest (estimated by ``YAMLNestingEstimate``), as for JSON bodies.
    static let maximumNesting = 512

    /// The body as text, once it is known to be UTF-8 and not too deeply nested to parse.
    private static func utf8Text(_ body: some Collection<UInt8>) throws(FlotillaError) -> String {
        guard let text = String(bytes: body, encoding: .utf8) else {
            throw FlotillaError(.badRequest, "error converting YAML to JSON: yaml: invalid UTF-8 in body")
        }
        guard YAMLNestingEstimate.upperBound(body) <= maximumNesting else {
            throw FlotillaError(
                .badRequest, "error converting YAML to JSON: yaml: nesting deeper than \(maximumNesting) levels")
        }
        return text
    }

    private static func describe(_ error: any Error) -> String {
        guard let error = error as? YamlError else { return "yaml: \(error)" }
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let detail = context.map { "\(problem) (\($0.text))" } ?? problem
            return "yaml: line \(mark.line): \(detail)"
        case .reader(let problem, let offset, _, _):
            return "yaml: \(problem)" + (offset.map { " at byte \($0)" } ?? "")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "\"\($0)\"" }.joined(separator: ", ")
            return "yaml: line \(context.mark.line): mapping key \(keys) already defined"
        default:
            return "yaml: \(error)"
        }
    }

    /// Turns composed YAML nodes into JSON, counting nodes so that alias chains cannot expand
    /// a small body into an enormous value.
    private struct Converter {
        var budget: Int

        mutating func json(_ node: Node) throws -> JSON {
            budget -= 1
            guard budget >= 0 else {
                throw FlotillaError(
                    .badRequest, "error converting YAML to JSON: yaml: document expands to too many values through aliases")
            }
            switch node {
            case .scalar(let scalar):
                return try self.scalar(scalar)
            case .sequence(let sequence):
                var list: [JSON] = []
                list.reserveCapacity(sequence.count)
                for element in sequence { list.append(try json(element)) }
                return .array(list)
            case .mapping(let mapping):
                var object = JSONObject()
                var explicit = Set<String>()
                var merged: [JSONObject] = []
                for (keyNode, valueNode) in mapping {
                    if case .scalar(let k) = keyNode, k.string == "<<", k.style == .plain {
                        merged.append(contentsOf: try mergeSources(valueNode, line: k.mark?.line))
                        continue
                    }
                    let key = try self.key(keyNode)
                    explicit.insert(key)
                    object[key] = try json(valueNode)
                }
                // Explicit keys win over merged ones; earlier merge sources win over later ones.
                for source in merged {
                    for (k, v) in source where !explicit.contains(k) && object[k] == nil { object[k] = v }
                }
                return .object(object)
            case .alias:
                throw FlotillaError(.badRequest, "error converting YAML to JSON: yaml: unresolved alias")
            }
        }

        private mutating func mergeSources(_ node: Node, line: Int?) throws -> [JSONObject] {
            let at = line.map { "line \($0): " } ?? ""
            switch node {
            case .mapping:
                if case .object(let o) = try json(node) { return [o] }
            case .sequence(let sequence):
                var sources: [JSONObject] = []
                for element in sequence {
                    guard case .mapping = element, case .object(let o) = try json(element) else {
                        throw FlotillaError(
                            .badRequest, "error converting YAML to JSON: yaml: \(at)map merge requires map or sequence of maps as the value")
                    }
                    sources.append(o)
                }
                return sources
            default:
                break
            }
            throw FlotillaError(
                .badRequest, "error converting YAML to JSON: yaml: \(at)map merge requires map or sequence of maps as the value")
        }

        /// A mapping key as JSON member name: strings as they are, other scalars as their text.
        private mutating func key(_ node: Node) throws -> String {
            guard case .scalar(let scalar) = node else {
                let line = node.mark.map { "line \($0.line): " } ?? ""
                throw FlotillaError(
                    .badRequest, "error converting YAML to JSON: yaml: \(line)a mapping key must be a scalar")
            }
            // The composer resolves key tags while checking for duplicates, so a plain key is
            // read by its text alone.
            let plain = scalar.style == .plain && [Tag.Name.str.rawValue, ""].contains(scalar.tag.rawValue)
            let value = plain ? try Self.resolve(scalar) : try self.scalar(scalar)
            switch value {
            case .string(let s): return s
            case .null: return "null"
            case .bool(let b): return b ? "true" : "false"
            case .int(let i): return String(i)
            case .double(let d): return YAMLCodec.numberText(d)
            case .array, .object: return scalar.string
            }
        }

        /// A plain scalar read by the YAML 1.1 rules.
        private static func resolve(_ scalar: Node.Scalar) throws -> JSON {
            switch YAMLScalarResolver.resolve(scalar.string) {
            case .value(let v): return v
            case .nonFinite:
                let line = scalar.mark.map { "line \($0.line): " } ?? ""
                throw FlotillaError(
                    .badRequest, "error converting YAML to JSON: yaml: \(line)unsupported value \(scalar.string)")
            }
        }

        private func scalar(_ scalar: Node.Scalar) throws -> JSON {
            let tag = scalar.tag.rawValue
            let line = scalar.mark.map { "line \($0.line): " } ?? ""
            func resolved() throws -> JSON { try Self.resolve(scalar) }
            func mismatch(_ type: String) -> FlotillaError {
                FlotillaError(
                    .badRequest,
                    "error converting YAML to JSON: yaml: \(line)cannot decode !!str `\(scalar.string)` as a !!\(type)")
            }
            switch tag {
            case "":
                return scalar.style == .plain || scalar.style == .any ? try resolved() : .string(scalar.string)
            case Tag.Name.str.rawValue, "!", Tag.Name.timestamp.rawValue:
                return .string(scalar.string)
            case Tag.Name.int.rawValue:
                let v = try resolved()
                guard case .int = v else { throw mismatch("int") }
                return v
            case Tag.Name.float.rawValue:
                switch try resolved() {
                case .int(let i): return .double(Double(i))
                case .double(let d): return .double(d)
                default: throw mismatch("float")
                }
            case Tag.Name.bool.rawValue:
                let v = try resolved()
                guard case .bool = v else { throw mismatch("bool") }
                return v
            case Tag.Name.null.rawValue:
                return .null
            case Tag.Name.binary.rawValue:
                let compact = scalar.string.filter { !$0.isWhitespace }
                guard let data = Data(base64Encoded: compact) else { throw mismatch("binary") }
                return .string(String(decoding: data, as: UTF8.self))
            default:
                return scalar.style == .plain ? try resolved() : .string(scalar.string)
            }
        }
    }

    // MARK: - Writing

    private static func node(_ json: JSON) -> Node {
        switch json {
        case .null: return .scalar(.init("null", Tag(.null), .plain))
        case .bool(let b): return .scalar(.init(b ? "true" : "false", Tag(.bool), .plain))
        case .int(let i): return .scalar(.init(String(i), Tag(.int), .plain))
        case .double(let d): return .scalar(.init(numberText(d), Tag(.float), .plain))
        case .string(let s): return .scalar(stringScalar(s))
        case .array(let a): return .sequence(.init(a.map(node), Tag(.seq), .block))
        case .object(let o):
            return .mapping(.init(o.map { (Node.scalar(stringScalar($0.key)), node($0.value)) }, Tag(.map), .block))
        }
    }

    private static func stringScalar(_ s: String) -> Node.Scalar {
        if YAMLScalarResolver.needsQuoting(s) { return .init(s, Tag(.str), .doubleQuoted) }
        if s.contains("\n") { return .init(s, Tag(.str), .literal) }
        return .init(s, Tag(.str), .any)
    }

    /// A double the way Go's `%g`-style formatting writes it for JSON: integral values without a
    /// fraction.
    static func numberText(_ d: Double) -> String {
        if d.isFinite, d.rounded() == d, abs(d) < 1e15 { return String(Int64(d)) }
        return String(d)
    }
}
