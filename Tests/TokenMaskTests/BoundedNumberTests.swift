import Testing
@testable import Grammar
@testable import TokenMask

/// Bounded `number` and `integer` values, read as one deterministic automaton
/// (`NumberLanguage.deterministic`, `BoundedNumerals`): every numeral up to a few characters over the numeral
/// alphabet is accepted exactly when its value (compared exactly, as `JSONNumber`) is within
/// the bounds and its spelling is one the language documents; masks equal the masks found
/// token by token.
@Suite struct BoundedNumberTests {
    /// Bounds as schemas write them.
    struct Bounds: CustomStringConvertible, Sendable {
        var keywords: String
        var lower: NumericBound?
        var upper: NumericBound?

        init(minimum: String? = nil, exclusiveMinimum: String? = nil, maximum: String? = nil, exclusiveMaximum: String? = nil) {
            var keywords: [String] = []
            if let minimum { lower = NumericBound(value: JSONNumber(minimum)!, isExclusive: false); keywords.append("\"minimum\": \(minimum)") }
            if let exclusiveMinimum {
                lower = NumericBound(value: JSONNumber(exclusiveMinimum)!, isExclusive: true)
                keywords.append("\"exclusiveMinimum\": \(exclusiveMinimum)")
            }
            if let maximum { upper = NumericBound(value: JSONNumber(maximum)!, isExclusive: false); keywords.append("\"maximum\": \(maximum)") }
            if let exclusiveMaximum {
                upper = NumericBound(value: JSONNumber(exclusiveMaximum)!, isExclusive: true)
                keywords.append("\"exclusiveMaximum\": \(exclusiveMaximum)")
            }
            self.keywords = keywords.joined(separator: ", ")
        }

        var description: String { keywords }

        /// Whether the value is within both bounds.
        func admits(_ n: JSONNumber) -> Bool {
            if let lower, lower.isExclusive ? !(lower.value < n) : n < lower.value { return false }
            if let upper, upper.isExclusive ? !(n < upper.value) : upper.value < n { return false }
            return true
        }

        /// Whether every bound is 0 (exponent forms are then not limited).
        var signOnly: Bool { (lower?.value.isZero ?? true) && (upper?.value.isZero ?? true) }
    }

    static let cases: [Bounds] = [
        Bounds(minimum: "0", maximum: "2147483647"),
        Bounds(minimum: "0", exclusiveMaximum: "100"),
        Bounds(minimum: "0", maximum: "5"),
        Bounds(minimum: "1.5", maximum: "20"),
        Bounds(exclusiveMinimum: "-3", exclusiveMaximum: "0.25"),
        Bounds(minimum: "-0.5", maximum: "0.5"),
        Bounds(exclusiveMinimum: "9.5"),
        Bounds(maximum: "-12"),
        Bounds(minimum: "0"),
        Bounds(exclusiveMinimum: "0"),
        Bounds(maximum: "0"),
        Bounds(minimum: "120", maximum: "1.2e2"),
    ]

    /// The numeral alphabet, one token per character (and EOS).
    static let characters = vocabulary("0123456789.-+eE".map { String($0) })

    /// Visits every string over `alphabet` (indices into `characters`) of 1…`length`
    /// characters, with whether the matcher, fed it character by character, can end there
    /// (false once a character is refused).
    static func visit(_ matcher: Matcher, _ prefix: String, alphabet: [Int], length: Int, _ body: (String, Bool) -> Void) {
        guard length > 0 else { return }
        for token in alphabet {
            let text = prefix + String(decoding: characters.vocabulary.bytes(of: token), as: UTF8.self)
            var next = matcher
            if (try? next.accept(token: token)) != nil {
                body(text, next.canTerminate)
                visit(next, text, alphabet: alphabet, length: length - 1, body)
            } else {
                // Refused: no extension is accepted either.
                var refused: [String] = [text]
                var level = [text]
                for _ in 1..<length {
                    level = level.flatMap { p in alphabet.map { p + String(decoding: characters.vocabulary.bytes(of: $0), as: UTF8.self) } }
                    refused += level
                }
                for text in refused { body(text, false) }
            }
        }
    }

    /// Every string up to 4 characters over the whole alphabet, and up to 5 over a narrower
    /// one, against `expected`.
    static func expectNumerals(_ schema: String, _ expected: @escaping (String) -> Bool, _ label: String) throws {
        let grammar = try CompiledGrammar(Grammar(jsonSchema: JSONValue(parsing: schema), options: .init(whitespace: .compact)),
                                          vocabulary: characters)
        var accepted = 0
        let check = { (text: String, accepts: Bool) in
            #expect(accepts == expected(text), "\(label): \(text)")
            if accepts { accepted += 1 }
        }
        visit(grammar.makeMatcher(), "", alphabet: Array(0..<15), length: 4, check)
        let narrow = "0129.-e+".map { c in Array("0123456789.-+eE").firstIndex(of: c)! }
        visit(grammar.makeMatcher(), "", alphabet: narrow, length: 5) { text, accepts in if text.count == 5 { check(text, accepts) } }
        #expect(accepted > 0, "\(label)")
    }

    /// The written exponent of a numeral (nil without one), and whether it has a minus.
    static func writtenExponent(_ text: String) -> (value: Int, negative: Bool)? {
        guard let mark = text.firstIndex(where: { $0 == "e" || $0 == "E" }) else { return nil }
        let tail = text[text.index(after: mark)...]
        return (Int(tail.drop { $0 == "+" || $0 == "-" })!, tail.first == "-")
    }

    /// The documented language of `number` under bounds: JSON number syntax, a value within the
    /// bounds, and an exponent within ±`exponentLimit` unless every bound is 0.
    static func numberAccepts(_ text: String, _ bounds: Bounds) -> Bool {
        guard let n = JSONNumber(text), bounds.admits(n) else { return false }
        guard let (e, _) = writtenExponent(text), !bounds.signOnly else { return true }
        return e <= NumberLanguage.exponentLimit
    }

    /// The documented language of `integer` (draft-06 on) under bounds not all 0: an integral
    /// value within the bounds; a fraction or exponent only with an exponent from 0 up to the
    /// larger bound's digit count (at most `exponentLimit`), at most 15 integral digits and at
    /// most min(exponent, 9) significant fraction digits.
    static func integerAccepts(_ text: String, _ bounds: Bounds) -> Bool {
        guard let n = JSONNumber(text), n.isInteger, bounds.admits(n) else { return false }
        let mantissa = text.prefix { $0 != "e" && $0 != "E" }.drop { $0 == "-" }
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        let written = writtenExponent(text)
        guard parts.count == 2 || written != nil else { return true }
        if let written, written.negative && written.value != 0 { return false }
        let exponent = written?.value ?? 0
        let digits = [bounds.lower, bounds.upper].compactMap { $0.map { max($0.value.integerDigits.count, 1) } }.max()!
        let significantFraction = parts.count == 2 ? parts[1].reversed().drop { $0 == "0" }.count : 0
        return exponent <= min(NumberLanguage.exponentLimit, digits) && parts[0].count <= 15
            && significantFraction <= min(exponent, 9)
    }

    @Test(arguments: cases) func numbersAsDocumented(_ bounds: Bounds) throws {
        try Self.expectNumerals(#"{"type": "number", \#(bounds.keywords)}"#, { Self.numberAccepts($0, bounds) }, "number \(bounds)")
    }

    @Test(arguments: cases.filter { !$0.signOnly }) func integersAsDocumented(_ bounds: Bounds) throws {
        try Self.expectNumerals(#"{"type": "integer", \#(bounds.keywords)}"#, { Self.integerAccepts($0, bounds) }, "integer \(bounds)")
    }

    /// Non-integers and excluded values under bounds: values as `JSONNumber` says, plain
    /// numerals only for non-integers, exponents within the limit beside exclusions.
    @Test func nonIntegersAndExclusions() throws {
        let bounds = Bounds(minimum: "0", maximum: "5")
        try Self.expectNumerals(#"{"type": "number", "minimum": 0, "maximum": 5, "not": {"type": "integer"}}"#, { text in
            guard let n = JSONNumber(text) else { return false }
            return !n.isInteger && bounds.admits(n) && Self.writtenExponent(text) == nil
        }, "non-integer")
        try Self.expectNumerals(#"{"type": "number", "minimum": 0, "maximum": 5, "not": {"enum": [1, 2.5]}}"#, { text in
            guard let n = JSONNumber(text) else { return false }
            return Self.numberAccepts(text, bounds) && n != JSONNumber(1) && n != JSONNumber("2.5")!
        }, "exclusions")
    }

    /// A value's characters are read by a few stacks (each step's new configurations: at most
    /// 6 here; as the expression's alternatives, one per exponent and digit range, 404, 190
    /// and 61 for "1", "2" and ".", and 5,324 in one configuration of `sp_138`).
    @Test func fewStacksPerValue() throws {
        let v = vocabulary(["[", "]", ",", "1", "2", "e", "."])
        let schema = #"{"type": "array", "items": {"type": "number", "minimum": 0, "maximum": 2147483647}}"#
        let grammar = try CompiledGrammar(Grammar(jsonSchema: JSONValue(parsing: schema), options: .init(whitespace: .compact)),
                                          vocabulary: v)
        var matcher = grammar.makeMatcher()
        try matcher.accept(token: 0)
        _ = matcher.mask()
        for token in [3, 4, 6, 3, 5] {  // "12.1e"
            let before = grammar.statistics.kernelStacks
            try matcher.accept(token: token)
            _ = matcher.mask()
            #expect(grammar.statistics.kernelStacks - before <= 8, "\(grammar.statistics.kernelStacks - before) stacks")
        }
    }

    /// Masks over numeral tokens of several characters equal the masks found token by token,
    /// at every step of values of each case.
    @Test func masksMatchBruteForce() throws {
        let v = vocabulary(["0", "1", "2", "5", "9", "00", "10", "12", "99", "100", "147", "2147", "483", "647", ".", ".5", "5.",
                            "e", "E", "e-", "e+", "1e", "e2", "-", "-0", "-1", "+", "0.", "2e1", "}", ",", "{\"a\":", "[", "]"])
        let documents = ["{\"a\":[0,5,100,2147483647,1.5e1,2e-1,0.25,20]}", "{\"a\":[-0,-1,99.5,147.0e1,12E+0,1e2]}"]
        for bounds in Self.cases {
            for type in ["number", "integer"] {
                let schema = #"{"type": "object", "properties": {"a": {"type": "array", "items": {"type": "\#(type)", \#(bounds.keywords)}}}}"#
                let grammar = try CompiledGrammar(Grammar(jsonSchema: JSONValue(parsing: schema), options: .init(whitespace: .compact)),
                                                  vocabulary: v)
                for document in documents {
                    var matcher = grammar.makeMatcher()
                    var rest = Substring(document)
                    while !rest.isEmpty {
                        #expect(matcher.mask().allowedTokens == MaskEquivalenceTests.bruteForceMask(matcher), "\(schema) \(document)")
                        // The longest token the matcher takes; stop where none does (a value out of bounds).
                        let candidates = (0..<v.size).filter { !v.vocabulary.isSpecial($0) }
                            .map { ($0, String(decoding: v.vocabulary.bytes(of: $0), as: UTF8.self)) }
                            .filter { rest.hasPrefix($0.1) && matcher.canAccept(token: $0.0) }
                        guard let (token, text) = candidates.max(by: { $0.1.count < $1.1.count }) else { break }
                        try matcher.accept(token: token)
                        rest = rest.dropFirst(text.count)
                    }
                    #expect(matcher.mask().allowedTokens == MaskEquivalenceTests.bruteForceMask(matcher), "\(schema) \(document)")
                }
            }
        }
    }
}
