@testable import FlotillaControllers
import FlotillaCore
import Testing

@Suite struct LabelSetsTests {
    @Test func equalLabelsShareOneSetAndOthersGetTheirOwn() {
        let sets = LabelSets()
        let web: JSON = ["app": "web", "pod-template-hash": "abc"]
        let a = sets.intern(web)
        let b = sets.intern(["app": "web", "pod-template-hash": "abc"])
        let c = sets.intern(["app": "web", "pod-template-hash": "def"])
        #expect(a === b && a !== c)
        #expect(a.labels == web && c.labels["pod-template-hash"] == "def")
        #expect(sets.intern(.null) === sets.intern(.null))
        #expect(sets.count == 3)
    }

    @Test func setsNoPodHoldsAreDroppedWhenTheTableGrows() {
        let sets = LabelSets()
        let kept = (0..<10).map { sets.intern(["app": .string("kept-\($0)")]) }
        for i in 0..<200 { _ = sets.intern(["app": .string("gone-\(i)")]) }
        // Sweeps ran at 64 and after: what is left is the held sets and the unswept tail.
        #expect(sets.count < 80)
        for (i, set) in kept.enumerated() { #expect(sets.intern(["app": .string("kept-\(i)")]) === set) }
    }

    @Test func verdictsAreTakenOncePerRunOfOneSet() {
        let sets = LabelSets()
        let web = sets.intern(["app": "web"])
        let other = sets.intern(["app": "other"])
        var judged = 0
        var verdicts = LabelVerdicts { labels in
            judged += 1
            return labels["app"] == "web"
        }
        let outcome = [web, web, web, other, other, web].map { verdicts.verdict(on: $0) }
        #expect(outcome == [true, true, true, false, false, true])
        #expect(judged == 3)
        // A set not interned is judged on its labels all the same.
        let loose = verdicts.verdict(on: LabelSet(["app": "web"]))
        #expect(loose && judged == 4)
    }
}
