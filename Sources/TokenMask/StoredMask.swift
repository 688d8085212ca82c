/// A cached mask in the smallest of three forms (the idea of XGrammar's adaptive token mask
/// cache): the allowed ids, the disallowed ids, or the full bitset.
enum StoredMask {
    /// The allowed ids, in any order (a walk lists them in trie order).
    case allowed([Int32])
    /// The disallowed ids, ascending (`formUnion` reads them word by word).
    case disallowed([Int32])
    /// The mask's words.
    case bitset([UInt32])

    /// Compresses a filled mask of `size` ids that allows a number of them within `allowedCount`
    /// (a list is chosen only when the bound proves it short).
    init(words: UnsafeBufferPointer<UInt32>, size: Int, allowedCount: ClosedRange<Int>) {
        if allowedCount.upperBound <= words.count / 2 {
            self = .allowed(StoredMask.ids(in: words, set: true, size: size, capacity: allowedCount.upperBound))
        } else if size - allowedCount.lowerBound <= words.count / 2 {
            self = .disallowed(StoredMask.ids(in: words, set: false, size: size, capacity: size - allowedCount.lowerBound))
        } else {
            self = .bitset(Array(words))
        }
    }

    /// Bytes held.
    var byteCount: Int {
        switch self {
        case .allowed(let ids), .disallowed(let ids): return ids.count * 4
        case .bitset(let words): return words.count * 4
        }
    }

    /// Writes the mask into `words` (all of them overwritten).
    func write(into words: UnsafeMutableBufferPointer<UInt32>, size: Int) {
        switch self {
        case .allowed(let ids):
            words.update(repeating: 0)
            for id in ids { words[Int(id) >> 5] |= 1 << UInt32(id & 31) }
        case .disallowed(let ids):
            words.update(repeating: ~0)
            let tail = size & 31
            if tail != 0 { words[words.count - 1] = (1 << UInt32(tail)) - 1 }
            for id in ids { words[Int(id) >> 5] &= ~(1 << UInt32(id & 31)) }
        case .bitset(let stored):
            _ = words.update(fromContentsOf: stored)
        }
    }

    /// Sets in `words` the bits of the ids the mask of `size` ids allows (the others are left
    /// as they are).
    func formUnion(into words: UnsafeMutableBufferPointer<UInt32>, size: Int) {
        switch self {
        case .allowed(let ids):
            for id in ids { words[Int(id) >> 5] |= 1 << UInt32(id & 31) }
        case .disallowed(let ids):
            // Every id but `ids` is set: keep which of `ids` were set, set all, clear the others.
            var k = 0
            for w in 0..<words.count {
                var keep = ~UInt32(0)
                while k < ids.count, Int(ids[k]) >> 5 == w {
                    let bit: UInt32 = 1 << UInt32(ids[k] & 31)
                    if words[w] & bit == 0 { keep &= ~bit }
                    k += 1
                }
                words[w] = keep
            }
            let tail = size & 31
            if tail != 0 { words[words.count - 1] &= (1 << UInt32(tail)) - 1 }
        case .bitset(let stored):
            for w in 0..<words.count { words[w] |= stored[w] }
        }
    }

    /// The ids below `size` whose bit is `set` (or clear); `capacity`: how many are expected.
    private static func ids(in words: UnsafeBufferPointer<UInt32>, set: Bool, size: Int, capacity: Int) -> [Int32] {
        var ids: [Int32] = []
        ids.reserveCapacity(capacity)
        let flip: UInt64 = set ? 0 : ~0
        // Two words at a time: most of a mask's words have no id to list.
        let pairs = words.count / 2
        for p in 0...pairs {
            var bits: UInt64
            if p < pairs {
                bits = (UInt64(words[2 * p]) | UInt64(words[2 * p + 1]) << 32) ^ flip
            } else if words.count % 2 == 1 {
                bits = UInt64(words[words.count - 1]) ^ (flip & 0xFFFF_FFFF)
            } else {
                break
            }
            while bits != 0 {
                let id = p << 6 | bits.trailingZeroBitCount
                if id >= size { return ids }
                ids.append(Int32(id))
                bits &= bits - 1
            }
        }
        return ids
    }
}
