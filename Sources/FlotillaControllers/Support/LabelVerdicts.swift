import FlotillaCore

/// A judgement of pods' label sets (a selector's match, carrying the template's labels) that
/// remembers its verdict on the last set judged: the pods of one controller mostly share one.
struct LabelVerdicts {
    private let judge: (JSON) -> Bool
    private var last: (set: LabelSet, verdict: Bool)?

    init(_ judge: @escaping (JSON) -> Bool) {
        self.judge = judge
    }

    mutating func verdict(on set: LabelSet) -> Bool {
        if let last, last.set === set { return last.verdict }
        let verdict = judge(set.labels)
        last = (set, verdict)
        return verdict
    }
}
