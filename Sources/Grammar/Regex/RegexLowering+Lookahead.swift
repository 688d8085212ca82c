extension RegexAST.Node {
    /// The language of a whole pattern, or of a lookahead's body, whose top-level
    /// alternatives may hold lookaheads; split by anchoring.
    ///
    /// A lookahead constrains everything from its position to the input's end: the rest of
    /// its alternative and, when `textMayFollow` (a search, or a lookahead's body), the text
    /// after the match. So each alternative is lowered from its end: at each lookahead, the
    /// part after it is extended to the input's end and kept only where it starts (or, for
    /// `(?!…)`, does not start) with a match of the body. A word boundary splits its
    /// alternative in two, each side kept where it ends (starts) with a word character or
    /// not; a repeated group headed by lookaheads is read as its characters with no suffix
    /// that fails them.
    ///
    /// Groups holding lookaheads are first spelled out (`spelledOutSequences`), so that every
    /// lookahead stands in a top-level alternative and sees the rest of it.
    func topLevelLanguage(textMayFollow: Bool, reading: Regex.Reading = .ecma262) throws(GrammarError) -> AnchoredLanguage {
        var languages: [AnchoredLanguage] = []
        for parts in try spelledOutSequences() {
            languages.append(try Self.sequenceLanguage(parts, textMayFollow: textMayFollow, reading: reading))
        }
        let language = AnchoredLanguage.alternation(languages)
        guard language.size <= Self.maxLoweredSize else {
            throw GrammarError(
                .limitExceeded, "the regex's language needs more than \(Self.maxLoweredSize) expression nodes")
        }
        return language
    }

    /// The language of one top-level alternative, read as a sequence of parts.
    ///
    /// Text may precede the alternative exactly when it may follow it (a search, or a
    /// lookahead's body, which holds no word boundary).
    private static func sequenceLanguage(
        _ parts: [RegexAST.Node], textMayFollow: Bool, reading: Regex.Reading
    ) throws(GrammarError) -> AnchoredLanguage {
        if parts.contains(where: \.isWordBoundary) {
            return try Self.wordBoundaryLanguage(parts, textAround: textMayFollow, reading: reading)
        }
        var continuation = AnchoredLanguage(unanchored: .empty)
        // The lowered parts after the last lookahead seen, last part first.
        var pending: [AnchoredLanguage] = []
        for (index, part) in parts.enumerated().reversed() {
            if case .quantification(let quantification) = part, RegexParser.isRepeatedLookaheadGroup(part) {
                // Only `$` may follow, so the lookaheads see the rest of the input.
                let rest = parts[(index + 1)...]
                guard rest.allSatisfy({ $0 == .atom(.endOfInput) }), !rest.isEmpty || !textMayFollow else {
                    throw GrammarError(.unsupportedRegex,
                                       "a repeated group with lookaheads inside is supported only at the end of the pattern (before '$')")
                }
                pending.append(AnchoredLanguage(unanchored: try quantification.lookaheadLoopLanguage(reading)))
                continue
            }
            guard case .lookahead(let lookahead) = part else {
                pending.append(try part.lowered(reading))
                continue
            }
            continuation = .concatenation(pending.reversed() + [continuation])
            pending = []
            // A negative lookahead excludes its body's matches, so reads it the other way.
            let body = try lookahead.child.topLevelLanguage(
                textMayFollow: true, reading: lookahead.negated ? reading.flipped : reading)
            continuation = try continuation.asserting(body, negated: lookahead.negated, textMayFollow: textMayFollow)
        }
        return .concatenation(pending.reversed() + [continuation])
    }
}

extension AnchoredLanguage {
    /// This fragment with a lookahead before it: only the matches whose text up to the
    /// input's end starts (or, when `negated`, does not start) with a match of `body`.
    ///
    /// Each variant is first extended to the input's end: one that must end there already
    /// does; another, when `textMayFollow`, is followed by any text and then ends there too.
    /// `body` is the lookahead's body lowered with text following it, without `^`: the texts
    /// starting with one of its matches are its free variant followed by any text, and its
    /// end-anchored variant.
    func asserting(
        _ body: AnchoredLanguage, negated: Bool, textMayFollow: Bool
    ) throws(GrammarError) -> AnchoredLanguage {
        guard body[.start].isNothing, body[[.start, .end]].isNothing else {
            throw GrammarError(.unsupportedRegex, "'^' inside a lookahead is not supported")
        }
        let prefixes = LanguageExpression.union([.concatenation([body[[]], .anyText]), body[.end]])
        var result = AnchoredLanguage.nothing
        for anchoring in Anchoring.all where !self[anchoring].isNothing {
            var toEnd = self[anchoring], reaching = anchoring
            if textMayFollow && !anchoring.contains(.end) {
                toEnd = .concatenation([toEnd, .anyText])
                reaching.insert(.end)
            }
            let kept = negated ? toEnd.subtracting(prefixes) : toEnd.intersecting(prefixes)
            result[reaching] = .union([result[reaching], kept])
        }
        return result
    }
}

extension RegexAST.Node {
    /// Whether the node is `\b` or `\B`.
    fileprivate var isWordBoundary: Bool {
        if case .wordBoundary = self { return true }
        return false
    }

    /// An alternative holding word boundaries, split at the last one: `before` `\b` `after`
    /// (`\B` when negated) is `before` ending in a word character and `after` starting with
    /// none (or ending the input), or the other way round (for `\B`: both sides alike).
    /// `textAround` tells whether text may precede and follow the match (a search).
    ///
    /// `before` holds no lookahead (it would see past the boundary), and between two
    /// boundaries the pattern matches no empty string, so the character before the last one
    /// is `before`'s own and its language, word boundaries resolved, can be split by it.
    ///
    /// Under the portable readings a word character is one `\w` matches under the reading, a
    /// non-word one one `\W` matches, so the sides stay subsets (or supersets) of what each
    /// engine reads as word characters.
    fileprivate static func wordBoundaryLanguage(
        _ parts: [RegexAST.Node], textAround: Bool, reading: Regex.Reading
    ) throws(GrammarError) -> AnchoredLanguage {
        guard let boundary = parts.lastIndex(where: \.isWordBoundary), case .wordBoundary(let negated) = parts[boundary] else {
            return .nothing
        }
        let before = Array(parts[..<boundary]), after = Array(parts[(boundary + 1)...])
        if before.contains(where: { if case .lookahead = $0 { true } else { false } }) {
            throw GrammarError(.unsupportedRegex, "a lookahead before a word boundary is not supported")
        }
        let left: AnchoredLanguage
        if let previous = before.lastIndex(where: \.isWordBoundary) {
            var between: [AnchoredLanguage] = []
            for part in before[(previous + 1)...] { between.append(try part.lowered(reading)) }
            let middle = AnchoredLanguage.concatenation(between)
            guard !AnchoredLanguage.Anchoring.all.contains(where: { middle[$0].matchesEmpty }) else {
                throw GrammarError(.unsupportedRegex, "word boundaries with a possibly empty match between them are not supported")
            }
            left = try wordBoundaryLanguage(before, textAround: textAround, reading: reading)
        } else {
            var lowered: [AnchoredLanguage] = []
            for part in before { lowered.append(try part.lowered(reading)) }
            left = .concatenation(lowered)
        }
        let right = try sequenceLanguage(after, textMayFollow: textAround, reading: reading)
        let word = RegexAST.CharacterClassEscape(kind: .word, isInverted: false).scalars(reading)
        let nonWord = RegexAST.CharacterClassEscape(kind: .word, isInverted: true).scalars(reading)
        // (left's last character, right's first, whether each may be missing). Python's `\B`
        // fails on the empty input, so a reading both engines agree on needs one of them.
        var sides: [(ScalarSet?, ScalarSet?, Bool, Bool)] = negated ? [(word, word, true, true)] : [(word, nil, true, true), (nil, word, true, true)]
        if negated {
            sides += reading == .matchedByBoth ? [(nil, nil, false, true), (nil, nil, true, false)] : [(nil, nil, true, true)]
        }
        return .alternation(sides.map { leftSide, rightSide, leftMayLack, rightMayLack in
            .concatenation([left.bordering(at: .end, with: leftSide, nonWord: nonWord, textBeyond: textAround, mayLack: leftMayLack),
                            right.bordering(at: .start, with: rightSide, nonWord: nonWord, textBeyond: textAround, mayLack: rightMayLack)])
        })
    }
}

extension RegexAST.Quantification {
    /// The language of a repeated group of lookaheads and one character, `((?!B)(?=C)x)*`,
    /// followed by the input's end: each lookahead holds at each repetition's start, so the
    /// strings of `x{min,max}` none of whose nonempty suffixes fails one — starts with a
    /// match of a negative lookahead's body, or does not start with one of a positive's.
    fileprivate func lookaheadLoopLanguage(_ reading: Regex.Reading) throws(GrammarError) -> LanguageExpression {
        guard case .concatenation(let parts) = child, let character = parts.last else { return .nothing }
        let nonempty = LanguageExpression.concatenation([.scalars(.all), .anyText])
        var failing: [LanguageExpression] = []
        for part in parts.dropLast() {
            guard case .lookahead(let lookahead) = part else { continue }
            // A negative lookahead excludes its body's matches, so reads it the other way (as
            // a positive one does, whose failures are the complement).
            let body = try lookahead.child.topLevelLanguage(
                textMayFollow: true, reading: lookahead.negated ? reading.flipped : reading)
            let prefixes = LanguageExpression.union([.concatenation([body[[]], .anyText]), body[.end]])
            failing.append(lookahead.negated ? nonempty.intersecting(prefixes) : nonempty.subtracting(prefixes))
        }
        let characters = try character.lowered(reading)[[]].repeated(min: min, max: max)
        return characters.subtracting(.concatenation([.anyText, .union(failing)]))
    }
}

extension AnchoredLanguage {
    /// The matches whose character at `side` (`.end`: the last, `.start`: the first), counting
    /// the text beyond the match on that side when `textBeyond`, is of `word` (nil: of
    /// `nonWord`, or, when `mayLack`, there is none).
    fileprivate func bordering(at side: Anchoring, with word: ScalarSet?, nonWord: ScalarSet, textBeyond: Bool,
                               mayLack: Bool) -> AnchoredLanguage {
        let character = LanguageExpression.scalars(word ?? nonWord)
        let edge = LanguageExpression.concatenation(side == .end ? [.anyText, character] : [character, .anyText])
        // The text beyond the last character lies before the match, beyond the first after it.
        let beyond: Anchoring = side == .end ? .start : .end
        var result = AnchoredLanguage.nothing
        for anchoring in Anchoring.all where !self[anchoring].isNothing {
            let language = self[anchoring]
            var kept = [language.intersecting(edge)]
            if textBeyond && !anchoring.contains(beyond) {
                // An empty match: the character is the text's, made part of the match.
                if language.matchesEmpty {
                    let withText = word == nil && mayLack ? LanguageExpression.union([edge, .empty]) : edge
                    let anchored = anchoring.union(beyond)
                    result[anchored] = .union([result[anchored], withText])
                }
            } else if word == nil && mayLack {
                kept.append(language.emptyPart)
            }
            result[anchoring] = .union([result[anchoring]] + kept)
        }
        return result
    }
}
