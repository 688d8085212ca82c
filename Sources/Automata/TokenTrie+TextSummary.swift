extension TokenTrie {
    /// What each subtree of a token trie holds, for walks that take a whole subtree at once
    /// when all its tokens are in a `TextClass` (`ConfigurationSpace.fillAllowed(_:trie:class:summary:into:)`).
    ///
    /// Per node: the byte groups (`TextClass.group(of:)`) on the edges below it, and the longest
    /// token at or below it when they are all plain text (`PlainText`; 255 when one is not), also
    /// counting a token of more whitespace runs than a run-limited class allows as not plain
    /// (`SpaceRuns`). A subtree is all in a class when the bytes on the path to its node and the
    /// groups below are in the class and its longest token fits the class's length.
    public struct TextSummary: Sendable {
        /// Per node, two words: the groups on the edges strictly below it (groups 0–63, 64–127).
        let groupsBelow: [UInt64]
        /// Per node: the longest token at or below it, in bytes (at most 254), or 255 when one
        /// of them is not plain text; 0 when no token is at or below it.
        let longestPlain: [UInt8]
        /// For each run limit r below `SpaceRuns.limitedRuns`: `longestPlain` where a token of
        /// more than r whitespace runs is not plain.
        let longestPlainByRuns: [[UInt8]]
        /// A spread sample of the plain tokens (every `sampleStride`th in trie order): their
        /// byte groups, length in bytes and in characters, to estimate how many tokens a class
        /// holds without walking the trie (`estimatedTokenCount(of:)`).
        let sample: [(low: UInt64, high: UInt64, bytes: UInt16, characters: UInt16, runs: UInt8)]
        /// One sampled plain token in this many.
        static let sampleStride = 64
        /// The trie's tokens ordered by length in bytes.
        public let tokensByBytes: TokensByLength
        /// The trie's tokens ordered by length in characters (ASCII and lead bytes).
        public let tokensByCharacters: TokensByLength

        /// Token ids ordered by length: those of length at most k are
        /// `ids[0..<ends[min(k, ends.count - 1)]]`.
        public struct TokensByLength: Sendable {
            public let ids: [Int32]
            public let ends: [Int32]

            /// How many tokens are at most `length` long.
            public func count(upTo length: Int) -> Int { length < 0 ? 0 : Int(ends[min(length, ends.count - 1)]) }

            /// `lengths` (by token id, 0 for an id without token) ordered by a counting sort.
            init(_ lengths: [UInt16]) {
                let longest = Int(lengths.max() ?? 0)
                var ends = [Int32](repeating: 0, count: longest + 2)
                var ids = [Int32](repeating: 0, count: lengths.count)
                lengths.withUnsafeBufferPointer { lengths in
                    ends.withUnsafeMutableBufferPointer { ends in
                        for length in lengths { ends[Int(length) + 1] += 1 }
                        for k in 1..<ends.count { ends[k] += ends[k - 1] }
                        var next = Array(ends[0...longest])
                        ids.withUnsafeMutableBufferPointer { ids in
                            for id in 0..<lengths.count {
                                let length = Int(lengths[id])
                                ids[Int(next[length])] = Int32(id)
                                next[length] += 1
                            }
                        }
                    }
                }
                self.ids = ids
                self.ends = Array(ends.dropFirst())
            }
        }

        /// The summary of `trie`'s subtrees: one pass over its nodes, with the path from the root
        /// on a stack of frames; a node's figures are written when the pass leaves its subtree.
        public init(_ trie: TokenTrie) {
            let n = trie.nodeCount
            // Left uninitialized: the pass writes every node's entries (the root's last).
            var groupsBelow = [UInt64](unsafeUninitializedCapacity: 2 * n) { _, count in count = 2 * n }
            var longestPlain = [UInt8](unsafeUninitializedCapacity: n) { _, count in count = n }
            let runLimits = SpaceRuns.limitedRuns
            var byRuns = [UInt8](unsafeUninitializedCapacity: runLimits * n) { _, count in count = runLimits * n }   // limit r at r * n + node
            // On the path, per node: the longest plain token below for each run limit (lanes
            // below `runLimits`) and for no limit (the last lane).
            precondition(runLimits < 4, "one lane per run limit and one for no limit")
            var sample: [(low: UInt64, high: UInt64, bytes: UInt16, characters: UInt16, runs: UInt8)] = []
            var plainSeen = 0
            let idCount = Int(trie.tokenIDs.max() ?? -1) + 1
            var tokenBytes = [UInt16](repeating: 0, count: idCount)
            var tokenCharacters = [UInt16](repeating: 0, count: idCount)
            // Each lane's run limit (none: 255, above every count kept).
            var laneLimits = SIMD4<UInt8>(repeating: 255)
            for r in 0..<runLimits { laneLimits[r] = UInt8(r) }
            let groupBits = TextClass.groupBitsByByte
            let frames = UnsafeMutablePointer<SummaryFrame>.allocate(capacity: trie.maxDepth + 1)
            defer { frames.deallocate() }
            frames[0] = SummaryFrame(node: 0, path: .root, below: .zero, longest: .zero, characters: 0)
            let plainTable = PlainText.transitionTable, runTable = SpaceRuns.table
            groupsBelow.withUnsafeMutableBufferPointer { below in
            longestPlain.withUnsafeMutableBufferPointer { longest in
            byRuns.withUnsafeMutableBufferPointer { byRuns in
            groupBits.withUnsafeBufferPointer { groupBits in
            plainTable.withUnsafeBufferPointer { plainTable in
            runTable.withUnsafeBufferPointer { runTable in
            trie.byte.withUnsafeBufferPointer { bytes in
            trie.depth.withUnsafeBufferPointer { depths in
            trie.tokenStart.withUnsafeBufferPointer { starts in
            trie.tokenIDs.withUnsafeBufferPointer { ids in
            tokenBytes.withUnsafeMutableBufferPointer { tokenBytes in
            tokenCharacters.withUnsafeMutableBufferPointer { tokenCharacters in
                var top = 0   // depth of the deepest node on the path
                // Leaves the subtrees of the path's nodes below `depth`: writes each one's figures
                // and adds them, with its edge's group, to its parent's.
                @inline(__always) func pop(to depth: Int) {
                    while top > depth {
                        let frame = frames[top], x = frame.node
                        below[2 * x] = frame.below.x
                        below[2 * x + 1] = frame.below.y
                        longest[x] = frame.longest[3]
                        for r in 0..<runLimits { byRuns[r * n + x] = frame.longest[r] }
                        frames[top - 1].below |= frame.below | groupBits[Int(bytes[x])]
                        frames[top - 1].longest = pointwiseMax(frames[top - 1].longest, frame.longest)
                        top -= 1
                    }
                }
                for i in 1..<max(n, 1) {
                    let d = Int(depths[i])
                    pop(to: d - 1)
                    let parent = frames[d - 1], byte = bytes[i]
                    var frame = SummaryFrame(node: i, path: parent.path.extended(by: byte, groupBits: groupBits, plainTable: plainTable, runTable: runTable),
                                             below: .zero, longest: .zero,
                                             characters: parent.characters + (byte & 0xC0 == 0x80 ? 0 : 1))
                    if starts[i + 1] > starts[i] {
                        for t in Int(starts[i])..<Int(starts[i + 1]) {
                            tokenBytes[Int(ids[t])] = UInt16(d)
                            tokenCharacters[Int(ids[t])] = frame.characters
                        }
                        if frame.path.plainState >= 0 {
                            // Plain: its length in the lanes whose limit its runs meet, else 255.
                            frame.longest = SIMD4(repeating: UInt8(min(d, 254)))
                                .replacing(with: 255, where: SIMD4(repeating: frame.path.runs) .> laneLimits)
                            if plainSeen % TextSummary.sampleStride == 0 {
                                sample.append((frame.path.groups.x, frame.path.groups.y, UInt16(d), frame.characters, frame.path.runs))
                            }
                            plainSeen += Int(starts[i + 1] - starts[i])
                        } else {
                            frame.longest = SIMD4(repeating: 255)
                        }
                    }
                    frames[d] = frame
                    top = d
                }
                pop(to: 0)
                if n > 0 {
                    below[0] = frames[0].below.x
                    below[1] = frames[0].below.y
                    longest[0] = frames[0].longest[3]
                    for r in 0..<runLimits { byRuns[r * n] = frames[0].longest[r] }
                }
            }}}}}}}}}}}}
            self.groupsBelow = groupsBelow
            self.tokensByBytes = TokensByLength(tokenBytes)
            self.tokensByCharacters = TokensByLength(tokenCharacters)
            self.longestPlain = longestPlain
            longestPlainByRuns = (0..<runLimits).map { r in Array(byRuns[r * n..<(r + 1) * n]) }
            self.sample = sample
        }

        /// `longestPlain`, or for a run-limited class its `longestPlainByRuns`.
        public func longestPlain(of textClass: TextClass) -> [UInt8] {
            textClass.maxRuns < SpaceRuns.limitedRuns ? longestPlainByRuns[textClass.maxRuns] : longestPlain
        }

        /// About how many tokens `textClass` holds, from the sample.
        public func estimatedTokenCount(of textClass: TextClass) -> Int {
            var count = 0
            for token in sample where textClass.contains(groupsLow: token.low, high: token.high)
                && Int(textClass.countsCharacters ? token.characters : token.bytes) <= textClass.maxBytes {
                count += 1
            }
            if textClass.maxRuns < SpaceRuns.limitedRuns {
                for token in sample where Int(token.runs) > textClass.maxRuns && textClass.contains(groupsLow: token.low, high: token.high)
                    && Int(textClass.countsCharacters ? token.characters : token.bytes) <= textClass.maxBytes {
                    count -= 1
                }
            }
            return count * TextSummary.sampleStride
        }

        /// The tokens of `trie` (the trie this summary was built from) in `textClass`: plain
        /// text of at most `textClass.maxBytes` bytes (or characters) and `textClass.maxRuns`
        /// whitespace runs, every byte in the class; as `wordCount`
        /// mask words, and how many they are. Walks the class's part of the trie only.
        public func mask(of textClass: TextClass, trie: TokenTrie, wordCount: Int) -> (words: [UInt32], count: Int) {
            var words = [UInt32](repeating: 0, count: wordCount)
            var count = 0
            var state = [Int8](repeating: 0, count: trie.maxDepth + 1)   // `PlainText` state after each depth
            var length = [Int](repeating: 0, count: trie.maxDepth + 1)   // in the class's unit
            let transitions = textClass.plainTransitions
            let longestPlain = self.longestPlain(of: textClass)
            words.withUnsafeMutableBufferPointer { words in
            trie.byte.withUnsafeBufferPointer { bytes in
            trie.depth.withUnsafeBufferPointer { depths in
            trie.subtreeEnd.withUnsafeBufferPointer { ends in
            trie.tokenStart.withUnsafeBufferPointer { starts in
            trie.tokenIDs.withUnsafeBufferPointer { ids in
                var i = 1
                while i < trie.nodeCount {
                    let d = Int(depths[i])
                    let next = textClass.contains(bytes[i]) ? transitions[Int(state[d - 1]) << 8 | Int(bytes[i])] : -1
                    length[d] = length[d - 1] + textClass.length(of: bytes[i])
                    if next < 0 || length[d] > textClass.maxBytes {
                        i = Int(ends[i])
                        continue
                    }
                    state[d] = next
                    // A subtree all of the class (every token plain and short enough: in
                    // characters too) is taken at once.
                    let whole = Int(longestPlain[i]) <= textClass.maxBytes
                        && textClass.contains(groupsLow: groupsBelow[2 * i], high: groupsBelow[2 * i + 1])
                    let end = whole ? Int(ends[i]) : i + 1
                    for t in Int(starts[i])..<Int(starts[end]) {
                        let id = Int(ids[t])
                        words[id >> 5] |= 1 << UInt32(id & 31)
                    }
                    count += Int(starts[end] - starts[i])
                    i = whole ? end : i + 1
                }
            }}}}}}
            return (words, count)
        }
    }
}

/// One node on the path of `TokenTrie.TextSummary.init`'s pass: what the path to it reads, and
/// what its subtree holds so far.
private struct SummaryFrame {
    /// The node.
    var node: Int
    /// What the path from the root to the node reads.
    var path: PlainTextPath
    /// The groups on the edges below the node seen so far.
    var below: SIMD2<UInt64>
    /// The longest token at or below the node seen so far, per lane of `TextSummary.init`.
    var longest: SIMD4<UInt8>
    /// The characters on the path.
    var characters: UInt16
}
