extension RegexAST.Node {
    /// The language of a whole pattern, or of a lookahead's body, whose top-level
    /// alternatives may hold lookaheads; split by anchoring.
    ///
    /// A lookahead constrains everything from its position to the input's end: the rest of
    /// its alternative and, when `textMayFollow` (a search, or a lookahead's body), the text
    /// after the match. So each alternative is lowered from its end: at each lookahead, the
    /// part after it is extended to the input's end and kept only where it starts (or, for
    /// `(?!…)`, does not start) with a match of the body.
    func topLevelLanguage(textMayFollow: Bool, reading: Regex.Reading = .ecma262) throws(GrammarError) -> AnchoredLanguage {
        let alternatives = if case .alternation(let nodes) = self { nodes } else { [self] }
        var languages: [AnchoredLanguage] = []
        for alternative in alternatives {
            languages.append(try alternative.sequenceLanguage(textMayFollow: textMayFollow, reading: reading))
        }
        let language = AnchoredLanguage.alternation(languages)
        guard language.size <= Self.maxLoweredSize else {
            throw GrammarError(
                .limitExceeded, "the regex's language needs more than \(Self.maxLoweredSize) expression nodes")
        }
        return language
    }

    /// The language of one top-level alternative, read as a sequence of parts.
    private func sequenceLanguage(textMayFollow: Bool, reading: Regex.Reading) throws(GrammarError) -> AnchoredLanguage {
        let parts = if case .concatenation(let nodes) = self { nodes } else { [self] }
        var continuation = AnchoredLanguage(unanchored: .empty)
        // The lowered parts after the last lookahead seen, last part first.
        var pending: [AnchoredLanguage] = []
        for part in parts.reversed() {
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
