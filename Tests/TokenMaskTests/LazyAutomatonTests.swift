import Testing
import Grammar
import Automata
@testable import TokenMask

/// Automata too large to build (`Expression.lazyAutomaton`), whose states the compiled
/// automaton creates as the output reaches them: the same masks as the built automaton of the
/// same language, and `multipleOf` constraints with hundreds of millions of remainders.
@Suite struct LazyAutomatonTests {
    /// Digit strings (at least one digit) whose value is a multiple of `modulus`: the state is
    /// the remainder, with control 0 before the first digit and 1 after.
    struct Multiples: LazyAutomatonDefinition {
        let modulus: Int
        var identity: String { "multiples of \(modulus)" }
        var start: LazyAutomatonState { LazyAutomatonState(control: 0, value: 0) }
        var alphabet: [UInt8] { Array("0123456789".utf8) }
        func successors(of state: LazyAutomatonState) -> [(byte: UInt8, state: LazyAutomatonState)] {
            (0..<10).map { d in (UInt8(0x30 + d), LazyAutomatonState(control: 1, value: (state.value * 10 + Int64(d)) % Int64(modulus))) }
        }
        func isAccepting(_ state: LazyAutomatonState) -> Bool { state.control == 1 && state.value == 0 }
        func shortestCompletion(from state: LazyAutomatonState) -> Int {
            if isAccepting(state) { return 0 }
            // Appending k digits reaches remainders r·10^k … r·10^k + 10^k − 1.
            var k = 1, low = Int(state.value) * 10 % modulus, width = 10
            while true {
                if low == 0 || low + width > modulus { return k }
                k += 1
                low = low * 10 % modulus
                width *= 10
            }
        }
    }

    /// The built automaton of `Multiples(modulus:)`: state 0 the start, 1 + r after a digit.
    static func builtMultiples(_ modulus: Int) -> ByteAutomaton {
        var transitions: [Int32] = []
        for state in 0...modulus {
            let r = state == 0 ? 0 : state - 1
            for d in 0..<10 { transitions.append(Int32(1 + (r * 10 + d) % modulus)) }
        }
        return ByteAutomaton(symbols: Array("0123456789".utf8), transitions: transitions,
                             accepting: [false, true] + Array(repeating: false, count: modulus - 1))
    }

    @Test func acceptsExactlyItsLanguage() {
        let a = LazyAutomaton(Multiples(modulus: 7))
        for text in ["0", "7", "14", "0007", "1001", "9999997"] { #expect(a.accepts(Array(text.utf8)), "\(text)") }
        for text in ["", "1", "15", "1000", "7x", "-7"] { #expect(!a.accepts(Array(text.utf8)), "\(text)") }
        #expect(a.run(Array("10".utf8)) == LazyAutomatonState(control: 1, value: 3))
        #expect(a == LazyAutomaton(Multiples(modulus: 7)) && a != LazyAutomaton(Multiples(modulus: 8)))
    }

    @Test func lazyMasksEqualBuiltMasks() throws {
        let v = vocabulary(["0", "1", "7", "14", "49", "123", "x", "7x", "00x", "1x"])
        let language = { (digits: Expression) in Grammar(.concat([digits, .text("x")])) }
        let lazy = try CompiledGrammar(language(.lazyAutomaton(LazyAutomaton(Multiples(modulus: 7)))), vocabulary: v)
        let built = try CompiledGrammar(language(.automaton(Self.builtMultiples(7))), vocabulary: v)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<40 {
            var a = lazy.makeMatcher(), b = built.makeMatcher()
            for _ in 0..<12 {
                let mask = allowed(a, v)
                #expect(mask == allowed(b, v))
                guard let pick = a.mask().allowedTokens.randomElement(using: &generator) else { break }
                #expect(a.canTerminate == b.canTerminate)
                try a.accept(token: pick)
                try b.accept(token: pick)
                if a.isTerminated { break }
            }
        }
    }

    @Test func exactMaskAroundTheExit() throws {
        let tokens = ["0", "1", "7", "14", "49", "123", "x", "7x", "00x", "1x"]
        let v = vocabulary(tokens)
        let g = try CompiledGrammar(Grammar(.concat([.lazyAutomaton(LazyAutomaton(Multiples(modulus: 7))), .text("x")])), vocabulary: v)
        /// Every digit string continues to a multiple; "x" needs digits read that make one.
        func expected(after digits: String) -> [String] {
            tokens.filter { token in
                guard token.hasSuffix("x") else { return true }
                let all = digits + token.dropLast()
                return !all.isEmpty && Int(all)! % 7 == 0
            }
        }
        var m = g.makeMatcher()
        var digits = ""
        for token in ["1", "14", "14", "0", "0", "1", "7", "49", "123", "14", "1"] {
            #expect(allowed(m, v) == expected(after: digits), "after \(digits)")
            try m.accept(token: tokens.firstIndex(of: token)!)
            digits += token
        }
        #expect(Int(digits)! % 7 == 0)
        #expect(allowed(m, v).contains("x"))
        try m.accept(token: 6)
        #expect(allowed(m, v) == ["<10>"])
    }

    /// Schemas whose remainders no automaton holds.
    static func compile(_ schema: String, _ v: PreparedVocabulary) throws -> CompiledGrammar {
        let grammar = try JSONSchemaCompiler(options: .init(whitespace: .compact)).compile(JSONValue(parsing: schema)).grammar
        return try CompiledGrammar(grammar, vocabulary: v)
    }

    static func accepts(_ g: CompiledGrammar, _ text: String) -> Bool {
        var m = g.makeMatcher()
        guard (try? m.accept(bytes: Array(text.utf8))) != nil else { return false }
        return m.canTerminate
    }

    @Test func largeIntegerDivisor() throws {
        // 123,456,789 remainders: `multipleOf: 0.123456789` on integers.
        let v = vocabulary(["1", "2", "3", "4", "5", "6", "7", "8", "9", "0", ".", "-", ".0"])
        let g = try Self.compile(#"{"type":"integer","multipleOf":0.123456789}"#, v)
        #expect(g.statistics.nfaStates < 100)
        for text in ["0", "-0", "123456789", "-246913578", "370370367", "123456789.000", "15241578750190521"] {
            #expect(Self.accepts(g, text), "\(text)")
        }
        for text in ["1", "123456788", "123456790", "1.0", "123456789.5", "0123456789", "\"0\""] {
            #expect(!Self.accepts(g, text), "\(text)")
        }
        var m = g.makeMatcher()
        try m.accept(bytes: Array("12345678".utf8))
        // Every digit continues (a remainder is reached by more digits); `.` and the end need a multiple.
        #expect(allowed(m, v) == ["1", "2", "3", "4", "5", "6", "7", "8", "9", "0"])
        try m.accept(bytes: Array("9".utf8))
        #expect(allowed(m, v) == ["1", "2", "3", "4", "5", "6", "7", "8", "9", "0", ".", ".0", "<13>"])
    }

    @Test func meetingKeysConstraints() throws {
        // Handwritten/num5's key matching two patterns: multiples of 8,721 that are multiples of
        // none of 2, 6.5, 5, 7, 11 and 37 (remainders modulo 8,721 × 37,037 × 10: 3.2 billion).
        let schema = #"{"allOf":[{"multipleOf":6.75},{"multipleOf":19},{"multipleOf":9.5},{"multipleOf":2.125},"#
            + #"{"not":{"anyOf":[{"multipleOf":2},{"multipleOf":6.5},{"multipleOf":5},{"multipleOf":7},{"multipleOf":11},{"multipleOf":37}]}}]}"#
        let v = vocabulary(["1", "2", "3", "4", "5", "6", "7", "8", "9", "0", ".", "-"])
        let g = try Self.compile(schema, v)
        for k in [1, 3, 9, 17, 19, 23, -1, -29] {
            #expect(Self.accepts(g, String(8721 * k)), "8721 × \(k)")
        }
        #expect(Self.accepts(g, "8721.000"))
        for k in [2, 5, 7, 11, 13, 37, 4, 0] {
            #expect(!Self.accepts(g, String(8721 * k)), "8721 × \(k)")
        }
        for text in ["8721.5", "8722", "1", "-"] { #expect(!Self.accepts(g, text), "\(text)") }
        // After "8721." only zeros keep a multiple.
        var m = g.makeMatcher()
        try m.accept(bytes: Array("8721.".utf8))
        #expect(allowed(m, v) == ["0"])
        try m.accept(bytes: Array("0".utf8))
        #expect(allowed(m, v) == ["0", "<12>"])
    }

    @Test func oneBoundWithLazyRemainders() throws {
        // Above −100,000 only: negatives have at most five digits, enumerated ahead; positives are free.
        let schema = #"{"exclusiveMinimum":-100000,"allOf":[{"multipleOf":8721},"#
            + #"{"not":{"anyOf":[{"multipleOf":2},{"multipleOf":5},{"multipleOf":7},{"multipleOf":11},{"multipleOf":13},{"multipleOf":37}]}}]}"#
        let v = vocabulary(["1", "2", "3", "4", "5", "6", "7", "8", "9", "0", ".", "-"])
        let g = try Self.compile(schema, v)
        func valid(_ k: Int) -> Bool { k > -100_000 && k % 8721 == 0 && [2, 5, 7, 11, 13, 37].allSatisfy { k % $0 != 0 } }
        for k in (-20...20).map({ 8721 * $0 }) {
            #expect(Self.accepts(g, String(k)) == valid(k), "\(k)")
        }
        #expect(valid(-26163) && valid(-78489) && !valid(-148257) && valid(148257))
        var m = g.makeMatcher()
        try m.accept(bytes: Array("-".utf8))
        // -8721, -26163 and -78489 are the only valid negatives.
        #expect(allowed(m, v) == ["2", "7", "8"])
        try m.accept(bytes: Array("8".utf8))
        #expect(allowed(m, v) == ["7"])
    }
}

extension LazyAutomatonTests {
    @Test func shortestCompletionsSteerToAMultiple() throws {
        // The fewest bytes completing a numeral are found by arithmetic, not by a search over
        // the remainders: generation can always be steered to an end.
        let v = vocabulary(["1", "2", "3", "4", "5", "6", "7", "8", "9", "0", ".", "-"])
        let g = try Self.compile(#"{"type":"integer","multipleOf":0.123456789}"#, v)
        var m = g.makeMatcher()
        try m.accept(bytes: Array("1".utf8))
        // "1" → "123456789" is the nearest multiple: eight more digits.
        #expect(m.shortestCompletionLength == 8)
        let completion = m.shortestCompletionPrefix(limit: 20)
        #expect(String(decoding: completion, as: UTF8.self) == "23456789")
        try m.accept(bytes: completion)
        #expect(m.canTerminate)
    }
}
