/// The vocabulary's tokens as a flat prefix tree in depth-first order.
///
/// Node 0 is the root (the empty prefix). Node `i`'s subtree is `i..<subtreeEnd[i]`, so a walk
/// that finds a byte rejected skips to `subtreeEnd[i]` at once. `depth[i]` is the length of the
/// node's prefix. Tokens whose bytes equal the node's prefix are
/// `tokenIDs[tokenStart[i]..<tokenStart[i + 1]]`. Special tokens, empty tokens and padding ids
/// are never in the tree: they are never allowed as text.
public struct TokenTrie: Sendable {
    /// The byte on the edge into each node (0 for the root).
    public let byte: [UInt8]
    /// The prefix length of each node (0 for the root).
    public let depth: [UInt16]
    /// One past the last node of each node's subtree.
    public let subtreeEnd: [Int32]
    /// For each node, where its tokens start in `tokenIDs` (count = nodes + 1).
    public let tokenStart: [Int32]
    /// Token ids grouped by node, in node order.
    public let tokenIDs: [Int32]
    /// The longest token, in bytes.
    public let maxDepth: Int

    /// The number of nodes, root included.
    public var nodeCount: Int { byte.count }

    /// The number of tokens in the tree.
    public var tokenCount: Int { tokenIDs.count }

    /// Builds the tree of every non-special, non-empty token of `vocabulary`.
    public init(_ vocabulary: Vocabulary) {
        var ids: [Int32] = []
        ids.reserveCapacity(vocabulary.definedCount)
        vocabulary.withTokenStorage { storage, offsets in
            for id in 0..<vocabulary.definedCount
            where !vocabulary.isSpecial(id) && offsets[id] != offsets[id + 1] {
                ids.append(Int32(id))
            }
            // Sort by bytes: a radix sort on an 8-byte big-endian prefix key, then the few runs
            // of equal keys by their remaining bytes.
            var keys = [UInt64](repeating: 0, count: ids.count)
            for (i, id) in ids.enumerated() {
                var key: UInt64 = 0
                let start = Int(offsets[Int(id)]), end = Int(offsets[Int(id) + 1])
                for k in 0..<8 { key = key << 8 | UInt64(start + k < end ? storage[start + k] : 0) }
                keys[i] = key
            }
            TokenTrie.radixSort(keys: &keys, values: &ids)
            var runStart = 0
            while runStart < ids.count {
                var runEnd = runStart + 1
                while runEnd < ids.count, keys[runEnd] == keys[runStart] { runEnd += 1 }
                if runEnd - runStart > 1 {
                    ids[runStart..<runEnd].sort { a, b in
                        let sa = Int(offsets[Int(a)]), ea = Int(offsets[Int(a) + 1])
                        let sb = Int(offsets[Int(b)]), eb = Int(offsets[Int(b) + 1])
                        var i = sa, j = sb
                        while i < ea, j < eb {
                            if storage[i] != storage[j] { return storage[i] < storage[j] }
                            i += 1; j += 1
                        }
                        if (ea - sa) != (eb - sb) { return ea - sa < eb - sb }
                        return a < b
                    }
                }
                runStart = runEnd
            }
        }
        self.init(vocabulary, sortedIDs: ids)
    }

    /// Sorts `keys` ascending (stable, least significant byte first), permuting `values` alike.
    static func radixSort(keys: inout [UInt64], values: inout [Int32]) {
        var keyBuffer = keys, valueBuffer = values
        for pass in 0..<8 {
            let shift = UInt64(pass * 8)
            var counts = [Int](repeating: 0, count: 257)
            for k in keys { counts[Int((k >> shift) & 0xFF) + 1] += 1 }
            if counts[1...].contains(keys.count) { continue }  // every key has the same byte here
            for i in 0..<256 { counts[i + 1] += counts[i] }
            for (i, k) in keys.enumerated() {
                let bucket = Int((k >> shift) & 0xFF)
                keyBuffer[counts[bucket]] = k
                valueBuffer[counts[bucket]] = values[i]
                counts[bucket] += 1
            }
            swap(&keys, &keyBuffer)
            swap(&values, &valueBuffer)
        }
    }

    /// The tree of this tree's tokens for which `include` is true (no re-sorting needed).
    public func filtered(_ vocabulary: Vocabulary, including include: (Int) -> Bool) -> TokenTrie {
        TokenTrie(vocabulary, sortedIDs: tokenIDs.filter { include(Int($0)) })
    }

    /// Builds the tree of `ids`, which must be sorted by their bytes (ties by id).
    init(_ vocabulary: Vocabulary, sortedIDs ids: [Int32]) {
        var byte: [UInt8] = [0]
        var depth: [UInt16] = [0]
        var subtreeEnd: [Int32] = [0]
        var tokensAt: [Int32] = [0]
        var maxDepth = 0
        vocabulary.withTokenStorage { storage, offsets in
            // Sorted by bytes, tokens arrive in depth-first (preorder) order of their nodes,
            // so grouping them by node only needs each node's token count.
            byte.reserveCapacity(ids.count * 2)
            depth.reserveCapacity(ids.count * 2)
            subtreeEnd.reserveCapacity(ids.count * 2)
            tokensAt.reserveCapacity(ids.count * 2)
            var path: [Int] = [0]             // the node at each depth of the current prefix
            var previousStart = 0, previousEnd = 0
            for id in ids {
                let start = Int(offsets[Int(id)]), end = Int(offsets[Int(id) + 1])
                let length = end - start
                maxDepth = max(maxDepth, length)
                var common = 0
                while common < length, common < previousEnd - previousStart,
                      storage[start + common] == storage[previousStart + common] { common += 1 }
                while path.count - 1 > common { subtreeEnd[path.removeLast()] = Int32(byte.count) }
                for k in common..<length {
                    byte.append(storage[start + k])
                    depth.append(UInt16(k + 1))
                    subtreeEnd.append(0)
                    tokensAt.append(0)
                    path.append(byte.count - 1)
                }
                tokensAt[path[path.count - 1]] += 1
                previousStart = start
                previousEnd = end
            }
            while let last = path.popLast() { subtreeEnd[last] = Int32(byte.count) }
        }
        var starts = [Int32](repeating: 0, count: byte.count + 1)
        for i in 0..<byte.count { starts[i + 1] = starts[i] + tokensAt[i] }
        self.byte = byte
        self.depth = depth
        self.subtreeEnd = subtreeEnd
        self.tokenStart = starts
        self.tokenIDs = ids
        self.maxDepth = maxDepth
    }
}
