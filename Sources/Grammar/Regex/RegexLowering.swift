extension RegexAST.Node {
    /// The most expression nodes (counted as a tree) a regex may lower to.
    ///
    /// Without anchors the lowered size grows linearly with the pattern, but anchors inside
    /// nested quantifiers can multiply it; past this budget lowering reports
    /// `limitExceeded` rather than build an expression no consumer could afford.
    static let maxLoweredSize = 200_000

    /// The language of the tree under `reading`, split by anchoring.
    func lowered(_ reading: Regex.Reading) throws(GrammarError) -> AnchoredLanguage {
        try fold { (node, children: [AnchoredLanguage]) throws(GrammarError) -> AnchoredLanguage in
            let language: AnchoredLanguage
            switch node {
            case .empty:
                language = AnchoredLanguage(unanchored: .empty)
            case .atom(let atom):
                language = atom.language(reading)
            case .customCharacterClass(let characterClass):
                language = AnchoredLanguage(unanchored: .scalars(characterClass.scalars(reading)))
            case .concatenation:
                language = .concatenation(children)
            case .alternation:
                language = .alternation(children)
            case .quantification(let quantification):
                // The operand is the quantification's only child.
                language = children[0].repeated(min: quantification.min, max: quantification.max)
            case .lookahead:
                // `topLevelLanguage` spells out the groups around lookaheads before lowering.
                throw GrammarError(.unsupportedRegex, "lookahead assertions inside a group repeated without bound are not supported")
            case .wordBoundary:
                // The parser keeps word boundaries only where `topLevelLanguage` handles them.
                throw GrammarError(.unsupportedRegex, "word boundary assertions inside a group are not supported")
            }
            guard language.size <= Self.maxLoweredSize else {
                throw GrammarError(
                    .limitExceeded, "the regex's language needs more than \(Self.maxLoweredSize) expression nodes")
            }
            return language
        }
    }
}

extension RegexAST.Atom {
    /// The atom's language under `reading`, split by anchoring.
    func language(_ reading: Regex.Reading) -> AnchoredLanguage {
        switch self {
        case .codePoint(let value): return AnchoredLanguage(unanchored: .codePoint(value))
        case .anyExceptLineTerminator:
            return AnchoredLanguage(unanchored: .scalars(reading == .matchedByEither ? Self.nonNewlines : Self.nonLineTerminators))
        case .characterClassEscape(let escape): return AnchoredLanguage(unanchored: .scalars(escape.scalars(reading)))
        case .startOfInput: return .startOfInput
        case .endOfInput: return .endOfInput
        }
    }

    /// What `.` matches: every scalar but `\n`, `\r`, U+2028 and U+2029.
    private static let nonLineTerminators = ScalarSet([0x0A...0x0A, 0x0D...0x0D, 0x2028...0x2029]).inverted()

    /// What `.` matches in Python: every scalar but `\n`.
    private static let nonNewlines = ScalarSet(scalar: 0x0A).inverted()
}
