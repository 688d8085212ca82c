import Testing
@testable import Automata

@Suite struct IntegerMapTests {
    /// Keys spread like the packed (state, parent) pairs the automaton interns.
    private static func key(_ i: Int) -> UInt64 { UInt64(i % 977) << 32 | UInt64(i / 977 &* 2_654_435_761 % 1_000_003) }

    /// Every entry stays readable, and updatable, while the table grows several times (so
    /// lookups and updates meet entries not moved yet, in the old table).
    @Test func entriesSurviveIncrementalGrowth() {
        var map = IntegerMap(capacity: 4)
        var reference: [UInt64: Int32] = [:]
        for i in 0..<50_000 {
            let k = Self.key(i)
            map.set(Int32(i), for: k)
            reference[k] = Int32(i)
            if i % 7 == 0 {
                // Update an older entry: during a move it may still be in the old table.
                let old = Self.key(i / 2)
                map.set(-Int32(i), for: old)
                reference[old] = -Int32(i)
            }
            if i % 4_999 == 0 {
                for (k, v) in reference { #expect(map.value(for: k) == v) }
            }
        }
        #expect(map.count == reference.count)
        for (k, v) in reference { #expect(map.value(for: k) == v) }
        #expect(map.value(for: UInt64.max) == nil)
        #expect(map.value(for: Self.key(50_000)) == nil)
    }

    /// A copy keeps its entries when the original changes (value semantics), mid-growth too.
    @Test func copiesAreIndependent() {
        var map = IntegerMap()
        for i in 0..<1_000 { map.set(Int32(i), for: Self.key(i)) }
        let copy = map
        for i in 0..<1_000 { map.set(Int32(i + 1), for: Self.key(i)) }
        map.set(7, for: Self.key(5_000))
        #expect(copy.count == 1_000)
        #expect(map.count == 1_001)
        for i in 0..<1_000 {
            #expect(copy.value(for: Self.key(i)) == Int32(i))
            #expect(map.value(for: Self.key(i)) == Int32(i + 1))
        }
        #expect(copy.value(for: Self.key(5_000)) == nil)
    }
}
