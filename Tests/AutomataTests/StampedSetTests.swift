import Testing
@testable import Automata

/// `StampedSet`, the scratch set that keeps kernels and closures free of duplicates.
@Suite struct StampedSetTests {
    /// Insertions report whether the member was new, emptying forgets every member, and
    /// members past the initial capacity make it grow without losing the others.
    @Test func insertEmptyAndGrow() {
        let set = StampedSet()
        #expect(set.insert(3))
        #expect(!set.insert(3))
        #expect(set.insert(5000))
        #expect(set.contains(3) && set.contains(5000))
        #expect(!set.contains(4) && !set.contains(1_000_000))
        set.removeAll()
        #expect(!set.contains(3) && !set.contains(5000))
        let members: [Int32] = [7, 70_000, 7, 0, 1024, 70_000]
        #expect(members.map { set.insert($0) } == [true, true, false, true, true, false])
        #expect(members.allSatisfy { set.contains($0) })
    }
}
