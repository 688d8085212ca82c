import Testing
@testable import Automata

/// `UnmovedStorage`, the tables of stack nodes and configurations that grow without copying.
@Suite struct UnmovedStorageTests {
    /// A stack-node-like entry (several fields, not a power-of-two size).
    private struct Entry: Equatable {
        var a: Int32
        var b: Int32
        var c: Int32
        var flag: Bool
    }

    private static func entry(_ i: Int) -> Entry { Entry(a: Int32(i), b: Int32(i &* 7), c: -Int32(i), flag: i % 3 == 0) }

    /// Entries written while the storage grows on the heap, moves into reserved space and
    /// grows there keep their values; entries never written read zero; once reserved, the
    /// storage no longer moves.
    @Test func growsAcrossTheMoveKeepingEntries() {
        var storage = UnmovedStorage<Entry>(capacity: 4, maxCount: 1 << 20)
        let zero = Entry(a: 0, b: 0, c: 0, flag: false)
        let count = 3 * UnmovedStorage<Entry>.mappedBytes / MemoryLayout<Entry>.stride
        let stride = MemoryLayout<Entry>.stride
        var reservedBase: UnsafeMutablePointer<Entry>?
        for i in 0..<count {
            storage.ensure(i + 1)
            if storage.capacity * stride > UnmovedStorage<Entry>.mappedBytes {
                // Moved into the reservation once; never again.
                if let reservedBase { #expect(storage.base == reservedBase) } else { reservedBase = storage.base }
            }
            #expect(storage[i] == zero)
            storage[i] = Self.entry(i)
            if i % 1_000 == 0 {
                for j in 0...i { #expect(storage[j] == Self.entry(j)) }
            }
        }
        #expect(reservedBase != nil)
        for j in 0..<count { #expect(storage[j] == Self.entry(j)) }
        for j in count..<storage.capacity { #expect(storage[j] == zero) }
    }

    /// Past `maxCount` the storage goes on growing on the heap, entries kept and new ones zero.
    @Test func growsPastTheReservation() {
        let maxCount = 2 * UnmovedStorage<Int64>.mappedBytes / MemoryLayout<Int64>.stride
        var storage = UnmovedStorage<Int64>(capacity: 1, maxCount: maxCount)
        let count = 3 * maxCount + 5
        for i in 0..<count {
            storage.ensure(i + 1)
            #expect(storage[i] == 0)
            storage[i] = Int64(i) * 3 - 1
        }
        #expect(storage.capacity >= count)
        for j in 0..<count { #expect(storage[j] == Int64(j) * 3 - 1) }
        for j in count..<storage.capacity { #expect(storage[j] == 0) }
    }
}
