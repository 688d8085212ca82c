/// The merges of a BPE model: for a pair of adjacent token ids, the merge's rank (its position in
/// the file's `merges` list; lower merges first) and the id of the merged token.
///
/// An open-addressing table (linear probing) keyed by the two ids packed into 64 bits.
struct MergeTable: Sendable {
    /// One merge.
    struct Merge {
        /// The position in the merge list: lower ranks merge first.
        var rank: Int32
        /// The token the pair becomes.
        var merged: Int32
    }

    private static let emptyKey = UInt64.max
    private var keys: [UInt64]
    private var values: [Merge]
    private var mask: Int
    private var shift: UInt64   // 64 - log2(slot count): the hash's top bits pick the slot
    /// The number of merges.
    private(set) var count = 0

    /// An empty table with room for `capacity` merges.
    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = [UInt64](repeating: Self.emptyKey, count: size)
        values = [Merge](repeating: Merge(rank: 0, merged: 0), count: size)
        mask = size - 1
        shift = UInt64(64 - size.trailingZeroBitCount)
    }

    @inline(__always)
    private static func key(_ left: Int32, _ right: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
    }

    @inline(__always)
    private static func slot(of key: UInt64, shift: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// The merge of `left` followed by `right`.
    @inline(__always)
    func merge(_ left: Int32, _ right: Int32) -> Merge? {
        let key = Self.key(left, right)
        return keys.withUnsafeBufferPointer { keys in
            var slot = Self.slot(of: key, shift: shift)
            while true {
                let k = keys[slot]
                if k == key { return values[slot] }
                if k == Self.emptyKey { return nil }
                slot = (slot + 1) & mask
            }
        }
    }

    /// Records that `left` followed by `right` merges into `merged` at `rank`, replacing an
    /// earlier merge of the same pair (as the Hugging Face library does when a pair is listed twice).
    mutating func insert(_ left: Int32, _ right: Int32, rank: Int32, merged: Int32) {
        if (count + 1) * 2 > keys.count { grow() }
        let key = Self.key(left, right)
        var slot = Self.slot(of: key, shift: shift)
        while keys[slot] != Self.emptyKey && keys[slot] != key { slot = (slot + 1) & mask }
        if keys[slot] == Self.emptyKey { count += 1 }
        keys[slot] = key
        values[slot] = Merge(rank: rank, merged: merged)
    }

    private mutating func grow() {
        let oldKeys = keys, oldValues = values
        keys = [UInt64](repeating: Self.emptyKey, count: oldKeys.count * 2)
        values = [Merge](repeating: Merge(rank: 0, merged: 0), count: oldKeys.count * 2)
        mask = keys.count - 1
        shift -= 1
        for (i, key) in oldKeys.enumerated() where key != Self.emptyKey {
            var slot = Self.slot(of: key, shift: shift)
            while keys[slot] != Self.emptyKey { slot = (slot + 1) & mask }
            keys[slot] = key
            values[slot] = oldValues[i]
        }
    }
}
