import FlotillaCore

/// A container's environment as a kubelet makes it: the service variables first
/// (``ServiceEnvironment``), then `envFrom` sources (every key of a
/// ConfigMap or Secret, with the source's prefix; keys that are not variable names are
/// skipped), then `env` in order, later definitions replacing earlier ones. Values come
/// literally, with `$(NAME)` replaced by a variable defined before, or from a ConfigMap or
/// Secret key, a field of the pod or a resource of a container. A reference to something missing
/// fails the container (`CreateContainerConfigError`) unless it is marked optional.
struct ContainerEnvironment {
    /// The variables in order.
    var variables: [ContainerConfiguration.EnvironmentVariable] = []
    /// Variables that take the pod's address (`status.podIP`), filled in at creation.
    var podIPVariables: [String] = []

    init(container: JSON, pod: JSON, inputs: PodInputs) throws {
        variables = ServiceEnvironment.variables(
            services: inputs.services, namespace: pod[path: ["metadata", "namespace"]].string ?? "default",
            enableServiceLinks: pod["spec"]["enableServiceLinks"].bool ?? true)
        for source in container["envFrom"].array ?? [] {
            let prefix = source["prefix"].string ?? ""
            let entries: [(key: String, value: [UInt8])]
            if let name = source["configMapRef"]["name"].string {
                guard let found = inputs.entries(configMap: name) else {
                    if source["configMapRef"]["optional"].bool == true { continue }
                    throw FlotillaError(.notFound, "configmap \"\(name)\" not found")
                }
                entries = found
            } else if let name = source["secretRef"]["name"].string {
                guard let found = inputs.entries(secret: name) else {
                    if source["secretRef"]["optional"].bool == true { continue }
                    throw FlotillaError(.notFound, "secret \"\(name)\" not found")
                }
                entries = found
            } else {
                continue
            }
            for (key, value) in entries where Self.isVariableName(prefix + key) {
                set(prefix + key, String(decoding: value, as: UTF8.self))
            }
        }
        for variable in container["env"].array ?? [] {
            guard let name = variable["name"].string else { continue }
            let source = variable["valueFrom"]
            if source.isNull {
                set(name, expand(variable["value"].string ?? ""))
            } else if let value = try value(of: source, name: name, container: container, pod: pod, inputs: inputs) {
                set(name, value)
            }
        }
    }

    /// The value a `valueFrom` gives; nil for an optional reference to something missing, or
    /// for the pod's address.
    private mutating func value(of source: JSON, name: String, container: JSON, pod: JSON, inputs: PodInputs) throws -> String? {
        let configMapKey = source["configMapKeyRef"], secretKey = source["secretKeyRef"]
        if !configMapKey.isNull {
            let found = inputs.configMapValue(configMapKey["name"].string ?? "", key: configMapKey["key"].string ?? "")
            return try lookup(found, optional: configMapKey["optional"].bool == true)
        }
        if !secretKey.isNull {
            let found = inputs.secretValue(secretKey["name"].string ?? "", key: secretKey["key"].string ?? "")
            return try lookup(found, optional: secretKey["optional"].bool == true)
        }
        if let path = source["fieldRef"]["fieldPath"].string {
            if PodFields.isPodIP(path) {
                podIPVariables.append(name)
                return nil
            }
            guard let value = PodFields.value(path, of: pod, inputs: inputs) else {
                throw FlotillaError(.invalid, "env \(name): fieldRef \(path) is not supported")
            }
            return value
        }
        if !source["resourceFieldRef"].isNull {
            return try PodFields.resource(source["resourceFieldRef"], of: pod, defaultContainer: container["name"].string, inputs: inputs)
        }
        return ""
    }

    private func lookup(_ result: PodInputs.Lookup, optional: Bool) throws -> String? {
        switch result {
        case .found(let bytes): return String(decoding: bytes, as: UTF8.self)
        case .missingObject(let message), .missingKey(let message):
            if optional { return nil }
            throw FlotillaError(.notFound, message)
        }
    }

    private mutating func set(_ name: String, _ value: String) {
        podIPVariables.removeAll { $0 == name }
        if let index = variables.firstIndex(where: { $0.name == name }) {
            variables[index].value = value
        } else {
            variables.append(.init(name, value))
        }
    }

    /// `text` with each `$(NAME)` of a variable defined so far replaced by its value and `$$`
    /// by `$`; other references stay as written (Kubernetes' expansion of env, command and args).
    func expand(_ text: String) -> String {
        guard text.contains("$") else { return text }
        let characters = Array(text)
        var out = ""
        var index = 0
        while index < characters.count {
            let character = characters[index]
            guard character == "$", index + 1 < characters.count else {
                out.append(character)
                index += 1
                continue
            }
            if characters[index + 1] == "$" {
                out.append("$")
                index += 2
            } else if characters[index + 1] == "(", let close = characters[(index + 2)...].firstIndex(of: ")") {
                let name = String(characters[(index + 2)..<close])
                if let value = variables.first(where: { $0.name == name })?.value {
                    out += value
                } else {
                    out += "$(\(name))"
                }
                index = close + 1
            } else {
                out.append(character)
                index += 1
            }
        }
        return out
    }

    /// A C identifier-ish environment variable name, as Kubernetes accepts them: no `=`, not
    /// empty, not starting with a digit.
    static func isVariableName(_ name: String) -> Bool {
        guard let first = name.first, !first.isNumber else { return false }
        return name.allSatisfy { $0 == "_" || $0 == "-" || $0 == "." || $0.isLetter || $0.isNumber }
    }
}
