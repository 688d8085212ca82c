extension Matcher {
    /// The tokens a decoder can append now without sampling (jump-forward, fast-forward
    /// tokens): the forced bytes (`forcedBytes(limit:)`) as tokens, minus the tail a sampled
    /// token could still have absorbed.
    ///
    /// The forced bytes `F` are split by greedy longest match over the vocabulary
    /// (`PreparedVocabulary.greedyTokens`). Forcing the split's last tokens blindly would be
    /// non-canonical: with `F` = `{"name":` and a vocabulary token `":"`, forcing `":` makes
    /// the model spell the value's opening quote as a token of its own, a split it never saw
    /// in training. So the split is cut:
    ///
    /// - *Crossing offset*: an offset `p` of `F` is crossing when some vocabulary token starts
    ///   with `F[p...]`, is longer, and the grammar allows the rest of it right after `F`
    ///   (that token, sampled at `p`, would run past the forced bytes).
    /// - *Rule*: with `p` the earliest crossing offset (or `F.count` when there is none), a
    ///   token of the split is kept when it ends at or before `p`; the first `maxTokens` kept
    ///   tokens are returned. Offsets inside a token count too: a token that could start in
    ///   the middle of a kept token and cross the end means that token is not safe either.
    ///
    /// This is the rule llguidance applies to its fast-forward tokens. Greedy splitting is not
    /// the tokenizer's own (BPE merges may split `F` differently), and the token accepted
    /// last is never re-split with `F` (token healing). Empty when the matcher is terminated,
    /// when nothing is forced, or when some forced byte has no token.
    ///
    /// Accept the result with `accept(token:)` one by one and feed the tokens to the model as
    /// a short prefill.
    public func forcedTokens(maxTokens: Int = 8) -> [Int] {
        let vocabulary = self.vocabulary
        let trie = vocabulary.trie
        guard maxTokens > 0, trie.maxDepth > 0 else { return [] }
        // Enough bytes for `maxTokens` tokens and a token's worth cut off the end.
        let forced = forcedBytes(limit: (maxTokens + 1) * trie.maxDepth)
        guard !forced.isEmpty, let tokens = vocabulary.greedyTokens(forced) else { return [] }
        var after = self
        do { try after.accept(bytes: forced) } catch { preconditionFailure("forced bytes were rejected: \(error)") }

        var cut = forced.count
        for start in max(0, forced.count - trie.maxDepth + 1) ..< forced.count {
            if let node = trie.node(spelling: forced[start...]), Self.hasAllowedExtension(below: node, in: trie, after: after) {
                cut = start
                break
            }
        }
        var kept: [Int] = []
        var end = 0
        for token in tokens.prefix(maxTokens) {
            end += vocabulary.vocabulary.bytes(of: token).count
            if end > cut { break }
            kept.append(token)
        }
        return kept
    }

    /// Whether a token lies strictly below `node` whose bytes past the node `matcher` accepts.
    private static func hasAllowedExtension(below node: Int, in trie: TokenTrie, after matcher: Matcher) -> Bool {
        var child = node + 1
        let end = Int(trie.subtreeEnd[node])
        while child < end {
            var next = matcher
            if (try? next.accept(bytes: CollectionOfOne(trie.byte[child]))) != nil,
               trie.tokenStart[child] < trie.tokenStart[child + 1] || hasAllowedExtension(below: child, in: trie, after: next) {
                return true
            }
            child = Int(trie.subtreeEnd[child])
        }
        return false
    }
}

extension TokenTrie {
    /// The node whose prefix is `bytes`, or nil when no token starts with them.
    fileprivate func node(spelling bytes: some Collection<UInt8>) -> Int? {
        var node = 0
        for b in bytes {
            // Children follow their parent in preorder; skip each child's subtree to the next.
            var child = node + 1
            let end = Int(subtreeEnd[node])
            while child < end, byte[child] != b { child = Int(subtreeEnd[child]) }
            guard child < end else { return nil }
            node = child
        }
        return node
    }
}
