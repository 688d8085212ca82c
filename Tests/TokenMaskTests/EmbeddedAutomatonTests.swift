import Testing
import Grammar
import Automata
@testable import TokenMask

/// Automata embedded in the grammar IR (`Expression.automaton`): spliced into the compiled
/// automaton as they are, with exact masks.
@Suite struct EmbeddedAutomatonTests {
    /// Decimal numerals (any digits, at least one) whose value is a multiple of 3: the
    /// remainder is the state (0 is the start, so 3 is "remainder 0 after a digit").
    static let multiplesOfThree: ByteAutomaton = {
        // States: 0 start; 1 + r: remainder r after at least one digit.
        var transitions: [Int32] = []
        for state in 0..<4 {
            let r = state == 0 ? 0 : state - 1
            for digit in 0..<10 { transitions.append(Int32(1 + (r * 10 + digit) % 3)) }
        }
        return ByteAutomaton(symbols: Array("0123456789".utf8), transitions: transitions, accepting: [false, true, false, false])
    }()

    @Test func acceptsExactlyItsLanguage() {
        let a = Self.multiplesOfThree
        for text in ["0", "3", "12", "99", "123456", "000"] { #expect(a.accepts(Array(text.utf8)), "\(text)") }
        for text in ["", "1", "13", "100", "12a", "-3"] { #expect(!a.accepts(Array(text.utf8)), "\(text)") }
    }

    @Test func exactMasksOnATinyVocabulary() throws {
        let v = vocabulary(["0", "1", "2", "12", "33", "x", "3x"])
        let g = try CompiledGrammar(Grammar(.concat([.automaton(Self.multiplesOfThree), .text("x")])), vocabulary: v)
        var m = g.makeMatcher()
        // Any digit string has a completion; "x" needs a multiple before it ("3x" has one).
        #expect(allowed(m, v) == ["0", "1", "2", "12", "33", "3x"])
        try m.accept(token: 1)  // "1"
        #expect(allowed(m, v) == ["0", "1", "2", "12", "33"])
        try m.accept(token: 2)  // "12": remainder 0 (and "123" too)
        #expect(allowed(m, v) == ["0", "1", "2", "12", "33", "x", "3x"])
        try m.accept(token: 1)  // "121": remainder 1
        #expect(allowed(m, v) == ["0", "1", "2", "12", "33"])
        try m.accept(token: 2)  // "1212": remainder 0
        try m.accept(token: 5)  // "x"
        #expect(allowed(m, v) == ["<7>"])
    }

    @Test func deadStatesAreNeverOffered() throws {
        // "a" leads to a state with no way to accept; "b" to acceptance.
        let a = ByteAutomaton(symbols: Array("ab".utf8), transitions: [1, 2, 1, -1, -1, -1], accepting: [false, false, true])
        let v = vocabulary(["a", "b", "ab"])
        let g = try CompiledGrammar(Grammar(.automaton(a)), vocabulary: v)
        #expect(allowed(g.makeMatcher(), v) == ["b"])
    }

    @Test func intersectsWithOtherRegularParts() throws {
        // Multiples of 3 with two or three digits, and not 99.
        let language = Expression.difference(
            .intersection([.automaton(Self.multiplesOfThree), .repetition(.byteClass([0x30...0x39]), min: 2, max: 3)]), .text("99"))
        let v = vocabulary(["1", "2", "9", "99", "12", "999"])
        let g = try CompiledGrammar(Grammar(language), vocabulary: v)
        var m = g.makeMatcher()
        #expect(allowed(m, v) == ["1", "2", "9", "99", "12", "999"])
        try m.accept(token: 3)  // "99": not accepted, but "99x" for three digits can be
        #expect(allowed(m, v) == ["9"])
        try m.accept(token: 2)
        #expect(allowed(m, v) == ["<6>"])
    }
}
