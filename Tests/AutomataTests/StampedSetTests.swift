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

    /// Members inserted while the stamps grow past the heap into reserved space, and past
    /// the reservation, stay members until the set is emptied; later generations start empty.
    @Test func membersSurviveGrowthIntoReservedSpace() {
        let set = StampedSet(maxCount: 50_000)
        var members: [Int32] = []
        for i in stride(from: 0, to: 200_000, by: 97) {
            let m = Int32(i)
            #expect(set.insert(m))
            members.append(m)
            if i % 9_700 == 0 { #expect(members.allSatisfy { set.contains($0) }) }
        }
        #expect(members.allSatisfy { !set.insert($0) })
        #expect(!set.contains(1) && !set.contains(199_999) && !set.contains(10_000_000))
        set.removeAll()
        #expect(members.allSatisfy { !set.contains($0) })
        #expect(set.insert(199_980) && set.contains(199_980) && !set.contains(0))
    }
}
