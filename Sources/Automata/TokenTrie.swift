/// The vocabulary's tokens as a flat prefix tree in depth-first order.
///
/// Node 0 is the root (the empty prefix). Node `i`'s subtree is `i..<subtreeEnd[i]`, so a walk
/// that finds a byte rejected skips to `subtreeEnd[i]` at once. `depth[i]` is the length of the
/// node's prefix. Tokens whose bytes equal the node's prefix are `tokenIDs[tokenStart[i]..<tokenStart[i+1]]`.
/// Special tokens, empty tokens and padding ids are not in the tree: they are never allowed as text.
public struct TokenTrie: Sendable {
    /// The byte on the edge into each node (0 for the root).
    public let byte: [UInt8]
    /// The prefix length of each node (0 for the root).
    public let depth: [UInt16]
    /// One past the last node of each node's subtree.
    public let subtreeEnd: [Int32]
    /// For each node, where its tokens start in `tokenIDs` (count = nodes + 1).
    public let tokenStart: [Int32]
    /// Token ids grouped by node.
    public let tokenIDs: [Int32]
    /// The longest token, in bytes.
    public let maxDepth: Int

    /// The number of nodes, root included.
    public var nodeCount: Int { byte.count }

    /// Builds the tree of every non-special, non-empty token of `vocabulary`.
    public init(_ vocabulary: Vocabulary) {
        var ids: [Int32] = []
        ids.reserveCapacity(vocabulary.definedCount)
        for id in 0..<vocabulary.definedCount where !vocabulary.isSpecial(id) && !vocabulary.bytes(of: id).isEmpty {
            ids.append(Int32(id))
        }
        ids.sort { a, b in
            let x = vocabulary.bytes(of: Int(a)), y = vocabulary.bytes(of: Int(b))
            return x.lexicographicallyPrecedes(y) || (x == y && a < b)
        }
        var byte: [UInt8] = [0]
        var depth: [UInt16] = [0]
        var subtreeEnd: [Int32] = [0]
        // Sorted by bytes, tokens arrive in depth-first (preorder) order of their nodes, so
        // grouping them by node only needs each node's token count.
        var tokensAt: [Int32] = [0]
        var path: [Int] = [0]             // the node at each depth of the current prefix
        var previous: ArraySlice<UInt8> = []
        var maxDepth = 0
        for id in ids {
            let bytes = vocabulary.bytes(of: Int(id))
            maxDepth = max(maxDepth, bytes.count)
            var common = 0
            while common < bytes.count, common < previous.count,
                  bytes[bytes.startIndex + common] == previous[previous.startIndex + common] { common += 1 }
            while path.count - 1 > common { subtreeEnd[path.removeLast()] = Int32(byte.count) }
            for k in common..<bytes.count {
                byte.append(bytes[bytes.startIndex + k])
                depth.append(UInt16(k + 1))
                subtreeEnd.append(0)
                tokensAt.append(0)
                path.append(byte.count - 1)
            }
            tokensAt[path[path.count - 1]] += 1
            previous = bytes
        }
        while let last = path.popLast() { subtreeEnd[last] = Int32(byte.count) }
        var starts = [Int32](repeating: 0, count: byte.count + 1)
        for i in 0..<byte.count { starts[i + 1] = starts[i] + tokensAt[i] }
        let grouped = ids
        self.byte = byte
        self.depth = depth
        self.subtreeEnd = subtreeEnd
        self.tokenStart = starts
        self.tokenIDs = grouped
        self.maxDepth = maxDepth
    }
}
