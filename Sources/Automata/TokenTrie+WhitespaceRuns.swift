extension TokenTrie {
    /// The subtrees of a token trie that hold only JSON whitespace runs, for walks that take
    /// them without a step (`ConfigurationSpace.fillAllowed(_:trie:into:whitespace:)`).
    ///
    /// Vocabularies have hundreds of tokens made only of spaces, tabs and line breaks
    /// (indentation: Llama 3 has 423, up to 128 bytes, 760 trie nodes). Wherever a grammar allows
    /// whitespace between two JSON tokens, a walk steps down all of them up to the whitespace
    /// bound, building a configuration per whitespace length; when the configuration is known to
    /// read exactly the whitespace runs up to some length, those subtrees are read off the trie
    /// instead.
    public struct WhitespaceRuns: Sendable {
        /// Per node: 0 when a token at or below the node has a byte other than JSON whitespace
        /// from the node's own byte on (the edge into it) or when the node is the root;
        /// otherwise the most bytes a token at or below it has from that byte on (at most 255).
        public let runs: [UInt8]

        /// The whitespace subtrees of `trie`: one pass over its nodes, children before parents.
        public init(_ trie: TokenTrie) {
            let n = trie.nodeCount
            var runs = [UInt8](repeating: 0, count: n)
            runs.withUnsafeMutableBufferPointer { runs in
            trie.byte.withUnsafeBufferPointer { bytes in
            trie.depth.withUnsafeBufferPointer { depths in
            trie.subtreeEnd.withUnsafeBufferPointer { ends in
            trie.tokenStart.withUnsafeBufferPointer { starts in
                // From the last node back: a node's children (i + 1, then each child's subtree
                // end) are done before it.
                var i = n - 1
                while i >= 1 {
                    defer { i -= 1 }
                    guard WhitespaceRuns.isWhitespace(bytes[i]) else { continue }
                    let base = Int(depths[i]) - 1
                    var longest = starts[i + 1] > starts[i] ? 1 : 0
                    var child = i + 1
                    let end = Int(ends[i])
                    var pure = true
                    while child < end {
                        let run = Int(runs[child])
                        if run == 0 { pure = false; break }
                        longest = max(longest, Int(depths[child]) - base + run - 1)
                        child = Int(ends[child])
                    }
                    if pure && longest > 0 { runs[i] = UInt8(min(longest, 255)) }
                }
            }}}}}
            self.runs = runs
        }

        /// Whether `byte` is JSON whitespace (space, tab, line feed, carriage return).
        @inline(__always)
        public static func isWhitespace(_ byte: UInt8) -> Bool {
            byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D
        }

        /// The JSON whitespace bytes.
        public static let bytes: [UInt8] = [0x20, 0x0A, 0x09, 0x0D]
    }
}
