/// Finds added tokens in text as the Hugging Face library does before anything else runs:
/// leftmost-longest matches, scanning on after each match, with the token's options applied —
/// `single_word` drops a match that touches a word character, `lstrip` / `rstrip` extend a match
/// over the whitespace before / after it.
struct AddedTokenMatcher: Sendable {
    /// A token to find.
    struct Token: Sendable {
        /// The id the match becomes.
        var id: Int
        /// The text to find.
        var content: [UInt8]
        /// Whether a match must not touch a word character on either side.
        var singleWord = false
        /// Whether the match takes the whitespace before it.
        var leftStrip = false
        /// Whether the match takes the whitespace after it.
        var rightStrip = false
    }

    /// A run of text or a found token.
    enum Segment {
        /// Text (byte range) with no added token in it.
        case text(Range<Int>)
        /// A found token.
        case token(Int)
    }

    /// The trie of the contents: node 0 is the root; `edges[edgeStarts[n]..<edgeStarts[n + 1]]`
    /// are node n's children, sorted by byte.
    private var edgeStarts: [Int32] = [0]
    private var edges: [(byte: UInt8, child: Int32)] = []
    /// The token index ending at each node, or -1.
    private var terminal: [Int32] = []
    private var rootChild = [Int32](repeating: -1, count: 256)
    private let tokens: [Token]

    /// A matcher for `tokens`; of tokens with equal content the last wins.
    init(_ tokens: [Token]) {
        self.tokens = tokens
        // Build with per-node dictionaries, then flatten to sorted edge lists.
        var children: [[UInt8: Int32]] = [[:]]
        var ends: [Int32] = [-1]
        for (index, token) in tokens.enumerated() where !token.content.isEmpty {
            var node = 0
            for b in token.content {
                if let child = children[node][b] {
                    node = Int(child)
                } else {
                    children.append([:])
                    ends.append(-1)
                    children[node][b] = Int32(children.count - 1)
                    node = children.count - 1
                }
            }
            ends[node] = Int32(index)
        }
        for node in children {
            for (byte, child) in node.sorted(by: { $0.key < $1.key }) { edges.append((byte, child)) }
            edgeStarts.append(Int32(edges.count))
        }
        terminal = ends
        for (byte, child) in children[0] { rootChild[Int(byte)] = child }
    }

    /// Whether there is no token to find.
    var isEmpty: Bool { tokens.isEmpty }

    /// Appends the text runs and found tokens of `text` to `segments`, in order.
    func split(_ text: UnsafeBufferPointer<UInt8>, into segments: inout [Segment]) {
        var runStart = 0
        var i = 0
        while i < text.count {
            guard rootChild[Int(text[i])] >= 0, let (index, end) = longestMatch(in: text, at: i) else {
                i += 1
                continue
            }
            let token = tokens[index]
            if token.singleWord, !isWordBoundary(text, before: i) || !isWordBoundary(text, after: end) {
                i = end
                continue
            }
            var start = i, stop = end
            if token.leftStrip {
                while start > runStart, let s = UTF8Scalars.scalar(before: start, in: text), s.properties.isWhitespace {
                    start -= s.utf8.count
                }
            }
            if token.rightStrip {
                while let s = UTF8Scalars.scalar(at: stop, in: text), s.properties.isWhitespace { stop += s.utf8.count }
            }
            if runStart < start { segments.append(.text(runStart..<start)) }
            segments.append(.token(token.id))
            runStart = stop
            i = stop
        }
        if runStart < text.count { segments.append(.text(runStart..<text.count)) }
    }

    /// The longest token starting at `start`: its index and end.
    private func longestMatch(in text: UnsafeBufferPointer<UInt8>, at start: Int) -> (Int, Int)? {
        var node = Int(rootChild[Int(text[start])])
        var found: (Int, Int)?
        var i = start + 1
        while true {
            if terminal[node] >= 0 { found = (Int(terminal[node]), i) }
            guard i < text.count, let child = child(of: node, text[i]) else { return found }
            node = child
            i += 1
        }
    }

    private func child(of node: Int, _ byte: UInt8) -> Int? {
        for e in Int(edgeStarts[node])..<Int(edgeStarts[node + 1]) where edges[e].byte == byte { return Int(edges[e].child) }
        return nil
    }

    /// Whether no word character ends just before `index`.
    private func isWordBoundary(_ text: UnsafeBufferPointer<UInt8>, before index: Int) -> Bool {
        guard let s = UTF8Scalars.scalar(before: index, in: text) else { return true }
        return !ScalarClass.isWordScalar(s, category: GeneralCategoryBits.bit(of: s))
    }

    /// Whether no word character starts at `index`.
    private func isWordBoundary(_ text: UnsafeBufferPointer<UInt8>, after index: Int) -> Bool {
        guard let s = UTF8Scalars.scalar(at: index, in: text) else { return true }
        return !ScalarClass.isWordScalar(s, category: GeneralCategoryBits.bit(of: s))
    }
}
