import FlotillaAPI
import FlotillaClient
import FlotillaCore

/// The apps/v1 ControllerRevisions of a DaemonSet or StatefulSet: the history that
/// `kubectl rollout history` lists and `kubectl rollout undo` restores from.
///
/// Each revision is named `<set>-<hash>`, is controlled by its set, carries the set's template
/// labels plus `controller-revision-hash`, a `revision` number and, as `data`, the strategic
/// merge patch `{"spec":{"template":{…,"$patch":"replace"}}}` that puts the template back.
/// The hash is ``PodTemplateHash`` of the template with the set's `status.collisionCount`.
/// A template seen before reuses its revision, which is renumbered to the highest + 1: that is
/// how an undo shows up in the history. Revisions beyond `spec.revisionHistoryLimit` that no
/// live pod uses are deleted, the oldest first.
struct ControllerHistory: Sendable {
    static let hashLabel = "controller-revision-hash"
    static let changeCauseAnnotation = "kubernetes.io/change-cause"
    static let defaultHistoryLimit = 10
    /// How many hash collisions in a row are tolerated before giving up until the next sync.
    static let maxCollisions = 10

    let client: KubernetesClient
    let revisions: Informer
    /// The owner's `apiVersion` and `kind`.
    let apiVersion: String
    let kind: String

    /// The revisions of one set after ``sync(_:)``.
    struct State: Sendable {
        /// The revision of the set's current template.
        var update: JSON
        /// Every revision the set controls, `update` included.
        var all: [JSON]
        /// The set's `status.collisionCount` to write.
        var collisionCount: Int64
    }

    // MARK: Revision contents

    /// The `data` of a revision of `template`.
    static func data(template: JSON) -> JSON {
        var template = template
        template["$patch"] = "replace"
        return ["spec": ["template": template]]
    }

    /// The pod template a revision holds.
    static func template(of revision: JSON) -> JSON {
        var template = revision["data"]["spec"]["template"]
        if var object = template.object {
            object["$patch"] = nil
            template = .object(object)
        }
        return template
    }

    /// The revision number of `revision`.
    static func number(_ revision: JSON) -> Int64 {
        revision["revision"].int ?? 0
    }

    /// Whether two revisions hold the same data, whatever the order of their keys.
    static func sameData(_ a: JSON, _ b: JSON) -> Bool {
        PodTemplateHash.canonical(a) == PodTemplateHash.canonical(b)
    }

    // MARK: Sync

    /// Adopts and releases the owner's revisions, finds or makes the revision of its template
    /// (renumbering it when an older template came back) and returns them all.
    func sync(_ owner: JSON) async throws -> State {
        var all = try await claim(owner)
        let template = owner["spec"]["template"]
        let data = Self.data(template: template)
        let highest = all.map(Self.number).max() ?? 0
        var collisionCount = owner["status"]["collisionCount"].int ?? 0
        if let existing = all.filter({ Self.sameData($0["data"], data) }).max(by: { Self.number($0) < Self.number($1) }) {
            let update = try await renumber(existing, after: highest)
            all = all.map { $0["metadata"]["uid"] == update["metadata"]["uid"] ? update : $0 }
            return State(update: update, all: all, collisionCount: collisionCount)
        }
        for _ in 0..<Self.maxCollisions {
            let revision = make(owner, template: template, data: data, number: highest + 1, collisionCount: collisionCount)
            do {
                let created = try await client.create(.controllerRevisions, revision)
                return State(update: created, all: all + [created], collisionCount: collisionCount)
            } catch let error as FlotillaError where error.code == .alreadyExists {
                let found = try await client.get(.controllerRevisions, namespace: revision["metadata"]["namespace"].string, name: revision["metadata"]["name"].string ?? "")
                if Self.sameData(found["data"], data), OwnerReferences.isControlled(found, byKind: kind, uid: owner["metadata"]["uid"].string ?? "") {
                    // Made by an earlier sync that the cache has not shown yet.
                    let update = try await renumber(found, after: highest)
                    return State(update: update, all: all.filter { $0["metadata"]["uid"] != update["metadata"]["uid"] } + [update], collisionCount: collisionCount)
                }
                collisionCount += 1
            }
        }
        throw FlotillaError(.conflict, "\(kind) \(owner["metadata"]["name"].string ?? ""): \(Self.maxCollisions) revision name collisions in a row")
    }

    /// Deletes the oldest revisions beyond the owner's `spec.revisionHistoryLimit` among those
    /// not in `live`: the revisions the set and its pods are at, by name or by hash (a
    /// StatefulSet's pods carry the name in their `controller-revision-hash` label, a
    /// DaemonSet's the hash).
    func prune(_ owner: JSON, all: [JSON], live: Set<String>) async throws {
        let limit = Int(owner["spec"]["revisionHistoryLimit"].int ?? Int64(Self.defaultHistoryLimit))
        let isLive = { (revision: JSON) in
            live.contains(revision["metadata"]["name"].string ?? "") || live.contains(revision["metadata"]["labels"][Self.hashLabel].string ?? "")
        }
        let old = all.filter { !isLive($0) }.sorted { Self.number($0) < Self.number($1) }
        for revision in old.prefix(max(0, old.count - limit)) {
            do {
                _ = try await client.delete(
                    .controllerRevisions, namespace: revision["metadata"]["namespace"].string, name: revision["metadata"]["name"].string ?? "",
                    preconditions: Preconditions(uid: revision["metadata"]["uid"].string))
            } catch let error as FlotillaError where error.code == .notFound || error.code == .conflict {}
        }
    }

    // MARK: Parts

    /// The revisions the owner controls after adopting matching orphans and releasing those
    /// that no longer match its selector.
    private func claim(_ owner: JSON) async throws -> [JSON] {
        guard let namespace = owner["metadata"]["namespace"].string, let uid = owner["metadata"]["uid"].string else { return [] }
        let selector = try LabelSelector(json: owner["spec"]["selector"])
        var owned: [JSON] = []
        for revision in ControllerIndexes.controlled(by: uid, in: revisions) where OwnerReferences.isControlled(revision, byKind: kind, uid: uid) {
            if selector.matches(labels: revision["metadata"]["labels"]) {
                owned.append(revision)
            } else {
                try await setOwners(of: revision, OwnerReferences.all(of: revision).filter { $0["uid"].string != uid })
            }
        }
        for revision in ControllerIndexes.orphans(in: namespace, of: revisions) where selector.matches(labels: revision["metadata"]["labels"]) {
            let references = OwnerReferences.all(of: revision) + [OwnerReferences.controllerReference(to: owner, apiVersion: apiVersion, kind: kind)]
            if let adopted = try await setOwners(of: revision, references) { owned.append(adopted) }
        }
        return owned
    }

    /// Replaces the owner references of `revision` if it did not change meanwhile; nil when it
    /// changed or is gone.
    @discardableResult
    private func setOwners(of revision: JSON, _ references: [JSON]) async throws -> JSON? {
        let patch: JSON = [
            "metadata": ["ownerReferences": references.isEmpty ? .null : .array(references), "resourceVersion": revision["metadata"]["resourceVersion"]]
        ]
        do {
            return try await client.patch(
                .controllerRevisions, namespace: revision["metadata"]["namespace"].string, name: revision["metadata"]["name"].string ?? "", patch,
                type: .merge)
        } catch let error as FlotillaError where error.code == .notFound || error.code == .conflict {
            return nil
        }
    }

    /// `revision`, renumbered to `highest + 1` unless it already is the highest.
    private func renumber(_ revision: JSON, after highest: Int64) async throws -> JSON {
        guard Self.number(revision) < highest else { return revision }
        let patch: JSON = ["metadata": ["resourceVersion": revision["metadata"]["resourceVersion"]], "revision": .int(highest + 1)]
        return try await client.patch(
            .controllerRevisions, namespace: revision["metadata"]["namespace"].string, name: revision["metadata"]["name"].string ?? "", patch,
            type: .merge)
    }

    /// A new revision of `owner` numbered `number`.
    private func make(_ owner: JSON, template: JSON, data: JSON, number: Int64, collisionCount: Int64) -> JSON {
        let hash = PodTemplateHash.of(template, collisionCount: collisionCount)
        var labels = template["metadata"]["labels"].object ?? [:]
        labels[Self.hashLabel] = .string(hash)
        var metadata: JSONObject = [
            "name": .string((owner["metadata"]["name"].string ?? "") + "-" + hash),
            "namespace": owner["metadata"]["namespace"],
            "labels": .object(labels),
            "ownerReferences": [OwnerReferences.controllerReference(to: owner, apiVersion: apiVersion, kind: kind)],
        ]
        if let cause = owner["metadata"]["annotations"][Self.changeCauseAnnotation].string {
            metadata["annotations"] = [Self.changeCauseAnnotation: .string(cause)]
        }
        return ["apiVersion": "apps/v1", "kind": "ControllerRevision", "metadata": .object(metadata), "data": data, "revision": .int(number)]
    }
}
