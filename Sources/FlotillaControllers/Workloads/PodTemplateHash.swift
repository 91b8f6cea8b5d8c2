import FlotillaCore

/// The `pod-template-hash` label that tells a deployment's replica sets apart, and template
/// equality that ignores it (two templates are the same whatever the order of their keys).
enum PodTemplateHash {
    static let label = "pod-template-hash"

    /// A short, label-safe hash of `template` (FNV-1a over its canonical form, with
    /// `collisionCount` mixed in), as Kubernetes names replica sets `<deployment>-<hash>`.
    static func of(_ template: JSON, collisionCount: Int64 = 0) -> String {
        var hash: UInt32 = 2_166_136_261
        for byte in canonical(template).utf8 + Array("\(collisionCount)".utf8) {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        // Kubernetes' safe alphabet: no vowels, no digits or letters that read alike.
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        var text = ""
        var value = hash
        repeat {
            text.append(alphabet[Int(value % UInt32(alphabet.count))])
            value /= UInt32(alphabet.count)
        } while value > 0
        return text
    }

    /// Whether two pod templates are equal once the hash label is removed from both.
    static func equalIgnoringHash(_ a: JSON, _ b: JSON) -> Bool {
        canonical(withoutHash(a)) == canonical(withoutHash(b))
    }

    /// `template` without the hash label.
    static func withoutHash(_ template: JSON) -> JSON {
        var template = template
        if var labels = template["metadata"]["labels"].object {
            labels[label] = nil
            template[path: ["metadata", "labels"]] = labels.isEmpty ? .null : .object(labels)
        }
        if template["metadata"]["labels"].isNull, var metadata = template["metadata"].object {
            metadata["labels"] = nil
            template["metadata"] = .object(metadata)
        }
        return template
    }

    /// JSON text with every object's keys sorted, and null members left out.
    static func canonical(_ json: JSON) -> String {
        switch json {
        case .object(let object):
            let members = object.filter { !$0.value.isNull }.sorted { $0.key < $1.key }
            return "{" + members.map { String(decoding: JSON.string($0.key).serialized(), as: UTF8.self) + ":" + canonical($0.value) }.joined(separator: ",") + "}"
        case .array(let items):
            return "[" + items.map(canonical).joined(separator: ",") + "]"
        default:
            return String(decoding: json.serialized(), as: UTF8.self)
        }
    }
}
