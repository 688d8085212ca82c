extension Regex {
    /// Which regex engine's meaning a pattern's language follows.
    ///
    /// JSON Schema specifies ECMA-262, but many validators run patterns on another engine,
    /// most often Python's `re` (`re.search`). The two agree on the syntax this compiler
    /// accepts except in a few places: `\d`, `\w` and `\s` (and their negations) are Unicode-
    /// aware in Python (`\d` is every decimal digit, `\w` every letter and number, `\s` also
    /// U+001C–U+001F and U+0085 but not U+FEFF), `.` only excludes `\n` in Python, and
    /// Python's `$` also holds just before a final `\n`. A *portable* output must satisfy
    /// both readings, so a string a pattern must match is taken from `matchedByBoth`, and a
    /// string a pattern must *not* match (a key outside every `patternProperties`, a
    /// negated `pattern`) from the complement of `matchedByEither`.
    public enum Reading: Sendable, Hashable {
        /// ECMA-262, as JSON Schema specifies.
        case ecma262
        /// A subset of the strings both ECMA-262 and Python's `re` find a match in: classes
        /// keep the scalars both engines put in them.
        case matchedByBoth
        /// A superset of the strings ECMA-262 or Python's `re` finds a match in: classes take
        /// the scalars either engine puts in them, `.` matches all but `\n`, and every string
        /// ending in `\n` is included (Python's `$` before a final newline).
        case matchedByEither

        /// The reading for a part whose matches are excluded (inside `[^…]` or `(?!…)`).
        var flipped: Reading {
            switch self {
            case .ecma262: return .ecma262
            case .matchedByBoth: return .matchedByEither
            case .matchedByEither: return .matchedByBoth
            }
        }
    }
}

extension RegexAST.CharacterClassEscape {
    /// `\d` in Python: the decimal digits (General_Category Nd), ASCII ones included.
    static let unicodeDigits = RegexAST.UnicodeProperty.generalCategories([.decimalNumber]).scalars

    /// A superset of `\w` in Python (letters, numbers as `str.isalnum` sees them, and `_`):
    /// every letter and number, ASCII word characters included.
    static let unicodeWordCharacters = RegexAST.UnicodeProperty.generalCategories([
        .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
        .decimalNumber, .letterNumber, .otherNumber,
    ]).scalars.union(wordCharacters)

    /// `\s` in Python (`str.isspace`).
    static let pythonWhitespace = ScalarSet([
        0x09...0x0D, 0x1C...0x20, 0x85...0x85, 0xA0...0xA0, 0x1680...0x1680, 0x2000...0x200A,
        0x2028...0x2029, 0x202F...0x202F, 0x205F...0x205F, 0x3000...0x3000,
    ])

    /// The scalars the named set (before any negation) holds under `reading`: ECMA-262's,
    /// those in both engines' sets, or those in either.
    func namedScalars(_ reading: Regex.Reading) -> ScalarSet {
        switch (kind, reading) {
        case (.digit, .ecma262), (.digit, .matchedByBoth): return Self.digits
        case (.digit, .matchedByEither): return Self.unicodeDigits
        case (.word, .ecma262), (.word, .matchedByBoth): return Self.wordCharacters
        case (.word, .matchedByEither): return Self.unicodeWordCharacters
        case (.whitespace, .ecma262): return Self.whitespace
        case (.whitespace, .matchedByBoth): return Self.whitespace.intersection(Self.pythonWhitespace)
        case (.whitespace, .matchedByEither): return Self.whitespace.union(Self.pythonWhitespace)
        case (.property(let property), _): return property.scalars
        }
    }
}
