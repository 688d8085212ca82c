import Automata

/// A vocabulary with the index a matcher walks (its token trie). Build it once per tokenizer
/// and share it across every grammar compiled for that tokenizer.
public final class PreparedVocabulary: Sendable {
    /// The vocabulary.
    public let vocabulary: Vocabulary
    /// The token prefix tree.
    public let trie: TokenTrie
    /// The subtrees of `trie` that hold only JSON whitespace runs.
    public let whitespaceRuns: TokenTrie.WhitespaceRuns
    /// Precomputed masks of the tokens that can appear inside JSON strings.
    public let plainText: PlainTextSlices
    /// What each subtree of `trie` holds, for walks inside strings of a `TextClass`.
    public let textSummary: TokenTrie.TextSummary
    /// The plain tokens of `trie` per whitespace-run limit and per byte group, the sets the
    /// masks of text classes of most plain text are built from.
    public let plainTokenGroups: TokenTrie.PlainTokenGroups
    /// The masks of the text classes met so far.
    let textClassMasks = TextClassMasks()
    /// The tokens that masks outside counted regions read again with the counter, per set of facts.
    let countedCheckTokens = CountedCheckTokens()
    /// The tokens with one quote byte: they can close a JSON object key (see
    /// `Grammar.distinctObjectKeys`).
    let singleQuoteTokens: [Int32]
    /// The tokens with two quote bytes or more: they can open and close a key at once.
    let multiQuoteTokens: [Int32]
    /// The single-quote tokens by the text with which they close a key.
    let keyClosers: KeyClosers
    /// The multi-quote tokens that complete a key, per lexical signature met so far.
    let keyCompletingTokens = KeyCompletingTokens()
    /// By token id: whether the token holds a byte that can end a JSON member, name or value
    /// (`"{}[],:` or whitespace), so can stop at a member boundary (`ObjectKeyIndex`).
    let isStructural: [Bool]

    /// Prepares `vocabulary` for matching: every table a mask reads is built when this returns,
    /// so no mask waits for one (the token tree and the plain-text classification at the same
    /// time, then the tables read off the tree, where cores are free).
    public init(_ vocabulary: Vocabulary) {
        self.vocabulary = vocabulary
        let (trie, (plainTokens, quoteTokens, keyClosers, isStructural)) = Concurrently.run({ TokenTrie(vocabulary) }, {
            let quoteTokens = JSONKeyTracker.quoteTokens(vocabulary)
            return (PlainTextSlices.PlainTokens(vocabulary), quoteTokens, KeyClosers(vocabulary, singleQuoteTokens: quoteTokens.single),
                    PreparedVocabulary.structuralFlags(vocabulary))
        })
        self.isStructural = isStructural
        self.trie = trie
        (textSummary, (plainText, whitespaceRuns, plainTokenGroups)) = Concurrently.run({ TokenTrie.TextSummary(trie) }, {
            (PlainTextSlices(plainTokens, trie: trie), TokenTrie.WhitespaceRuns(trie), TokenTrie.PlainTokenGroups(trie))
        })
        (singleQuoteTokens, multiQuoteTokens) = quoteTokens
        self.keyClosers = keyClosers
    }

    /// Per token id, whether it holds `"{}[],:` or JSON whitespace (special tokens: false).
    private static func structuralFlags(_ vocabulary: Vocabulary) -> [Bool] {
        // The structural bytes as a 128-bit set (all are ASCII).
        var low: UInt64 = 0, high: UInt64 = 0
        for byte in Array(#""{}[],: "#.utf8) + [0x0A, 0x09, 0x0D] {
            if byte < 64 { low |= 1 << UInt64(byte) } else { high |= 1 << UInt64(byte - 64) }
        }
        return [Bool](unsafeUninitializedCapacity: vocabulary.size) { flags, initialized in
            flags.initialize(repeating: false)
            vocabulary.withTokenStorage { bytes, offsets in
                for id in 0..<vocabulary.definedCount where !vocabulary.isSpecial(id) {
                    var structural = false
                    for i in Int(offsets[id])..<Int(offsets[id + 1]) {
                        let byte = UInt64(bytes[i])
                        let set = byte < 64 ? low : byte < 128 ? high : 0
                        if set >> (byte & 63) & 1 != 0 { structural = true; break }
                    }
                    flags[id] = structural
                }
            }
            initialized = vocabulary.size
        }
    }

    /// The number of token ids (mask bits).
    public var size: Int { vocabulary.size }

    /// The number of `UInt32` words of a mask.
    public var maskWordCount: Int { (vocabulary.size + 31) / 32 }
}

extension PreparedVocabulary {
    /// Splits `bytes` into tokens by greedy longest match (nil if some byte has no token).
    /// Any segmentation is accepted by a matcher when the bytes are; this one is a quick,
    /// deterministic choice for replaying documents token by token.
    public func greedyTokens(_ bytes: [UInt8]) -> [Int]? {
        var out: [Int] = []
        var i = 0
        while i < bytes.count {
            var node = 0
            var best: (length: Int, id: Int)?
            var k = i
            while k < bytes.count {
                // Find the child of `node` for bytes[k]: children follow their parent in order.
                var child = node + 1
                let end = Int(trie.subtreeEnd[node])
                var found = -1
                while child < end {
                    if trie.byte[child] == bytes[k] { found = child; break }
                    child = Int(trie.subtreeEnd[child])
                }
                if found < 0 { break }
                node = found
                k += 1
                if trie.tokenStart[node] < trie.tokenStart[node + 1] {
                    best = (k - i, Int(trie.tokenIDs[Int(trie.tokenStart[node])]))
                }
            }
            guard let best else { return nil }
            out.append(best.id)
            i += best.length
        }
        return out
    }
}
