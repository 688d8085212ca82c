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
    /// The nodes with many children, by byte (see `FanOut`).
    public let fanOut: FanOut

    /// The number of nodes, root included.
    public var nodeCount: Int { byte.count }

    /// The number of tokens in the tree.
    public var tokenCount: Int { tokenIDs.count }

    /// Builds the tree of every non-special, non-empty token of `vocabulary`.
    public init(_ vocabulary: Vocabulary) {
        var ids: [Int32] = []
        ids.reserveCapacity(vocabulary.definedCount)
        let sorted = vocabulary.withTokenStorage { storage, offsets in
            for id in 0..<vocabulary.definedCount
            where !vocabulary.isSpecial(id) && offsets[id] != offsets[id + 1] {
                ids.append(Int32(id))
            }
            return TokenByteOrder(ids, storage: storage, offsets: offsets)
        }
        self.init(vocabulary, sorted: sorted)
    }

    /// The tree of this tree's tokens for which `include` is true: the nodes whose subtree
    /// keeps a token, renumbered in order (no token bytes are read again).
    public func filtered(including include: (Int) -> Bool) -> TokenTrie {
        let tokenTotal = tokenIDs.count, nodes = nodeCount
        var keptIDs: [Int32] = []
        keptIDs.reserveCapacity(tokenTotal)
        // keptBefore[k]: how many of tokenIDs[0..<k] are kept.
        let keptBefore = [Int32](unsafeUninitializedCapacity: tokenTotal + 1) { keptBefore, count in
            tokenIDs.withUnsafeBufferPointer { ids in
                var kept: Int32 = 0
                keptBefore[0] = 0
                for k in 0..<tokenTotal {
                    if include(Int(ids[k])) {
                        keptIDs.append(ids[k])
                        kept += 1
                    }
                    keptBefore[k + 1] = kept
                }
            }
            count = tokenTotal + 1
        }
        // A node stays when its subtree, tokenIDs[tokenStart[i]..<tokenStart[subtreeEnd[i]]],
        // keeps a token; the root always stays. newIndex[i]: how many nodes before i stay.
        var keptNodes = 0
        let newIndex = [Int32](unsafeUninitializedCapacity: nodes + 1) { newIndex, count in
            keptBefore.withUnsafeBufferPointer { keptBefore in
            tokenStart.withUnsafeBufferPointer { tokenStart in
            subtreeEnd.withUnsafeBufferPointer { subtreeEnd in
                for i in 0..<nodes {
                    newIndex[i] = Int32(keptNodes)
                    if i == 0 || keptBefore[Int(tokenStart[Int(subtreeEnd[i])])] > keptBefore[Int(tokenStart[i])] {
                        keptNodes += 1
                    }
                }
            }}}
            newIndex[nodes] = Int32(keptNodes)
            count = nodes + 1
        }
        var newByte = [UInt8](repeating: 0, count: keptNodes)
        var newDepth = [UInt16](repeating: 0, count: keptNodes)
        var newSubtreeEnd = [Int32](repeating: 0, count: keptNodes)
        var newTokenStart = [Int32](repeating: 0, count: keptNodes + 1)
        var newMaxDepth = 0
        newByte.withUnsafeMutableBufferPointer { newByte in
        newDepth.withUnsafeMutableBufferPointer { newDepth in
        newSubtreeEnd.withUnsafeMutableBufferPointer { newSubtreeEnd in
        newTokenStart.withUnsafeMutableBufferPointer { newTokenStart in
        newIndex.withUnsafeBufferPointer { newIndex in
        keptBefore.withUnsafeBufferPointer { keptBefore in
        byte.withUnsafeBufferPointer { byte in
        depth.withUnsafeBufferPointer { depth in
        subtreeEnd.withUnsafeBufferPointer { subtreeEnd in
        tokenStart.withUnsafeBufferPointer { tokenStart in
            for i in 0..<nodes where newIndex[i + 1] > newIndex[i] {
                let j = Int(newIndex[i])
                newByte[j] = byte[i]
                newDepth[j] = depth[i]
                newSubtreeEnd[j] = newIndex[Int(subtreeEnd[i])]
                newTokenStart[j] = keptBefore[Int(tokenStart[i])]
                newMaxDepth = max(newMaxDepth, Int(depth[i]))
            }
            newTokenStart[keptNodes] = Int32(keptIDs.count)
        }}}}}}}}}}
        return TokenTrie(byte: newByte, depth: newDepth, subtreeEnd: newSubtreeEnd, tokenStart: newTokenStart,
                         tokenIDs: keptIDs, maxDepth: newMaxDepth)
    }

    private init(byte: [UInt8], depth: [UInt16], subtreeEnd: [Int32], tokenStart: [Int32], tokenIDs: [Int32], maxDepth: Int) {
        self.byte = byte
        self.depth = depth
        self.subtreeEnd = subtreeEnd
        self.tokenStart = tokenStart
        self.tokenIDs = tokenIDs
        self.maxDepth = maxDepth
        fanOut = FanOut(byte: byte, depth: depth, subtreeEnd: subtreeEnd)
    }

    /// Builds the tree of the `sorted` tokens of `vocabulary`: counts the nodes, then fills
    /// exact arrays (on large vocabularies, the two halves of the root's subtrees at the same
    /// time).
    private init(_ vocabulary: Vocabulary, sorted: TokenByteOrder) {
        let tokenCount = sorted.ids.count
        var nodeCount = 1
        var maxDepth = 0
        // A second thread adds the nodes of the tokens from `split` on, the first token past
        // the middle that starts a new first byte (whole subtrees of the root on each side).
        var split = tokenCount, splitNode = 0
        for i in 0..<tokenCount {
            let length = Int(sorted.lengths[i]), shared = Int(sorted.sharedPrefix[i])
            if split == tokenCount, 2 * i >= tokenCount, shared == 0, tokenCount >= Self.concurrencyThreshold {
                split = i
                splitNode = nodeCount
            }
            nodeCount += length - shared
            maxDepth = max(maxDepth, length)
        }
        var byte = [UInt8](repeating: 0, count: nodeCount)
        var depth = [UInt16](repeating: 0, count: nodeCount)
        var subtreeEnd = [Int32](repeating: 0, count: nodeCount)
        var tokenStart = [Int32](repeating: 0, count: nodeCount + 1)
        vocabulary.withTokenStorage { storage, offsets in
            byte.withUnsafeMutableBufferPointer { byte in
                depth.withUnsafeMutableBufferPointer { depth in
                    subtreeEnd.withUnsafeMutableBufferPointer { subtreeEnd in
                        tokenStart.withUnsafeMutableBufferPointer { tokenStart in
                            let nodes = NodeColumns(byte: byte, depth: depth, subtreeEnd: subtreeEnd, tokenStart: tokenStart)
                            let source = Source(sorted: sorted, storage: storage, offsets: offsets, maxDepth: maxDepth)
                            if split < tokenCount {
                                _ = Concurrently.run({ source.addNodes(of: 0..<split, from: 1, to: nodes) },
                                                     { source.addNodes(of: split..<tokenCount, from: splitNode, to: nodes) })
                            } else {
                                source.addNodes(of: 0..<tokenCount, from: 1, to: nodes)
                            }
                            subtreeEnd[0] = Int32(nodeCount)
                            tokenStart[nodeCount] = Int32(tokenCount)
                        }
                    }
                }
            }
        }
        self.init(byte: byte, depth: depth, subtreeEnd: subtreeEnd, tokenStart: tokenStart, tokenIDs: sorted.ids, maxDepth: maxDepth)
    }

    /// Fewer tokens have their nodes added on one thread.
    private static let concurrencyThreshold = 1 << 14

    /// The node arrays being filled.
    private struct NodeColumns {
        let byte: UnsafeMutableBufferPointer<UInt8>
        let depth: UnsafeMutableBufferPointer<UInt16>
        let subtreeEnd: UnsafeMutableBufferPointer<Int32>
        let tokenStart: UnsafeMutableBufferPointer<Int32>
    }

    /// The sorted tokens the nodes are made of.
    private struct Source {
        let sorted: TokenByteOrder
        let storage: UnsafeBufferPointer<UInt8>
        let offsets: UnsafeBufferPointer<Int32>
        let maxDepth: Int

        /// Adds the nodes of the sorted tokens `range`, whole subtrees of the root, numbering
        /// them from `firstNode` (the root's children among them end their subtrees).
        ///
        /// Sorted by bytes, tokens arrive in depth-first (preorder) order of their nodes: each
        /// token adds the nodes of its bytes past the prefix it shares with the one before, and
        /// a node's tokens start at the token that added it.
        func addNodes(of range: Range<Int>, from firstNode: Int, to nodes: NodeColumns) {
            var path = [Int32](repeating: 0, count: maxDepth + 1)   // the node at each depth of the current prefix
            var next = firstNode   // the next node to add
            var pathDepth = 0      // the depth of the current prefix's node, path[pathDepth]
            for i in range {
                let length = Int(sorted.lengths[i]), shared = Int(sorted.sharedPrefix[i])
                while pathDepth > shared {
                    nodes.subtreeEnd[Int(path[pathDepth])] = Int32(next)
                    pathDepth -= 1
                }
                let key = sorted.keys[i]
                let start = length > 8 ? Int(offsets[Int(sorted.ids[i])]) : 0
                for k in shared..<length {
                    nodes.byte[next] = k < 8 ? UInt8(truncatingIfNeeded: key >> (56 - 8 * UInt64(k))) : storage[start + k]
                    nodes.depth[next] = UInt16(k + 1)
                    nodes.tokenStart[next] = Int32(i)
                    pathDepth += 1
                    path[pathDepth] = Int32(next)
                    next += 1
                }
            }
            while pathDepth > 0 {
                nodes.subtreeEnd[Int(path[pathDepth])] = Int32(next)
                pathDepth -= 1
            }
        }
    }
}
