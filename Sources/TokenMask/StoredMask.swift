/// A cached mask in the smallest of three forms (the idea of XGrammar's adaptive token mask
/// cache): the allowed ids, the disallowed ids, or the full bitset.
enum StoredMask {
    case allowed([Int32])
    case disallowed([Int32])
    case bitset([UInt32])

    /// Compresses a filled mask of `size` ids that allows `allowedCount` of them.
    init(words: UnsafeBufferPointer<UInt32>, size: Int, allowedCount: Int) {
        let disallowedCount = size - allowedCount
        if allowedCount <= words.count / 2 {
            self = .allowed(StoredMask.ids(in: words, set: true, size: size, capacity: allowedCount))
        } else if disallowedCount <= words.count / 2 {
            self = .disallowed(StoredMask.ids(in: words, set: false, size: size, capacity: disallowedCount))
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

    /// The ids below `size` whose bit is `set` (or clear); `capacity`: how many are expected.
    private static func ids(in words: UnsafeBufferPointer<UInt32>, set: Bool, size: Int, capacity: Int) -> [Int32] {
        var ids: [Int32] = []
        ids.reserveCapacity(capacity)
        let flip: UInt32 = set ? 0 : ~0
        for w in 0..<words.count {
            var bits = words[w] ^ flip
            while bits != 0 {
                let id = w << 5 | bits.trailingZeroBitCount
                if id >= size { return ids }
                ids.append(Int32(id))
                bits &= bits - 1
            }
        }
        return ids
    }
}
