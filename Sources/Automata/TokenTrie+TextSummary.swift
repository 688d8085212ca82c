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

        /// The summary of `trie`'s subtrees: one pass over its nodes.
        public init(_ trie: TokenTrie) {
            let n = trie.nodeCount
            var groupsBelow = [UInt64](repeating: 0, count: 2 * n)
            var longestPlain = [UInt8](repeating: 0, count: n)
            var byRuns = [UInt8](repeating: 0, count: SpaceRuns.limitedRuns * n)   // limit r at r * n + node
            var sample: [(low: UInt64, high: UInt64, bytes: UInt16, characters: UInt16, runs: UInt8)] = []
            var plainSeen = 0
            let idCount = Int(trie.tokenIDs.max() ?? -1) + 1
            var tokenBytes = [UInt16](repeating: 0, count: idCount)
            var tokenCharacters = [UInt16](repeating: 0, count: idCount)
            // Per depth of the path from the root: its node, the groups and characters on it,
            // and the `PlainText` state after it.
            let height = trie.maxDepth + 1
            let path = UnsafeMutablePointer<Int>.allocate(capacity: height)
            let pathLow = UnsafeMutablePointer<UInt64>.allocate(capacity: height)
            let pathHigh = UnsafeMutablePointer<UInt64>.allocate(capacity: height)
            let pathCharacters = UnsafeMutablePointer<UInt16>.allocate(capacity: height)
            let plainState = UnsafeMutablePointer<Int8>.allocate(capacity: height)
            // The `SpaceRuns` state after each depth and the runs so far.
            let runState = UnsafeMutablePointer<UInt8>.allocate(capacity: height)
            let pathRuns = UnsafeMutablePointer<Int>.allocate(capacity: height)
            defer {
                path.deallocate(); pathLow.deallocate(); pathHigh.deallocate()
                pathCharacters.deallocate(); plainState.deallocate(); runState.deallocate(); pathRuns.deallocate()
            }
            path[0] = 0; pathLow[0] = 0; pathHigh[0] = 0; pathCharacters[0] = 0; plainState[0] = 0
            runState[0] = SpaceRuns.start; pathRuns[0] = 0
            let runTable = SpaceRuns.table
            groupsBelow.withUnsafeMutableBufferPointer { below in
            longestPlain.withUnsafeMutableBufferPointer { longest in
            byRuns.withUnsafeMutableBufferPointer { byRuns in
            trie.byte.withUnsafeBufferPointer { bytes in
            trie.depth.withUnsafeBufferPointer { depths in
            trie.tokenStart.withUnsafeBufferPointer { starts in
            trie.tokenIDs.withUnsafeBufferPointer { ids in
            tokenBytes.withUnsafeMutableBufferPointer { tokenBytes in
            tokenCharacters.withUnsafeMutableBufferPointer { tokenCharacters in
                var top = 0   // depth of the deepest node on the path
                // Pops the path down to `depth`, adding each popped node and its subtree to its
                // parent's figures.
                @inline(__always) func pop(to depth: Int) {
                    while top > depth {
                        let x = path[top], p = path[top - 1]
                        let bit = TextClass.bit(of: TextClass.group(of: bytes[x]))
                        below[2 * p] |= below[2 * x] | bit.low
                        below[2 * p + 1] |= below[2 * x + 1] | bit.high
                        longest[p] = max(longest[p], longest[x])
                        for r in 0..<SpaceRuns.limitedRuns { byRuns[r * n + p] = max(byRuns[r * n + p], byRuns[r * n + x]) }
                        top -= 1
                    }
                }
                for i in 1..<max(n, 1) {
                    let d = Int(depths[i])
                    pop(to: d - 1)
                    path[d] = i
                    top = d
                    let previous = plainState[d - 1]
                    let state = previous < 0 ? -1 : PlainText.next(previous, bytes[i])
                    plainState[d] = state
                    let bit = TextClass.bit(of: TextClass.group(of: bytes[i]))
                    pathLow[d] = pathLow[d - 1] | bit.low
                    pathHigh[d] = pathHigh[d - 1] | bit.high
                    pathCharacters[d] = pathCharacters[d - 1] + (bytes[i] & 0xC0 == 0x80 ? 0 : 1)
                    let entry = runTable[Int(runState[d - 1]) << 8 | Int(bytes[i])]
                    runState[d] = entry & 0x7F
                    pathRuns[d] = pathRuns[d - 1] + Int(entry >> 7)
                    if starts[i + 1] > starts[i] {
                        for t in Int(starts[i])..<Int(starts[i + 1]) {
                            tokenBytes[Int(ids[t])] = UInt16(d)
                            tokenCharacters[Int(ids[t])] = pathCharacters[d]
                        }
                        longest[i] = state >= 0 ? UInt8(min(d, 254)) : 255
                        for r in 0..<SpaceRuns.limitedRuns { byRuns[r * n + i] = state >= 0 && pathRuns[d] <= r ? UInt8(min(d, 254)) : 255 }
                        if state >= 0 {
                            if plainSeen % TextSummary.sampleStride == 0 {
                                sample.append((pathLow[d], pathHigh[d], UInt16(d), pathCharacters[d], UInt8(min(pathRuns[d], 255))))
                            }
                            plainSeen += Int(starts[i + 1] - starts[i])
                        }
                    }
                }
                pop(to: 0)
            }}}}}}}}}
            self.groupsBelow = groupsBelow
            self.tokensByBytes = TokensByLength(tokenBytes)
            self.tokensByCharacters = TokensByLength(tokenCharacters)
            self.longestPlain = longestPlain
            longestPlainByRuns = (0..<SpaceRuns.limitedRuns).map { r in Array(byRuns[r * n..<(r + 1) * n]) }
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
