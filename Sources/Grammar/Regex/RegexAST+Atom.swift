extension RegexAST {
    /// A pattern element that is not built from other nodes.
    enum Atom: Hashable, Sendable {
        /// One code point, written literally or as an escape (`a`, `\n`, `\u00E9`, `\u{1F600}`).
        ///
        /// A lone surrogate (`\uD800` without its pair) is kept as written: it matches no
        /// Unicode scalar, so it matches nothing in UTF-8 text.
        case codePoint(UInt32)
        /// `.`: any code point except a line terminator (`\n`, `\r`, U+2028, U+2029).
        case anyExceptLineTerminator
        /// `\d`, `\w`, `\s`, `\p{…}` or a negation of one.
        case characterClassEscape(CharacterClassEscape)
        /// `^`: holds only at the start of the input (the pattern is never multiline).
        case startOfInput
        /// `$`: holds only at the end of the input.
        case endOfInput
    }
}
