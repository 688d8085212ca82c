import Testing
@testable import Grammar

/// `AtomSet`, the bit set of atom numbers that closures copy as they are continued.
@Suite struct AtomSetTests {
    /// Insertions report whether the number was new, numbers past the words held make the set
    /// grow without losing the others, and a copy is independent of the original.
    @Test func insertGrowAndCopy() {
        var set = AtomSet()
        #expect(!set.contains(0) && !set.contains(1_000))
        let first = [set.insert(3), set.insert(3), set.insert(700)]
        #expect(first == [true, false, true])
        #expect(set.contains(3) && set.contains(700))
        #expect(!set.contains(4) && !set.contains(699) && !set.contains(64 * 100))
        var copy = set
        let addedToCopy = copy.insert(64)
        #expect(addedToCopy && copy.contains(64) && !set.contains(64))
        let members: [Int32] = [63, 64, 63, 0, 127, 128]
        var inserted: [Bool] = []
        for member in members { inserted.append(set.insert(member)) }
        #expect(inserted == [true, true, false, true, true, true])
        #expect(members.allSatisfy { set.contains($0) })
    }
}
