extension RegexParser {
    /// What a character escape denotes, inside or outside a bracketed class.
    enum CharacterEscape {
        /// One code point (possibly a lone surrogate).
        case codePoint(UInt32)
        /// A set of scalars: `\d \w \s \p{…}` or a negation.
        case characterClassEscape(RegexAST.CharacterClassEscape)
    }

    /// Reads an escape outside a class: an assertion, a backreference or a character escape.
    /// The current position is at the backslash; `atTopLevel` tells whether no group encloses
    /// it (the only place a word boundary is supported).
    mutating func atomEscape(atTopLevel: Bool) throws(GrammarError) -> (node: RegexAST.Node, isQuantifiable: Bool) {
        let start = position
        switch peek(1) {
        case let letter? where letter == "b" || letter == "B":
            position += 2
            guard atTopLevel else {
                unsupported("word boundary assertions are supported only outside groups", at: start)
                return (.empty, false)
            }
            return (.wordBoundary(negated: letter == "B"), false)
        case let digit? where ("1"..."9").contains(digit):
            position += 1
            // `decimal` reads at least the digit just matched.
            let number = decimal() ?? 0
            backreferences.append(Backreference(target: .number(number), start: start))
            return (.empty, true)
        case "k":
            position += 2
            guard consume("<") else {
                throw error(.invalidRegex, "'\\k' must be followed by '<name>'", at: start)
            }
            backreferences.append(Backreference(target: .name(try groupName()), start: start))
            return (.empty, true)
        default:
            switch try characterEscape(inClass: false) {
            case .codePoint(let value): return (.atom(.codePoint(value)), true)
            case .characterClassEscape(let escape): return (.atom(.characterClassEscape(escape)), true)
            }
        }
    }

    /// Reads a character escape or class escape; the current position is at the backslash.
    ///
    /// Inside a class `\b` is a backspace; elsewhere the caller handles it as an assertion.
    mutating func characterEscape(inClass: Bool) throws(GrammarError) -> CharacterEscape {
        let start = position
        position += 1
        guard let scalar = peek() else { throw error(.invalidRegex, "'\\' at end of pattern", at: start) }
        position += 1
        switch scalar {
        case "d", "D": return .characterClassEscape(.init(kind: .digit, isInverted: scalar == "D"))
        case "w", "W": return .characterClassEscape(.init(kind: .word, isInverted: scalar == "W"))
        case "s", "S": return .characterClassEscape(.init(kind: .whitespace, isInverted: scalar == "S"))
        case "p", "P": return .characterClassEscape(try propertyEscape(isInverted: scalar == "P", start: start))
        case "t": return .codePoint(0x09)
        case "n": return .codePoint(0x0A)
        case "v": return .codePoint(0x0B)
        case "f": return .codePoint(0x0C)
        case "r": return .codePoint(0x0D)
        case "b" where inClass: return .codePoint(0x08)
        case "0":
            guard let next = peek(), Self.digitValue(next, radix: 10) != nil else { return .codePoint(0) }
            throw error(.invalidRegex, "octal escapes are not allowed", at: start)
        case "c":
            guard let letter = peek(), Self.isASCIILetter(letter) else {
                throw error(.invalidRegex, "'\\c' must be followed by an ASCII letter", at: start)
            }
            position += 1
            return .codePoint(letter.value % 32)
        case "x":
            guard let value = hexDigits(count: 2) else {
                throw error(.invalidRegex, "'\\x' must be followed by two hexadecimal digits", at: start)
            }
            return .codePoint(value)
        case "u":
            return .codePoint(try unicodeEscape(start: start))
        default:
            // Identity escapes: `\` before printable ASCII that is neither a letter nor a digit.
            guard (0x20..<0x7F).contains(scalar.value), !Self.isASCIILetter(scalar),
                  Self.digitValue(scalar, radix: 10) == nil
            else {
                throw error(.invalidRegex, "'\\\(scalar)' is not a valid escape", at: start)
            }
            return .codePoint(scalar.value)
        }
    }

    /// Reads the rest of a `\uXXXX` or `\u{X…}` escape, after the `u`; a `\uXXXX` lead
    /// surrogate directly followed by a `\uXXXX` trail surrogate combine into one code point.
    mutating func unicodeEscape(start: Int) throws(GrammarError) -> UInt32 {
        if consume("{") {
            var value: UInt32?
            while let scalar = peek(), let digit = Self.digitValue(scalar, radix: 16) {
                value = Swift.min((value ?? 0) * 16 + digit, ScalarSet.maxScalar + 1)
                position += 1
            }
            guard let value, consume("}") else {
                throw error(.invalidRegex, "'\\u{' must be followed by hexadecimal digits and '}'", at: start)
            }
            guard value <= ScalarSet.maxScalar else {
                throw error(.invalidRegex, "code point above U+10FFFF", at: start)
            }
            return value
        }
        guard let value = hexDigits(count: 4) else {
            throw error(.invalidRegex, "'\\u' must be followed by four hexadecimal digits or '{…}'", at: start)
        }
        guard (0xD800...0xDBFF).contains(value), peek() == "\\", peek(1) == "u" else { return value }
        let trailStart = position
        position += 2
        guard let trail = hexDigits(count: 4), (0xDC00...0xDFFF).contains(trail) else {
            position = trailStart
            return value
        }
        return 0x10000 + ((value - 0xD800) << 10) + (trail - 0xDC00)
    }

    /// Reads exactly `count` hexadecimal digits, or nothing when fewer follow.
    private mutating func hexDigits(count: Int) -> UInt32? {
        var value: UInt32 = 0
        for ahead in 0..<count {
            guard let scalar = peek(ahead), let digit = Self.digitValue(scalar, radix: 16) else { return nil }
            value = value * 16 + digit
        }
        position += count
        return value
    }

    /// Reads the `{name}` or `{name=value}` of a `\p` or `\P` escape, after the letter.
    private mutating func propertyEscape(
        isInverted: Bool, start: Int
    ) throws(GrammarError) -> RegexAST.CharacterClassEscape {
        guard consume("{") else {
            throw error(.invalidRegex, "'\\p' must be followed by '{property}'", at: start)
        }
        let name = propertyWord()
        let value = consume("=") ? propertyWord() : nil
        guard !name.isEmpty, value?.isEmpty != true, consume("}") else {
            throw error(.invalidRegex, "malformed Unicode property escape", at: start)
        }
        switch RegexAST.UnicodeProperty.lookUp(name: name, value: value) {
        case .property(let property):
            return .init(kind: .property(property), isInverted: isInverted)
        case .unsupported:
            unsupported("Unicode property '\(value ?? name)' is not supported", at: start)
            // Stands in for the unsupported property; the pattern is rejected after parsing.
            return .init(kind: .property(.generalCategories([])), isInverted: isInverted)
        case .unknown:
            throw error(.invalidRegex, "unknown Unicode property", at: start)
        }
    }

    /// Reads the letters, digits and underscores of a property name or value.
    private mutating func propertyWord() -> String {
        var word = ""
        while let scalar = peek(),
              scalar == "_" || Self.isASCIILetter(scalar) || Self.digitValue(scalar, radix: 10) != nil {
            word.unicodeScalars.append(scalar)
            position += 1
        }
        return word
    }

    /// Whether `scalar` is `A`–`Z` or `a`–`z`.
    static func isASCIILetter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }
}
