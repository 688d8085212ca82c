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
            var ids: [Int32] = []
            ids.reserveCapacity(allowedCount)
            StoredMask.forEachBit(words, set: true, size: size) { ids.append(Int32($0)) }
            self = .allowed(ids)
        } else if disallowedCount <= words.count / 2 {
            var ids: [Int32] = []
            ids.reserveCapacity(disallowedCount)
            StoredMask.forEachBit(words, set: false, size: size) { ids.append(Int32($0)) }
            self = .disallowed(ids)
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

    private static func forEachBit(_ words: UnsafeBufferPointer<UInt32>, set: Bool, size: Int, _ body: (Int) -> Void) {
        for (w, word) in words.enumerated() {
            var bits = set ? word : ~word
            while bits != 0 {
                let id = w << 5 | bits.trailingZeroBitCount
                if id >= size { return }
                body(id)
                bits &= bits - 1
            }
        }
    }
}
