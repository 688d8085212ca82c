extension RegexAST.Node {
    /// The most sequences spelling out groups with lookaheads may multiply to (alternatives
    /// of groups one after another, or counts of a repeated group).
    static let maxSpelledOutSequences = 1_000

    /// The node's top-level alternatives as sequences of parts in which every lookahead
    /// stands directly, groups holding lookaheads spelled out.
    ///
    /// A lookahead asserts about the rest of the input, which the lowering knows only in a
    /// top-level sequence (`sequenceLanguage`). So a group holding one is replaced by its
    /// alternatives, each spliced into the enclosing sequence — `^(a|(?!b)\w)c` reads as
    /// `^ac | ^(?!b)\wc` — and a group repeated `min` to `max` times by `min` to `max` copies
    /// of it, one sequence per count. Both keep the matched language (ECMA-262 backtracks
    /// into every alternative and count), and each lookahead still sees everything after it.
    /// A one-character group headed by lookaheads and repeated without bound (`((?!a).)*`)
    /// stays whole, read by `lookaheadLoopLanguage`; the parser refuses other groups with
    /// lookaheads repeated without bound. Lookaheads' bodies are spelled out on their own
    /// when they are lowered.
    ///
    /// Throws `limitExceeded` past `maxSpelledOutSequences` sequences.
    func spelledOutSequences() throws(GrammarError) -> [[RegexAST.Node]] {
        if case .alternation(let alternatives) = self {
            var sequences: [[RegexAST.Node]] = []
            for alternative in alternatives {
                sequences += try alternative.spelledOutSequences()
            }
            return sequences
        }
        let parts = if case .concatenation(let nodes) = self { nodes } else { [self] }
        var sequences: [[RegexAST.Node]] = [[]]
        for part in parts {
            guard part.holdsLookaheadInGroup else {
                for index in sequences.indices { sequences[index].append(part) }
                continue
            }
            let choices: [[RegexAST.Node]]
            if case .quantification(let quantification) = part {
                choices = try quantification.spelledOutSequences()
            } else {
                choices = try part.spelledOutSequences()
            }
            if sequences.count > 1 && choices.count > 1 { try Self.checkSpelledOutCount(sequences.count * choices.count) }
            sequences = sequences.flatMap { sequence in choices.map { sequence + $0 } }
        }
        return sequences
    }

    /// Whether the node is a group (an alternation, a sequence or a repetition) with a
    /// lookahead inside, outside lookaheads' bodies, other than a repeated group headed by
    /// lookaheads.
    fileprivate var holdsLookaheadInGroup: Bool {
        switch self {
        case .empty, .atom, .customCharacterClass, .wordBoundary, .lookahead: return false
        case .concatenation, .alternation, .quantification:
            return !RegexParser.isRepeatedLookaheadGroup(self) && holdsLookahead
        }
    }

    /// Whether a lookahead stands in the node, outside lookaheads' bodies.
    private var holdsLookahead: Bool {
        var stack = [self]
        while let node = stack.popLast() {
            if case .lookahead = node { return true }
            stack += node.children
        }
        return false
    }

    private static func checkSpelledOutCount(_ count: Int) throws(GrammarError) {
        guard count <= maxSpelledOutSequences else {
            throw GrammarError(.limitExceeded, "spelling out the groups around lookaheads needs more than "
                               + "\(maxSpelledOutSequences) alternatives")
        }
    }
}

extension RegexAST.Quantification {
    /// The repeated group's sequences: for each count from `min` to `max`, that many copies
    /// of the group one after another, spelled out.
    fileprivate func spelledOutSequences() throws(GrammarError) -> [[RegexAST.Node]] {
        guard let max else {
            throw GrammarError(.unsupportedRegex, "lookahead assertions inside a group repeated without bound are not supported")
        }
        guard max - min < RegexAST.Node.maxSpelledOutSequences else {
            throw GrammarError(.limitExceeded, "spelling out the groups around lookaheads needs more than "
                               + "\(RegexAST.Node.maxSpelledOutSequences) alternatives")
        }
        var sequences: [[RegexAST.Node]] = []
        for count in min...max {
            let copies = RegexAST.Node.concatenation(Array(repeating: child, count: count))
            sequences += try copies.spelledOutSequences()
            guard sequences.count <= RegexAST.Node.maxSpelledOutSequences else {
                throw GrammarError(.limitExceeded, "spelling out the groups around lookaheads needs more than "
                                   + "\(RegexAST.Node.maxSpelledOutSequences) alternatives")
            }
        }
        return sequences
    }
}
