import Grammar

extension TokenTrie {
    /// The trie's nodes with many children (the root, `" "`, `"\""`, `"."`…), each with its
    /// children by byte: a walk whose configuration reads few of such a node's child bytes goes
    /// from one read child straight to the next, instead of visiting every child to reject its
    /// byte (the root alone has 256 children, and a configuration inside a member name reads one
    /// or two of them).
    public struct FanOut: Sendable {
        /// Per node: 1 + its slot among the fanned-out nodes, or 0.
        let slotOfNode: [UInt8]
        /// Per slot, 256 entries: the node of the child with that byte, or -1.
        let children: [Int32]
        /// Per slot: the bytes of its children.
        let childBytes: [SIMD4<UInt64>]
        /// The depth of the deepest fanned-out node (-1: none).
        let deepestNode: Int

        /// The fewest children of a fanned-out node.
        static let minChildren = 8
        /// The most fanned-out nodes (slots are bytes): those with the most children.
        static let maxSlots = 255

        /// The fanned-out nodes of the trie of these columns: of the nodes with at least
        /// `minChildren` children, the `maxSlots` with the most (in node order when tied).
        init(byte: [UInt8], depth: [UInt16], subtreeEnd: [Int32]) {
            let nodes = byte.count
            var candidates: [(node: Int32, children: Int32)] = []
            subtreeEnd.withUnsafeBufferPointer { ends in
                var i = 0
                while i < nodes {
                    // A node with that many children has more nodes below it: a smaller subtree
                    // has no such node at all.
                    guard Int(ends[i]) - i > Self.minChildren else {
                        i = Int(ends[i])
                        continue
                    }
                    var count: Int32 = 0
                    var j = i + 1
                    while j < Int(ends[i]) {
                        count += 1
                        j = Int(ends[j])
                    }
                    if count >= Self.minChildren { candidates.append((Int32(i), count)) }
                    i += 1
                }
            }
            if candidates.count > Self.maxSlots {
                candidates.sort { $0.children != $1.children ? $0.children > $1.children : $0.node < $1.node }
                candidates.removeLast(candidates.count - Self.maxSlots)
                candidates.sort { $0.node < $1.node }
            }
            var slotOfNode = [UInt8](repeating: 0, count: nodes)
            var children = [Int32](repeating: -1, count: candidates.count << 8)
            var childBytes: [SIMD4<UInt64>] = []
            var deepestNode = -1
            for (slot, candidate) in candidates.enumerated() {
                let i = Int(candidate.node)
                var bits = ByteBits()
                var j = i + 1
                while j < Int(subtreeEnd[i]) {
                    children[slot << 8 | Int(byte[j])] = Int32(j)
                    bits.insert(byte[j])
                    j = Int(subtreeEnd[j])
                }
                childBytes.append(bits.words)
                slotOfNode[i] = UInt8(slot + 1)
                deepestNode = max(deepestNode, Int(depth[i]))
            }
            self.slotOfNode = slotOfNode
            self.children = children
            self.childBytes = childBytes
            self.deepestNode = deepestNode
        }

        /// Bytes held.
        var memoryBytes: Int { slotOfNode.count + children.count * 4 + childBytes.count * 32 }

        /// A node's children are passed over when the configuration reads at most one in this
        /// many of them.
        static let sparseness = 2

        /// The number of bytes in `bits`.
        @inline(__always)
        static func count(_ bits: SIMD4<UInt64>) -> Int {
            bits[0].nonzeroBitCount + bits[1].nonzeroBitCount + bits[2].nonzeroBitCount + bits[3].nonzeroBitCount
        }

        /// The lowest byte of `bits` above `byte`, or -1.
        @inline(__always)
        static func firstByte(of bits: SIMD4<UInt64>, above byte: Int) -> Int {
            var w = byte >> 6
            // The bits above `byte` in its word (none when it is the word's last bit).
            var word = bits[w] & ~((UInt64(2) &<< UInt64(byte & 63)) &- 1)
            while word == 0 {
                w += 1
                if w == 4 { return -1 }
                word = bits[w]
            }
            return w << 6 | word.trailingZeroBitCount
        }
    }
}
