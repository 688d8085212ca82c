#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An open-addressing hash map from `UInt64` keys to `Int32` values (linear probing, power-of-two
/// capacity, load ≤ 1/2). Several times faster than `Dictionary` for the automaton's interning
/// tables, whose keys are packed integers; entries are never removed.
///
/// Growth is incremental, so no single insertion pays for a whole rehash: when the table is half
/// full, a table twice its size is allocated (zeroed lazily by the system, page by page as it is
/// written) and each later insertion moves the entries of a few old slots into it; lookups read
/// both tables until the move is done. A map of a million entries therefore never stalls one
/// mask for milliseconds, as a doubling that rehashes everything at once (and touches every
/// page of the new table at once) would.
///
/// A value type: a copy shares the table until either copy is changed.
struct IntegerMap {
    private var table: Table

    init(capacity: Int = 64) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        table = Table(capacity: size)
    }

    /// The number of entries.
    var count: Int { table.count }

    /// The value of `key`, if present.
    @inline(__always)
    func value(for key: UInt64) -> Int32? { table.value(for: key) }

    /// Sets the value of `key`.
    @inline(__always)
    mutating func set(_ value: Int32, for key: UInt64) {
        if !isKnownUniquelyReferenced(&table) { table = table.copy() }
        table.set(value, for: key)
    }

    /// One slot of a table.
    private struct Slot {
        var key: UInt64
        var value: Int32
        var occupied: Bool
    }

    /// The slots, and while the map grows, the previous slots not all moved yet.
    private final class Table {
        private var slots: UnsafeMutablePointer<Slot>
        /// Whether `slots` was mapped from the system (else from `calloc`).
        private var slotsMapped: Bool
        private var mask: Int
        /// The previous slots while their entries move to `slots` (nil otherwise).
        private var old: UnsafeMutablePointer<Slot>?
        private var oldMapped = false
        private var oldMask = 0
        /// The old slots before this one have been moved.
        private var moved = 0
        private(set) var count = 0

        /// Old slots moved per insertion: the move (all old slots) ends before the new table is
        /// half full (it starts a quarter full, so after fewer than `capacity / 4` insertions).
        private static let movesPerInsertion = 4

        init(capacity: Int) {
            (slots, slotsMapped) = Table.allocate(capacity)
            mask = capacity - 1
        }

        deinit {
            Table.deallocate(slots, capacity: mask + 1, mapped: slotsMapped)
            if let old { Table.deallocate(old, capacity: oldMask + 1, mapped: oldMapped) }
        }

        /// Tables of at least this many slots are mapped from the system (`ZeroedPages`).
        private static let pagedCapacity = 1 << 16

        /// `capacity` zeroed slots (unoccupied), and whether they were mapped. Large tables come
        /// straight from the system, whose pages are zero until written: the zeroing costs
        /// nothing up front (`calloc` when the system refuses a mapping).
        private static func allocate(_ capacity: Int) -> (UnsafeMutablePointer<Slot>, mapped: Bool) {
            let bytes = capacity * MemoryLayout<Slot>.stride
            if capacity >= pagedCapacity, let raw = ZeroedPages.allocate(bytes) {
                return (raw.assumingMemoryBound(to: Slot.self), true)
            }
            guard let raw = calloc(capacity, MemoryLayout<Slot>.stride) else { fatalError("out of memory growing a hash map") }
            return (raw.assumingMemoryBound(to: Slot.self), false)
        }

        private static func deallocate(_ slots: UnsafeMutablePointer<Slot>, capacity: Int, mapped: Bool) {
            if mapped {
                ZeroedPages.release(slots, bytes: capacity * MemoryLayout<Slot>.stride)
            } else {
                free(slots)
            }
        }

        @inline(__always)
        private static func slot(_ key: UInt64, _ mask: Int) -> Int {
            var h = key &* 0x9E37_79B9_7F4A_7C15
            h ^= h >> 32
            return Int(truncatingIfNeeded: h) & mask
        }

        /// The slot of `key` in `slots` (capacity `mask + 1`), or the free slot where it belongs.
        @inline(__always)
        private static func find(_ key: UInt64, in slots: UnsafeMutablePointer<Slot>, mask: Int) -> (index: Int, found: Bool) {
            var i = slot(key, mask)
            while slots[i].occupied {
                if slots[i].key == key { return (i, true) }
                i = (i + 1) & mask
            }
            return (i, false)
        }

        @inline(__always)
        func value(for key: UInt64) -> Int32? {
            let (i, found) = Table.find(key, in: slots, mask: mask)
            if found { return slots[i].value }
            // An entry not moved yet (once moved, it is found in `slots`).
            if let old {
                let (j, inOld) = Table.find(key, in: old, mask: oldMask)
                if inOld { return old[j].value }
            }
            return nil
        }

        func set(_ value: Int32, for key: UInt64) {
            if old != nil { moveSome() }
            if (count + 1) * 2 > mask + 1 { startGrowing() }
            let (i, found) = Table.find(key, in: slots, mask: mask)
            if found {
                slots[i].value = value
                return
            }
            if let old {
                // Not moved yet: update it where it is (it moves with its new value).
                let (j, inOld) = Table.find(key, in: old, mask: oldMask)
                if inOld {
                    old[j].value = value
                    return
                }
            }
            slots[i] = Slot(key: key, value: value, occupied: true)
            count += 1
        }

        /// Moves to a table twice the size; the old entries follow a few at a time.
        private func startGrowing() {
            finishMoving()
            old = slots
            oldMask = mask
            moved = 0
            mask = 2 * (mask + 1) - 1
            oldMapped = slotsMapped
            (slots, slotsMapped) = Table.allocate(mask + 1)
        }

        /// Moves the entries of the next few old slots.
        @inline(__always)
        private func moveSome() {
            moveOld(upTo: min(moved + Table.movesPerInsertion, oldMask + 1))
        }

        private func finishMoving() {
            if old != nil { moveOld(upTo: oldMask + 1) }
        }

        /// Moves the entries of the old slots before `end`; frees the old table once all are.
        private func moveOld(upTo end: Int) {
            guard let old else { return }
            for k in moved..<end where old[k].occupied {
                // An old entry is in no other slot of the new table: inserted without a check.
                var i = Table.slot(old[k].key, mask)
                while slots[i].occupied { i = (i + 1) & mask }
                slots[i] = old[k]
            }
            moved = end
            if moved > oldMask {
                Table.deallocate(old, capacity: oldMask + 1, mapped: oldMapped)
                self.old = nil
            }
        }

        /// A table with the same entries.
        func copy() -> Table {
            finishMoving()
            let copy = Table(capacity: mask + 1)
            copy.slots.update(from: slots, count: mask + 1)
            copy.count = count
            return copy
        }
    }
}
