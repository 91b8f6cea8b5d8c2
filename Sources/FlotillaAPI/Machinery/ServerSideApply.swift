import FlotillaCore

/// Server-side apply (`PATCH` with `application/apply-patch+yaml`) and field ownership
/// tracking in `metadata.managedFields`.
///
/// Every write records which manager set which fields (``recordUpdate(old:new:manager:apiVersion:subresource:definition:catalog:now:)``
/// for create, update and the other patch types; ``apply(live:config:manager:force:definition:catalog:now:)``
/// for apply). An apply merges the applied configuration into the live object (lists with
/// list-map keys or merge keys merge by key, sets merge as unions, other lists are atomic),
/// removes the fields the manager applied before and no longer applies (unless another manager
/// owns them too), and refuses to change a field another manager owns (409 Conflict) unless
/// forced, in which case ownership moves to the applier.
public enum ServerSideApply {
    /// The manager that owns everything of an object that predates field tracking.
    public static let beforeFirstApplyManager = "before-first-apply"

    /// Applies `config` for `manager`, returning the new object with its `managedFields`.
    ///
    /// - Parameters:
    ///   - live: the stored object, nil when the apply creates it.
    ///   - config: the applied configuration (a YAML body already converted to JSON).
    ///   - force: take over conflicting fields instead of failing.
    ///   - definition: the Definition name of the kind, e.g. `io.k8s.api.apps.v1.Deployment`.
    ///   - now: the RFC 3339 time to record.
    /// - Throws: 400 BadRequest when `config` is not an object; 409 Conflict, with one
    ///   `FieldManagerConflict` cause per field, when another manager owns a field the config changes.
    public static func apply(
        live: JSON?, config: JSON, manager: String, force: Bool, definition: String,
        catalog: SchemaCatalog = .shared, now: String
    ) throws(FlotillaError) -> JSON {
        guard config.object != nil else {
            throw FlotillaError(.badRequest, "invalid apply configuration: expected a JSON object, got \(config.typeName)")
        }
        let tracker = FieldTracker(navigator: SchemaNavigator(catalog: catalog), rootType: .ref(definition))
        let apiVersion = config["apiVersion"].string ?? live?["apiVersion"].string ?? ""
        var applied = config
        applied[path: ["metadata", "managedFields"]] = .null
        let appliedSet = tracker.fieldSet(of: applied)

        var entries = live.map { ManagedFields.entries(of: $0) } ?? []
        if let live, entries.isEmpty {
            let everything = tracker.fieldSet(of: live)
            if !everything.isEmpty {
                entries.append(ManagedFields.Entry(
                    manager: beforeFirstApplyManager, operation: "Update", apiVersion: live["apiVersion"].string ?? apiVersion,
                    time: now, fields: everything))
            }
        }
        let mine = entries.firstIndex { $0.manager == manager && $0.operation == "Apply" && $0.subresource == nil }
        let previous = mine.map { entries[$0].fields } ?? FieldSet()

        // Conflicts: fields the config sets to a value other than the live one, owned by someone else.
        if let live {
            var conflicts: [(entry: Int, path: [String])] = []
            for path in appliedSet.leafPaths {
                guard let current = live.value(atFieldPath: path),
                    let wanted = applied.value(atFieldPath: path), !current.isEquivalent(to: wanted)
                else { continue }
                for (i, entry) in entries.enumerated() where i != mine && entry.fields.contains(path) {
                    conflicts.append((i, path))
                }
            }
            if !conflicts.isEmpty && !force {
                throw conflictError(conflicts.map { (entries[$0.entry], $0.path) })
            }
            for (i, path) in conflicts { entries[i].fields.remove(path) }
        }

        var result = tracker.merge(live: live, config: applied)
        // Fields this manager applied before and no longer does, owned by nobody else.
        let others = entries.indices.filter { $0 != mine }.map { entries[$0].fields }
        var removed: [[String]] = []
        for path in previous.memberPaths where !appliedSet.containsAnything(under: path) {
            if removed.contains(where: { path.starts(with: $0) }) { continue }
            if others.contains(where: { $0.containsAnything(under: path) }) { continue }
            result = result.removing(fieldPath: path)
            removed.append(path)
        }

        let entry = ManagedFields.Entry(manager: manager, operation: "Apply", apiVersion: apiVersion, time: now, fields: appliedSet)
        if let mine { entries[mine] = entry } else { entries.append(entry) }
        entries.removeAll { $0.fields.isEmpty }
        return ManagedFields.setting(entries, on: result)
    }

    /// Records a non-apply write (create, update, merge/JSON/strategic patch) by `manager`: the
    /// fields it changed become its own (in its `Update` entry) and leave other managers, and
    /// removed fields leave everyone. Returns `new` with its `managedFields` updated.
    ///
    /// - Parameters:
    ///   - old: the object before the write, nil for a create.
    ///   - apiVersion: the version the request used; defaults to `new.apiVersion`.
    ///   - subresource: e.g. `status` or `scale` when the write went through one.
    public static func recordUpdate(
        old: JSON?, new: JSON, manager: String, apiVersion: String? = nil, subresource: String? = nil,
        definition: String, catalog: SchemaCatalog = .shared, now: String
    ) -> JSON {
        let tracker = FieldTracker(navigator: SchemaNavigator(catalog: catalog), rootType: .ref(definition))
        var entries = old.map { ManagedFields.entries(of: $0) } ?? ManagedFields.entries(of: new)
        let newSet = tracker.fieldSet(of: new)
        let oldSet = old.map { tracker.fieldSet(of: $0) } ?? FieldSet()

        var changed = FieldSet()
        for path in newSet.memberPaths {
            if !oldSet.contains(path) {
                changed.insert(path)
            } else if newSet.node(at: path)?.children.isEmpty == true,
                let before = old?.value(atFieldPath: path), let after = new.value(atFieldPath: path), !before.isEquivalent(to: after)
            {
                changed.insert(path)
            }
        }
        let removed = oldSet.memberPaths.filter { !newSet.contains($0) }

        for i in entries.indices {
            for path in removed { entries[i].fields.remove(path) }
            let isMine = entries[i].manager == manager && entries[i].operation == "Update" && entries[i].subresource == subresource
            if !isMine {
                for path in changed.memberPaths { entries[i].fields.remove(path) }
            }
        }
        if !changed.isEmpty {
            if let i = entries.firstIndex(where: { $0.manager == manager && $0.operation == "Update" && $0.subresource == subresource }) {
                for path in changed.memberPaths { entries[i].fields.insert(path) }
                entries[i].time = now
                entries[i].apiVersion = apiVersion ?? new["apiVersion"].string ?? entries[i].apiVersion
            } else {
                entries.append(ManagedFields.Entry(
                    manager: manager, operation: "Update", apiVersion: apiVersion ?? new["apiVersion"].string ?? "",
                    time: now, fields: changed, subresource: subresource))
            }
        }
        entries.removeAll { $0.fields.isEmpty }
        return ManagedFields.setting(entries, on: new)
    }

    /// Kubernetes' conflict error: `Apply failed with 1 conflict: conflict with "m" using apps/v1: .spec.replicas`.
    private static func conflictError(_ conflicts: [(ManagedFields.Entry, [String])]) -> FlotillaError {
        var groups: [(entry: ManagedFields.Entry, fields: [String])] = []
        for (entry, path) in conflicts {
            let field = FieldSet.describe(path)
            if let g = groups.firstIndex(where: { $0.entry.manager == entry.manager && $0.entry.operation == entry.operation }) {
                if !groups[g].fields.contains(field) { groups[g].fields.append(field) }
            } else {
                groups.append((entry, [field]))
            }
        }
        let total = groups.reduce(0) { $0 + $1.fields.count }
        var message = "Apply failed with \(total) conflict\(total == 1 ? "" : "s"): "
        message += groups.map { g in
            let who = "with \"\(g.entry.manager)\"" + (g.entry.apiVersion.isEmpty ? "" : " using \(g.entry.apiVersion)")
            if g.fields.count == 1 { return "conflict \(who): \(g.fields[0])" }
            return "conflicts \(who):\n" + g.fields.map { "- " + $0 }.joined(separator: "\n")
        }.joined(separator: "\n")
        let causes = groups.flatMap { g in
            g.fields.map { field in
                FlotillaError.Cause(
                    reason: "FieldManagerConflict",
                    message: "conflict with \"\(g.entry.manager)\"" + (g.entry.apiVersion.isEmpty ? "" : " using \(g.entry.apiVersion)"),
                    field: field)
            }
        }
        return FlotillaError(.conflict, message, causes: causes)
    }
}
