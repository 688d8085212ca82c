import Testing
@testable import Automata
@testable import Grammar

/// `DistanceQueue` (the completion distances' search queue): under pushes no lower than the
/// last pop, as a search with costs that are not negative makes them, it pops the same pairs
/// as a heap, in nondecreasing order of distance.
@Suite struct DistanceQueueTests {
    @Test(arguments: [1, 2, 3]) func popsInOrderLikeAHeap(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var queue = DistanceQueue()
        var heap = MinHeap()
        var level: Int32 = 0
        var popped: [(Int32, Int32)] = [], expected: [(Int32, Int32)] = []
        for value in 0..<20 {
            queue.push(0, Int32(value))
            heap.push(0, Int32(value))
        }
        var pushes = 20
        while let (d, value) = queue.pop() {
            #expect(d >= level, "popped \(d) after \(level)")
            level = d
            popped.append((d, value))
            expected.append(heap.pop()!)
            guard pushes < 5_000 else { continue }
            // Costs 0 and 1 mostly (epsilon and byte edges), sometimes a callee's whole string.
            for _ in 0..<Int(random.next() % 3) {
                let cost: Int32 = switch random.next() % 10 {
                case 0...3: 0
                case 4...7: 1
                default: Int32(random.next() % 50)
                }
                let value = Int32(pushes)
                pushes += 1
                queue.push(d + cost, value)
                heap.push(d + cost, value)
            }
        }
        #expect(heap.pop() == nil)
        #expect(popped.count == pushes)
        // Same distances in the same order; values of equal distance may come in any order.
        #expect(popped.map(\.0) == expected.map(\.0))
        #expect(Set(popped.map { "\($0.0) \($0.1)" }) == Set(expected.map { "\($0.0) \($0.1)" }))
    }
}
