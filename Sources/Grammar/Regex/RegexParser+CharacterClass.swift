extension RegexParser {
    /// Reads a bracketed class; the current position is at its `[`.
    ///
    /// A `-` is literal at either end of the class; between two characters it forms a range,
    /// whose ends must be single characters in order.
    mutating func characterClass() throws(GrammarError) -> RegexAST.CustomCharacterClass {
        let start = position
        position += 1
        let isInverted = consume("^")
        var members: [RegexAST.CustomCharacterClass.Member] = []
        while true {
            if consume("]") {
                return RegexAST.CustomCharacterClass(isInverted: isInverted, members: members)
            }
            let lowStart = position
            let low = try classAtom(classStart: start)
            guard peek() == "-", peek(1) != "]", peek(1) != nil else {
                members.append(Self.member(low))
                continue
            }
            position += 1
            let high = try classAtom(classStart: start)
            guard case .codePoint(let lowValue) = low, case .codePoint(let highValue) = high else {
                throw error(.invalidRegex, "a class escape such as '\\d' cannot bound a range", at: lowStart)
            }
            guard lowValue <= highValue else {
                throw error(.invalidRegex, "range out of order in character class", at: lowStart)
            }
            members.append(.range(lowValue...highValue))
        }
    }

    /// Reads one character or class escape inside the class opened at `classStart`.
    private mutating func classAtom(classStart: Int) throws(GrammarError) -> CharacterEscape {
        guard let scalar = peek() else { throw error(.invalidRegex, "unterminated character class", at: classStart) }
        if scalar == "\\" { return try characterEscape(inClass: true) }
        position += 1
        return .codePoint(scalar.value)
    }

    private static func member(_ atom: CharacterEscape) -> RegexAST.CustomCharacterClass.Member {
        switch atom {
        case .codePoint(let value): return .range(value...value)
        case .characterClassEscape(let escape): return .characterClassEscape(escape)
        }
    }
}
