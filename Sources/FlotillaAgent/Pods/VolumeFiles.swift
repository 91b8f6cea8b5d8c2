import FlotillaCore

/// The files of a volume the agent writes itself — configMap, secret, downwardAPI and
/// projected (with service account tokens) — from the pod's ``PodInputs``, as a kubelet lays them out: one file per key (or
/// per listed item, at its path), with the item's mode or the volume's `defaultMode` (0644).
enum VolumeFiles {
    /// The files of `volume` (an entry of `spec.volumes`); throws, naming what is missing, when a
    /// ConfigMap, Secret or key it needs is not there and not optional.
    static func files(of volume: JSON, pod: JSON, inputs: PodInputs) throws -> [PodVolume.File] {
        if !volume["configMap"].isNull {
            return try configMap(volume["configMap"], inputs: inputs, defaultMode: mode(volume["configMap"]["defaultMode"]))
        }
        if !volume["secret"].isNull {
            var source = volume["secret"]
            source["name"] = source["secretName"]
            return try secret(source, inputs: inputs, defaultMode: mode(volume["secret"]["defaultMode"]))
        }
        if !volume["downwardAPI"].isNull {
            return try downward(volume["downwardAPI"], pod: pod, inputs: inputs, defaultMode: mode(volume["downwardAPI"]["defaultMode"]))
        }
        let projected = volume["projected"]
        let defaultMode = mode(projected["defaultMode"])
        return try (projected["sources"].array ?? []).flatMap { source -> [PodVolume.File] in
            if !source["configMap"].isNull { return try configMap(source["configMap"], inputs: inputs, defaultMode: defaultMode) }
            if !source["secret"].isNull { return try secret(source["secret"], inputs: inputs, defaultMode: defaultMode) }
            if !source["downwardAPI"].isNull { return try downward(source["downwardAPI"], pod: pod, inputs: inputs, defaultMode: defaultMode) }
            if !source["serviceAccountToken"].isNull { return try token(source["serviceAccountToken"], inputs: inputs, defaultMode: defaultMode) }
            let kind = source.object?.keys.first ?? "unknown"
            throw FlotillaError(.invalid, "projected \(kind) sources are not provided by this agent yet")
        }
    }

    /// The token file of a projected service account token source.
    private static func token(_ source: JSON, inputs: PodInputs, defaultMode: UInt16) throws -> [PodVolume.File] {
        switch inputs.serviceAccountTokens[PodInputs.tokenKey(source)] {
        case .success(let token):
            return [PodVolume.File(path: source["path"].string ?? "token", content: Array(token.utf8), mode: defaultMode)]
        case .failure(let error):
            throw FlotillaError(.notFound, "cannot get a service account token: \(error.message)")
        case nil:
            throw FlotillaError(.notFound, "no service account token for this pod yet")
        }
    }

    private static func configMap(_ source: JSON, inputs: PodInputs, defaultMode: UInt16) throws -> [PodVolume.File] {
        let name = source["name"].string ?? ""
        guard let entries = inputs.entries(configMap: name) else {
            if source["optional"].bool == true { return [] }
            throw FlotillaError(.notFound, "configmap \"\(name)\" not found")
        }
        return try keyed(entries, items: source["items"], optional: source["optional"].bool == true, kind: "config", defaultMode: defaultMode)
    }

    private static func secret(_ source: JSON, inputs: PodInputs, defaultMode: UInt16) throws -> [PodVolume.File] {
        let name = source["name"].string ?? ""
        guard let entries = inputs.entries(secret: name) else {
            if source["optional"].bool == true { return [] }
            throw FlotillaError(.notFound, "secret \"\(name)\" not found")
        }
        return try keyed(entries, items: source["items"], optional: source["optional"].bool == true, kind: "secret", defaultMode: defaultMode)
    }

    /// Every entry as a file named by its key, or only the listed items at their paths.
    private static func keyed(
        _ entries: [(key: String, value: [UInt8])], items: JSON, optional: Bool, kind: String, defaultMode: UInt16
    ) throws -> [PodVolume.File] {
        guard let items = items.array, !items.isEmpty else {
            return entries.map { PodVolume.File(path: $0.key, content: $0.value, mode: defaultMode) }
        }
        return try items.compactMap { item in
            let key = item["key"].string ?? ""
            guard let entry = entries.first(where: { $0.key == key }) else {
                if optional { return nil }
                throw FlotillaError(.notFound, "\(kind == "config" ? "configmap" : "secret") references non-existent \(kind) key: \(key)")
            }
            return PodVolume.File(path: item["path"].string ?? key, content: entry.value, mode: item["mode"].isNull ? defaultMode : mode(item["mode"]))
        }
    }

    private static func downward(_ source: JSON, pod: JSON, inputs: PodInputs, defaultMode: UInt16) throws -> [PodVolume.File] {
        try (source["items"].array ?? []).map { item in
            let path = item["path"].string ?? ""
            let text: String
            if let field = item["fieldRef"]["fieldPath"].string {
                guard let value = PodFields.value(field, of: pod, inputs: inputs) else {
                    throw FlotillaError(.invalid, "downwardAPI item \(path): fieldRef \(field) is not supported in volumes")
                }
                text = value
            } else {
                text = try PodFields.resource(item["resourceFieldRef"], of: pod, defaultContainer: nil, inputs: inputs)
            }
            return PodVolume.File(path: path, content: Array(text.utf8), mode: item["mode"].isNull ? defaultMode : mode(item["mode"]))
        }
    }

    /// A file mode from the API (decimal, e.g. 420 for 0644); 0644 when not given.
    private static func mode(_ value: JSON) -> UInt16 {
        value.int.map { UInt16(truncatingIfNeeded: $0) & 0o7777 } ?? 0o644
    }
}
