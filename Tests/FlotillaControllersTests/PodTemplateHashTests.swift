import FlotillaCore
import Testing

@testable import FlotillaControllers

@Suite("Pod template hash and equality")
struct PodTemplateHashTests {
    let template: JSON = ["metadata": ["labels": ["app": "web"]], "spec": ["containers": [["name": "web", "image": "nginx:1"]]]]

    @Test func theHashIsStableLabelSafeAndChangesWithTheTemplate() {
        let hash = PodTemplateHash.of(template)
        #expect(hash == PodTemplateHash.of(template))
        #expect(!hash.isEmpty && hash.count <= 10)
        #expect(hash.allSatisfy { "bcdfghjklmnpqrstvwxz2456789".contains($0) })
        var changed = template
        changed[path: ["spec", "containers"]] = [["name": "web", "image": "nginx:2"]]
        #expect(PodTemplateHash.of(changed) != hash)
        #expect(PodTemplateHash.of(template, collisionCount: 1) != hash)
    }

    @Test func equalityIgnoresTheHashLabelAndKeyOrder() {
        var labeled = template
        labeled[path: ["metadata", "labels", "pod-template-hash"]] = "abc"
        #expect(PodTemplateHash.equalIgnoringHash(labeled, template))
        let reordered: JSON = ["spec": ["containers": [["image": "nginx:1", "name": "web"]]], "metadata": ["labels": ["app": "web"]]]
        #expect(PodTemplateHash.equalIgnoringHash(reordered, template))
        var other = template
        other[path: ["metadata", "labels", "tier"]] = "front"
        #expect(!PodTemplateHash.equalIgnoringHash(other, template))
    }
}
