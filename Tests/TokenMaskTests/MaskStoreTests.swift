import Testing
import Grammar
@testable import TokenMask

/// `MaskStore` against the masks it was given: every form (allowed ids, disallowed ids, bitset)
/// written out and unioned exactly, equal masks held once, and the memory budget.
@Suite struct MaskStoreTests {
    /// A mask of `size` ids allowing about `density` of them (0: none, 1: all), with its words.
    static func randomMask(size: Int, density: Double, using random: inout SplitMix64) -> (ids: Set<Int>, words: [UInt32]) {
        var ids = Set<Int>()
        var words = [UInt32](repeating: 0, count: (size + 31) / 32)
        for id in 0..<size where Double(random.next() % 1_000_000) / 1_000_000 < density {
            ids.insert(id)
            words[id >> 5] |= 1 << UInt32(id & 31)
        }
        return (ids, words)
    }

    static func ids(in words: [UInt32], size: Int) -> Set<Int> {
        Set((0..<size).filter { words[$0 >> 5] & (1 << UInt32($0 & 31)) != 0 })
    }

    /// Masks of every density on a size that is not a multiple of 32, stored under ids with
    /// repeats (the same mask under several ids), read back by `write` and `formUnion`.
    @Test func everyFormReadsBackExactly() {
        let size = 4_013
        let wordCount = (size + 31) / 32
        var random = SplitMix64(seed: 17)
        var store = MaskStore(size: size, wordCount: wordCount)
        var expected: [Int32: Set<Int>] = [:]
        let densities: [Double] = [0, 0.001, 0.01, 0.03, 0.2, 0.5, 0.97, 0.99, 0.999, 1]
        var id: Int32 = 0
        for density in densities {
            let (ids, words) = Self.randomMask(size: size, density: density, using: &random)
            // Exact counts, loose bounds (a bitset then), and a listed walk where short.
            let bounds = [ids.count...ids.count, 0...size]
            for bound in bounds {
                words.withUnsafeBufferPointer { store.store(id, words: $0, allowedCount: bound, budget: .max) }
                expected[id] = ids
                id += 1
            }
            if ids.count <= MaskStore.maxListedIDs {
                let listed = ids.shuffled(using: &random).map(Int32.init)
                words.withUnsafeBufferPointer { words in
                    listed.withUnsafeBufferPointer { store.store(id, words: words, allowedCount: ids.count...ids.count, listed: $0, budget: .max) }
                }
                expected[id] = ids
                id += 1
            }
        }
        #expect(store.cachedCount == expected.count)
        var out = [UInt32](repeating: 0xDEAD_BEEF, count: wordCount)
        for (id, ids) in expected {
            let mask = store.mask(id)
            #expect(mask.form != .none)
            out.withUnsafeMutableBufferPointer { mask.write(into: $0, size: size) }
            #expect(Self.ids(in: out, size: size) == ids)
            // The padding bits past `size` stay clear.
            #expect(out[wordCount - 1] >> UInt32(size & 31) == 0)
            // A union into a random mask sets exactly the stored ids and keeps the others.
            let (base, baseWords) = Self.randomMask(size: size, density: 0.3, using: &random)
            out = baseWords
            out.withUnsafeMutableBufferPointer { mask.formUnion(into: $0, size: size) }
            #expect(Self.ids(in: out, size: size) == base.union(ids))
        }
        #expect(store.mask(id).form == .none)
    }

    /// Equal masks stored under different ids, in different ways, share one copy of their words.
    @Test func equalMasksAreHeldOnce() {
        let size = 3_000
        let wordCount = (size + 31) / 32
        var random = SplitMix64(seed: 5)
        var store = MaskStore(size: size, wordCount: wordCount)
        let (_, dense) = Self.randomMask(size: size, density: 0.4, using: &random)
        let (sparse, sparseWords) = Self.randomMask(size: size, density: 0.01, using: &random)
        dense.withUnsafeBufferPointer { store.store(0, words: $0, allowedCount: 0...size, budget: .max) }
        let bytes = store.byteCount
        dense.withUnsafeBufferPointer { store.store(7, words: $0, allowedCount: 1...size, budget: .max) }
        #expect(store.mask(0).start == store.mask(7).start)
        #expect(store.byteCount - bytes < wordCount * 4)
        sparseWords.withUnsafeBufferPointer { store.store(1, words: $0, allowedCount: sparse.count...sparse.count, budget: .max) }
        let listed = sparse.sorted(by: >).map(Int32.init)
        sparseWords.withUnsafeBufferPointer { words in
            listed.withUnsafeBufferPointer { store.store(2, words: words, allowedCount: 0...sparse.count, listed: $0, budget: .max) }
        }
        #expect(store.mask(1).form == .allowed)
        #expect(store.mask(1).start == store.mask(2).start)
        // A mask differing in one id is another mask.
        var other = dense
        other[3] ^= 1
        other.withUnsafeBufferPointer { store.store(3, words: $0, allowedCount: 0...size, budget: .max) }
        #expect(store.mask(3).start != store.mask(0).start)
        #expect(store.cachedCount == 5)
    }

    /// Past the budget a new mask is not cached, but one equal to a cached mask still is (it
    /// adds no words).
    @Test func budgetRefusesNewMasksOnly() {
        // One mask fills the smallest chunk: the next distinct one needs another.
        let wordCount = 4 * 1024
        let size = wordCount * 32
        var random = SplitMix64(seed: 9)
        var store = MaskStore(size: size, wordCount: wordCount)
        let (_, first) = Self.randomMask(size: size, density: 0.5, using: &random)
        first.withUnsafeBufferPointer { store.store(0, words: $0, allowedCount: 0...size, budget: .max) }
        let budget = store.byteCount + 64
        let (_, second) = Self.randomMask(size: size, density: 0.5, using: &random)
        second.withUnsafeBufferPointer { store.store(1, words: $0, allowedCount: 0...size, budget: budget) }
        first.withUnsafeBufferPointer { store.store(2, words: $0, allowedCount: 0...size, budget: budget) }
        #expect(store.mask(0).form == .bitset)
        #expect(store.mask(1).form == .none)
        #expect(store.mask(2).start == store.mask(0).start)
        #expect(store.cachedCount == 2)
    }
}
