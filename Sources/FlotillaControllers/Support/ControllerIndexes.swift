import FlotillaClient
import FlotillaCore

/// Indexes on an informer's cache that let a controller find its objects without scanning
/// the namespace: by the uid of their controlling owner, and the objects without one (by
/// namespace), which are the candidates for adoption.
enum ControllerIndexes {
    static let controllerUID = "controller-uid"
    static let orphans = "orphans-by-namespace"

    /// Files the informer's objects by controller uid and by namespace when orphaned.
    static func register(on informer: Informer) {
        informer.cache.addIndexer(controllerUID) { object in OwnerReferences.controllerUID(of: object).map { [$0] } ?? [] }
        informer.cache.addIndexer(orphans) { object in
            OwnerReferences.controller(of: object) == nil ? [object["metadata"]["namespace"].string ?? ""] : []
        }
    }

    /// The objects controlled by the owner with `uid`.
    static func controlled(by uid: String, in informer: Informer) -> [JSON] {
        informer.cache.byIndex(controllerUID, uid)
    }

    /// The pods controlled by the owner with `uid`, with the facts the cache read from each
    /// (the pod informer's cache summarizes with ``PodFacts/summary(interningIn:)``).
    static func controlledPods(by uid: String, in informer: Informer) -> [PodFacts] {
        informer.cache.entries(inIndex: controllerUID, uid).map(PodFacts.of)
    }

    /// The objects of `namespace` without a controlling owner.
    static func orphans(in namespace: String, of informer: Informer) -> [JSON] {
        informer.cache.byIndex(orphans, namespace)
    }
}
