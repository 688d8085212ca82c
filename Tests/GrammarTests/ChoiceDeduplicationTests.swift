import Testing
@testable import Grammar

/// `Expression.alternatives` and `GrammarSimplifier.choice` drop repeated alternatives by
/// comparison for the first few and through a set beyond: the result must be the flattened
/// operands with later repeats left out, in order, whatever the count.
@Suite struct ChoiceDeduplicationTests {
    /// Random operands: leaves from a small pool (so that repeats are common), nested choices
    /// of them, `nothing`, and sequences (never deduplicated by `choice`).
    private static func operands(_ random: inout SplitMix64) -> [Expression] {
        let leaves: [Expression] = (0..<12).map { .literal([UInt8(0x61 + $0)]) } + [.ruleReference("r"), .empty, .byteClass([0x30...0x39])]
        func leaf() -> Expression { leaves[Int(random.next() % UInt64(leaves.count))] }
        return (0..<Int(random.next() % 30)).map { _ in
            switch random.next() % 8 {
            case 0: return .choice((0..<Int(2 + random.next() % 4)).map { _ in leaf() })
            case 1: return .nothing
            case 2: return .sequence([leaf(), leaf()])
            default: return leaf()
            }
        }
    }

    /// Flattened one level (nested choices, as built here, hold leaves only), `nothing` left
    /// out, and a repeat dropped when `drops` says so of it.
    private static func expected(_ parts: [Expression], drops: (Expression) -> Bool) -> Expression {
        var flat: [Expression] = []
        for part in parts {
            let inner: [Expression]
            if case .choice(let nested) = part { inner = nested } else { inner = [part] }
            for e in inner where e != .nothing {
                if drops(e), flat.contains(e) { continue }
                flat.append(e)
            }
        }
        if flat.isEmpty { return .nothing }
        return flat.count == 1 ? flat[0] : .choice(flat)
    }

    @Test func alternativesDropEveryRepeat() {
        var random = SplitMix64(seed: 43)
        for _ in 0..<500 {
            let parts = ChoiceDeduplicationTests.operands(&random)
            #expect(Expression.alternatives(parts) == ChoiceDeduplicationTests.expected(parts) { _ in true })
        }
    }

    @Test func simplifierChoiceDropsRepeatedLeaves() {
        var random = SplitMix64(seed: 47)
        for _ in 0..<500 {
            let parts = ChoiceDeduplicationTests.operands(&random)
            let expected = ChoiceDeduplicationTests.expected(parts) { e in
                if case .sequence = e { return false }
                return true
            }
            #expect(GrammarSimplifier.choice(parts) == expected)
        }
    }
}
