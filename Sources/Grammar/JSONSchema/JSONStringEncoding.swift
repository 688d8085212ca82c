/// Turns languages over Unicode scalars into the languages of their JSON string encodings.
///
/// A scalar is written raw as UTF-8, except `"` and `\` (written `\"` and `\\`) and the
/// controls U+0000…U+001F (written `\b \f \n \r \t` where JSON has a short escape, else
/// `\u00XX` with hex digits of either case). `/` may be written raw or as `\/`. No other
/// `\uXXXX` escape is accepted: a model must write every other character raw.
///
/// Decoding is a function, so encoding commutes with intersection and difference:
/// `enc(A ∩ B) = enc(A) ∩ enc(B)` and `enc(A − B) = enc(A) − enc(B)`. The encoder therefore maps
/// leaves and keeps the structure.
enum JSONStringEncoding {
    /// The encodings of the strings of the scalar-level language `language`. Byte classes are
    /// read as ASCII (non-ASCII bytes are not scalars and match nothing); rule references are
    /// kept as they are.
    static func encode(_ language: Expression) -> Expression {
        encodedIfChanged(language) ?? language
    }

    /// `encode(language)`, or nil when that is `language` itself (names and patterns of
    /// plain ASCII are their own encodings: nothing is copied or rebuilt for them).
    private static func encodedIfChanged(_ language: Expression) -> Expression? {
        switch language {
        case .empty, .nothing, .ruleReference: return nil
        case .literal(let bytes):
            if !bytes.isEmpty, !bytes.contains(where: { $0 < 0x80 && needsEscape(UInt32($0)) }) {
                // Non-ASCII bytes of valid UTF-8 are never escaped.
                return bytes.allSatisfy({ $0 < 0x80 }) || String(validating: bytes, as: UTF8.self) != nil ? nil : .nothing
            }
            guard let text = String(validating: bytes, as: UTF8.self) else { return .nothing }
            return .concat(text.unicodeScalars.map { scalar in
                needsEscape(scalar.value) ? encode(ScalarSet(scalar: scalar.value)) : .text(String(scalar))
            })
        case .byteClass(let ranges):
            let ascii = ranges.compactMap { range -> ClosedRange<UInt32>? in
                range.lowerBound < 0x80 ? UInt32(range.lowerBound)...UInt32(min(range.upperBound, 0x7F)) : nil
            }
            return encode(ScalarSet(ascii))
        case .characterClass(let set): return set == .all ? anyScalar : encode(set)
        case .sequence(let parts): return encodedIfChanged(parts).map { .sequence($0) }
        case .choice(let parts): return encodedIfChanged(parts).map { .choice($0) }
        case .repetition(let inner, let min, let max): return encodedIfChanged(inner).map { .repetition($0, min: min, max: max) }
        case .intersection(let parts): return encodedIfChanged(parts).map { .intersection($0) }
        case .difference(let a, let b):
            let (left, right) = (encodedIfChanged(a), encodedIfChanged(b))
            return left == nil && right == nil ? nil : .difference(left ?? a, right ?? b)
        case .automaton(let automaton): return .automaton(encode(automaton))
        case .lazyAutomaton(let automaton):
            // Printable ASCII other than `"` and `\` (numerals) is its own encoding.
            let plain = automaton.definition.alphabet.allSatisfy { $0 >= 0x20 && $0 < 0x7F && !needsEscape(UInt32($0)) }
            return plain ? nil : .nothing
        }
    }

    /// `parts` encoded, or nil when each is its own encoding.
    private static func encodedIfChanged(_ parts: [Expression]) -> [Expression]? {
        parts.mappedIfChanged(encodedIfChanged)
    }

    /// The encodings of any one scalar (in every key and string language without a pattern).
    private static let anyScalar = encode(ScalarSet.all)

    /// The encodings of one scalar of `set`.
    static func encode(_ set: ScalarSet) -> Expression {
        if set.intersection(escapableScalars).isEmpty { return set.isEmpty ? .nothing : .characterClass(set) }
        let raw = set.subtracting(escapedScalars)
        var escapes: [Expression] = []
        if set.contains(0x22) { escapes.append(.text("\"")) }
        if set.contains(0x5C) { escapes.append(.text("\\")) }
        if set.contains(0x2F) { escapes.append(.text("/")) }
        let controls = set.intersection(controlScalars)
        for (scalar, letter) in shortEscapes where controls.contains(scalar) { escapes.append(.text(letter)) }
        let long = controls.subtracting(shortEscapedScalars)
        if long == controlScalars.subtracting(shortEscapedScalars) {
            // Every control without a short form: \u00 then 0[0-7bBeEfF] or 1[0-9a-fA-F].
            escapes.append(.concat([.text("u00"), .alternatives([
                .concat([.text("0"), .byteClass([0x30...0x37, 0x42...0x42, 0x45...0x46, 0x62...0x62, 0x65...0x66])]),
                .concat([.text("1"), hexDigit]),
            ])]))
        } else {
            for range in long.ranges {
                for scalar in range {
                    escapes.append(.concat([.text("u00" + String(scalar >> 4)), hexDigitClass(UInt8(scalar & 0xF))]))
                }
            }
        }
        var forms: [Expression] = raw.isEmpty ? [] : [.characterClass(raw)]
        if !escapes.isEmpty { forms.append(.concat([.text("\\"), .alternatives(escapes)])) }
        return .alternatives(forms)
    }

    /// The encodings of `text` as a complete JSON string, quotes included.
    static func quoted(_ text: String) -> Expression {
        // A text without a byte to escape (names, most often) is its own encoding: one literal,
        // what the concatenation below makes of it, without building the three parts.
        let utf8 = text.utf8
        if !utf8.contains(where: { $0 < 0x80 && needsEscape(UInt32($0)) }) {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(utf8.count + 2)
            bytes.append(0x22)
            bytes.append(contentsOf: utf8)
            bytes.append(0x22)
            return .literal(bytes)
        }
        return .concat([.text("\""), encode(.text(text)), .text("\"")])
    }

    /// The encodings of the strings of a scalar-level language, quotes included.
    static func quoted(language: Expression) -> Expression {
        .concat([.text("\""), encode(language), .text("\"")])
    }

    /// One hex digit of either case.
    static let hexDigit: Expression = .byteClass([0x30...0x39, 0x41...0x46, 0x61...0x66])

    /// The hex digit of `value` (0…15) in either case.
    private static func hexDigitClass(_ value: UInt8) -> Expression {
        if value < 10 { return .literal([0x30 + value]) }
        return .byteClass([(0x41 + value - 10)...(0x41 + value - 10), (0x61 + value - 10)...(0x61 + value - 10)])
    }

    /// Scalars that have at least one escaped form and must (or, for `/`, may) be escaped.
    private static func needsEscape(_ scalar: UInt32) -> Bool { scalar < 0x20 || scalar == 0x22 || scalar == 0x5C || scalar == 0x2F }

    /// Scalars that may not appear raw.
    private static let escapedScalars = ScalarSet([0...0x1F, 0x22...0x22, 0x5C...0x5C])

    /// Scalars that have an escaped form (`needsEscape`).
    private static let escapableScalars = ScalarSet([0...0x1F, 0x22...0x22, 0x2F...0x2F, 0x5C...0x5C])

    /// The controls.
    private static let controlScalars = ScalarSet(0...0x1F)

    /// The controls with a short escape.
    private static let shortEscapedScalars = ScalarSet(shortEscapes.map { $0.scalar...$0.scalar })

    /// Controls with a short escape, and the letter after the backslash.
    private static let shortEscapes: [(scalar: UInt32, letter: String)] = [
        (0x08, "b"), (0x09, "t"), (0x0A, "n"), (0x0C, "f"), (0x0D, "r"),
    ]
}
