extension TokenTrie {
    /// The plain-text tokens of a trie as mask words, per whitespace-run limit and per byte
    /// group (`TextClass.group(of:)`): a `TextClass` no token is too long for holds the plain
    /// tokens of its run limit less those with a byte of a group outside the class, so its
    /// mask is a few word-wise AND-NOTs (`mask(of:wordCount:)`) instead of a bit per token
    /// (`TextSummary.mask(of:trie:wordCount:)`: ~120k tokens, 1.6–3.3 M instructions, for a
    /// class of most plain text on a 128k vocabulary).
    ///
    /// Plain text and whitespace runs are those of `TextSummary`: a token is plain when
    /// `PlainText` reads all of it, and in lane r (below `SpaceRuns.limitedRuns`) when it also
    /// has at most r runs; the last lane has any number.
    public struct PlainTokenGroups: Sendable {
        /// Per lane: the plain tokens of the lane, `wordsPerSet` mask words each.
        let plainTokens: [UInt32]
        /// Per group (0–127): the plain tokens with a byte of the group, `wordsPerSet` mask
        /// words each.
        let groupTokens: [UInt32]
        /// The groups some plain token has a byte of (low, high words).
        let plainGroups: SIMD2<UInt64>
        /// Mask words per token set: enough for the trie's largest token id.
        public let wordsPerSet: Int

        /// The sets of `trie`'s tokens: one pass over its nodes, with the plain-text state,
        /// run state, run count and groups of the path to each node.
        public init(_ trie: TokenTrie) {
            let idCount = Int(trie.tokenIDs.max() ?? -1) + 1
            let w = (idCount + 31) / 32, lanes = SpaceRuns.limitedRuns + 1
            var plainTokens = [UInt32](repeating: 0, count: lanes * w)
            var groupTokens = [UInt32](repeating: 0, count: 128 * w)
            var plainGroups = SIMD2<UInt64>.zero
            // Per depth: what the path to the node there reads.
            let frames = UnsafeMutablePointer<PlainTextPath>.allocate(capacity: trie.maxDepth + 1)
            defer { frames.deallocate() }
            frames[0] = .root
            let groupBits = TextClass.groupBitsByByte
            let plainTable = PlainText.transitionTable, runTable = SpaceRuns.table
            plainTokens.withUnsafeMutableBufferPointer { plainTokens in
            groupTokens.withUnsafeMutableBufferPointer { groupTokens in
            groupBits.withUnsafeBufferPointer { groupBits in
            plainTable.withUnsafeBufferPointer { plainTable in
            runTable.withUnsafeBufferPointer { runTable in
            trie.byte.withUnsafeBufferPointer { bytes in
            trie.depth.withUnsafeBufferPointer { depths in
            trie.subtreeEnd.withUnsafeBufferPointer { ends in
            trie.tokenStart.withUnsafeBufferPointer { starts in
            trie.tokenIDs.withUnsafeBufferPointer { ids in
                var i = 1
                while i < trie.nodeCount {
                    let d = Int(depths[i])
                    let frame = frames[d - 1].extended(by: bytes[i], groupBits: groupBits, plainTable: plainTable, runTable: runTable)
                    if frame.plainState < 0 {
                        // Nothing below is plain (so every path followed is).
                        i = Int(ends[i])
                        continue
                    }
                    frames[d] = frame
                    if starts[i + 1] > starts[i] {
                        plainGroups |= frame.groups
                        let firstLane = Int(min(frame.runs, UInt8(lanes - 1)))
                        for t in Int(starts[i])..<Int(starts[i + 1]) {
                            let id = Int(ids[t]), word = id >> 5, bit = UInt32(1) << UInt32(id & 31)
                            for lane in firstLane..<lanes { plainTokens[lane * w + word] |= bit }
                            var low = frame.groups.x, high = frame.groups.y
                            while low != 0 {
                                groupTokens[low.trailingZeroBitCount * w + word] |= bit
                                low &= low - 1
                            }
                            while high != 0 {
                                groupTokens[(64 + high.trailingZeroBitCount) * w + word] |= bit
                                high &= high - 1
                            }
                        }
                    }
                    i += 1
                }
            }}}}}}}}}}
            self.plainTokens = plainTokens
            self.groupTokens = groupTokens
            self.plainGroups = plainGroups
            wordsPerSet = w
        }

        /// How many groups some plain token has a byte of and `textClass` does not hold: the
        /// sets `mask(of:wordCount:)` reads besides its lane's.
        public func excludedGroupCount(of textClass: TextClass) -> Int {
            let excluded = plainGroups & ~SIMD2(textClass.low, textClass.high)
            return excluded.x.nonzeroBitCount + excluded.y.nonzeroBitCount
        }

        /// The plain tokens of at most `textClass.maxRuns` whitespace runs with every byte in
        /// the class, whatever their length, as `wordCount` mask words, and how many they are:
        /// `textClass`'s tokens when no token is longer than `textClass.maxBytes`.
        public func mask(of textClass: TextClass, wordCount: Int) -> (words: [UInt32], count: Int) {
            var words = [UInt32](repeating: 0, count: wordCount)
            var count = 0
            let w = wordsPerSet, n = min(w, wordCount)
            let lane = min(textClass.maxRuns, SpaceRuns.limitedRuns)
            let excluded = plainGroups & ~SIMD2(textClass.low, textClass.high)
            words.withUnsafeMutableBufferPointer { words in
            plainTokens.withUnsafeBufferPointer { plain in
            groupTokens.withUnsafeBufferPointer { groups in
                for i in 0..<n { words[i] = plain[lane * w + i] }
                var low = excluded.x, high = excluded.y
                while low | high != 0 {
                    let g: Int
                    if low != 0 {
                        g = low.trailingZeroBitCount
                        low &= low - 1
                    } else {
                        g = 64 + high.trailingZeroBitCount
                        high &= high - 1
                    }
                    let group = UnsafeBufferPointer(rebasing: groups[g * w..<g * w + n])
                    for i in 0..<n { words[i] &= ~group[i] }
                }
                for i in 0..<n { count += words[i].nonzeroBitCount }
            }}}
            return (words, count)
        }
    }
}
