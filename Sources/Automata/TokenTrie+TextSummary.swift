extension TokenTrie {
    /// What each subtree of a token trie holds, for walks that take a whole subtree at once
    /// when all its tokens are in a `TextClass` (`ConfigurationSpace.fillAllowed(_:trie:class:summary:into:)`).
    ///
    /// Per node: the byte groups (`TextClass.group(of:)`) on the edges below it, and the longest
    /// token at or below it when they are all plain text (`PlainText`; 255 when one is not). A
    /// subtree is all in a class when the bytes on the path to its node and the groups below
    /// are in the class and its longest token fits the class's length.
    public struct TextSummary: Sendable {
        /// Per node, two words: the groups on the edges strictly below it (groups 0–63, 64–127).
        let groupsBelow: [UInt64]
        /// Per node: the longest token at or below it, in bytes (at most 254), or 255 when one
        /// of them is not plain text; 0 when no token is at or below it.
        let longestPlain: [UInt8]

        /// The summary of `trie`'s subtrees: one pass over its nodes.
        public init(_ trie: TokenTrie) {
            let n = trie.nodeCount
            var groupsBelow = [UInt64](repeating: 0, count: 2 * n)
            var longestPlain = [UInt8](repeating: 0, count: n)
            var path = [Int](repeating: 0, count: trie.maxDepth + 1)       // the node at each depth
            var plainState = [Int8](repeating: 0, count: trie.maxDepth + 1) // `PlainText` state after each depth
            groupsBelow.withUnsafeMutableBufferPointer { below in
            longestPlain.withUnsafeMutableBufferPointer { longest in
            trie.byte.withUnsafeBufferPointer { bytes in
            trie.depth.withUnsafeBufferPointer { depths in
            trie.tokenStart.withUnsafeBufferPointer { starts in
                var top = 0   // depth of the deepest node on the path
                /// Adds the path's deepest node and its subtree to its parent's figures.
                func pop() {
                    let x = path[top], p = path[top - 1]
                    let bit = TextClass.bit(of: TextClass.group(of: bytes[x]))
                    below[2 * p] |= below[2 * x] | bit.low
                    below[2 * p + 1] |= below[2 * x + 1] | bit.high
                    longest[p] = max(longest[p], longest[x])
                    top -= 1
                }
                for i in 1..<max(n, 1) {
                    let d = Int(depths[i])
                    while top >= d { pop() }
                    path[d] = i
                    top = d
                    let previous = plainState[d - 1]
                    let state = previous < 0 ? -1 : PlainText.next(previous, bytes[i])
                    plainState[d] = state
                    if starts[i + 1] > starts[i] { longest[i] = state >= 0 ? UInt8(min(d, 254)) : 255 }
                }
                while top > 0 { pop() }
            }}}}}
            self.groupsBelow = groupsBelow
            self.longestPlain = longestPlain
        }

        /// The tokens of `trie` (the trie this summary was built from) in `textClass`: plain
        /// text of at most `textClass.maxBytes` bytes (or characters), every byte in the class; as `wordCount`
        /// mask words, and how many they are. Walks the class's part of the trie only.
        public func mask(of textClass: TextClass, trie: TokenTrie, wordCount: Int) -> (words: [UInt32], count: Int) {
            var words = [UInt32](repeating: 0, count: wordCount)
            var count = 0
            var state = [Int8](repeating: 0, count: trie.maxDepth + 1)   // `PlainText` state after each depth
            var length = [Int](repeating: 0, count: trie.maxDepth + 1)   // in the class's unit
            words.withUnsafeMutableBufferPointer { words in
            trie.byte.withUnsafeBufferPointer { bytes in
            trie.depth.withUnsafeBufferPointer { depths in
            trie.subtreeEnd.withUnsafeBufferPointer { ends in
            trie.tokenStart.withUnsafeBufferPointer { starts in
            trie.tokenIDs.withUnsafeBufferPointer { ids in
                var i = 1
                while i < trie.nodeCount {
                    let d = Int(depths[i])
                    let next = textClass.contains(bytes[i]) ? PlainText.next(state[d - 1], bytes[i]) : -1
                    length[d] = length[d - 1] + textClass.length(of: bytes[i])
                    if next < 0 || length[d] > textClass.maxBytes {
                        i = Int(ends[i])
                        continue
                    }
                    state[d] = next
                    for t in Int(starts[i])..<Int(starts[i + 1]) {
                        let id = Int(ids[t])
                        words[id >> 5] |= 1 << UInt32(id & 31)
                    }
                    count += Int(starts[i + 1] - starts[i])
                    i += 1
                }
            }}}}}}
            return (words, count)
        }

        /// The summary's size in bytes.
        public var byteCount: Int { groupsBelow.count * 8 + longestPlain.count }
    }
}
