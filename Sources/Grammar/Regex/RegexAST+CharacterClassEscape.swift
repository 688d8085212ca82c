extension RegexAST {
    /// A class written as an escape: `\d \w \s`, `\p{…}`, and their negations `\D \W \S \P{…}`.
    struct CharacterClassEscape: Hashable, Sendable {
        /// Which set the escape names.
        enum Kind: Hashable, Sendable {
            /// `\d`: the ASCII digits `[0-9]`.
            case digit
            /// `\w`: `[A-Za-z0-9_]`.
            case word
            /// `\s`: ECMA-262 WhiteSpace and LineTerminator.
            case whitespace
            /// `\p{…}`: a Unicode property.
            case property(UnicodeProperty)
        }

        /// The named set.
        var kind: Kind
        /// Whether the escape is the negated form (`\D`, `\W`, `\S`, `\P{…}`).
        var isInverted: Bool

        /// The Unicode scalars the escape matches.
        var scalars: ScalarSet {
            let named: ScalarSet
            switch kind {
            case .digit: named = Self.digits
            case .word: named = Self.wordCharacters
            case .whitespace: named = Self.whitespace
            case .property(let property): named = property.scalars
            }
            return isInverted ? named.inverted() : named
        }

        /// `[0-9]`.
        static let digits = ScalarSet(0x30...0x39)

        /// `[A-Za-z0-9_]`.
        static let wordCharacters = ScalarSet([0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A])

        /// ECMA-262 WhiteSpace (TAB, VT, FF, ZWNBSP and the Space_Separator category) and
        /// LineTerminator (LF, CR, LS, PS).
        static let whitespace = ScalarSet([
            0x09...0x0D, 0x20...0x20, 0xA0...0xA0, 0x1680...0x1680, 0x2000...0x200A,
            0x2028...0x2029, 0x202F...0x202F, 0x205F...0x205F, 0x3000...0x3000, 0xFEFF...0xFEFF,
        ])
    }
}
