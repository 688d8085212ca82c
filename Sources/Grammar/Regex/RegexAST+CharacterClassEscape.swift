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

        /// The Unicode scalars the escape matches under `reading`; a negated escape takes the
        /// complement of the named set read the other way, so `matchedByBoth` stays a subset
        /// of each engine's set and `matchedByEither` a superset.
        func scalars(_ reading: Regex.Reading = .ecma262) -> ScalarSet {
            isInverted ? namedScalars(reading.flipped).inverted() : namedScalars(reading)
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
