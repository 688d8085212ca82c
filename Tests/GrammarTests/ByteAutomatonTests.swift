import Testing
@testable import Grammar

/// `ByteAutomaton` and the front-end passes over `Expression.automaton`.
@Suite struct ByteAutomatonTests {
    /// `a`, then any of `"`, `/`, `\`, tab or U+0001, then `b`.
    static let quoted: ByteAutomaton = {
        let symbols: [UInt8] = [0x61, 0x22, 0x2F, 0x5C, 0x09, 0x01, 0x62]
        var transitions = [Int32](repeating: -1, count: 4 * symbols.count)
        transitions[0] = 1                                      // a
        for i in 1...5 { transitions[1 * symbols.count + i] = 2 }  // the escapable byte
        transitions[2 * symbols.count + 6] = 3                   // b
        return ByteAutomaton(symbols: symbols, transitions: transitions, accepting: [false, false, false, true])
    }()

    @Test func acceptsAndHashes() {
        let a = Self.quoted
        #expect(a.accepts(Array("a\"b".utf8)) && a.accepts(Array("a/b".utf8)) && a.accepts([0x61, 0x01, 0x62]))
        #expect(!a.accepts(Array("ab".utf8)) && !a.accepts(Array("a\"".utf8)) && !a.accepts(Array("a\"bb".utf8)))
        #expect(a.acceptsSomething)
        #expect(Set([Expression.automaton(a), .automaton(a)]).count == 1)
        let empty = ByteAutomaton(symbols: [0x61], transitions: [1, 1], accepting: [false, false])
        #expect(!empty.acceptsSomething)
        #expect(GrammarSimplifier.rebuild(.automaton(empty), { _ in nil }) == .nothing)
        #expect(GrammarPrinter.render(.automaton(a), precedence: 0) == "<automaton: 4 states>")
    }

    @Test func referenceMatcherReadsAutomata() {
        let matcher = RegularMatcher(.concat([.automaton(Self.quoted), .zeroOrMore(.text("b"))]))
        #expect(matcher.matches("a/b") && matcher.matches("a/bbb") && !matcher.matches("a/") && !matcher.matches("ab"))
    }

    /// Inside a JSON string the automaton reads escapes for `"`, `\` and controls, and `/`
    /// either way — as `JSONStringEncoding` writes the other leaves.
    @Test func jsonStringEncoding() {
        let encoded = JSONStringEncoding.encode(.automaton(Self.quoted))
        guard case .automaton = encoded else { Issue.record("expected an automaton, got \(encoded)"); return }
        let matcher = RegularMatcher(encoded)
        for text in [#"a\"b"#, "a/b", #"a\/b"#, #"a\\b"#, #"a\tb"#, #"a\u0001b"#] { #expect(matcher.matches(text), "\(text)") }
        for text in ["a\"b", "a\\b", "a\tb", #"a\u0009b"#, #"a\u0002b"#, #"a\u01b"#, #"a\nb"#, "ab"] { #expect(!matcher.matches(text), "\(text)") }
        // An automaton reading no escapable byte is its own encoding.
        let plain = ByteAutomaton(symbols: [0x61], transitions: [0], accepting: [true])
        #expect(JSONStringEncoding.encode(.automaton(plain)) == .automaton(plain))
    }
}
