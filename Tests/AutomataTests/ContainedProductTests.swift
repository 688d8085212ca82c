import Testing
import Grammar
@testable import Automata

/// An intersection whose other operand holds every word of the first (a pattern under a
/// `minLength` it implies) is the first operand's minimal automaton (`RegularAutomaton.product`,
/// `compileMinimized`); other intersections are built and minimized as before.
@Suite struct ContainedProductTests {
    private let letters = Expression.byteClass([UInt8(ascii: "a")...UInt8(ascii: "z")])
    private let printable = Expression.byteClass([UInt8(ascii: " ")...UInt8(ascii: "~")])

    /// Every word over `alphabet` of at most `length` bytes.
    private func words(over alphabet: [UInt8], upTo length: Int) -> [[UInt8]] {
        var all: [[UInt8]] = [[]]
        var level: [[UInt8]] = [[]]
        for _ in 0..<length {
            level = level.flatMap { w in alphabet.map { w + [$0] } }
            all += level
        }
        return all
    }

    /// The minimal automaton of `e` by subset construction of its NFA (no product).
    private func reference(_ e: Expression) throws -> RegularAutomaton {
        try RegularAutomaton.determinize(NFABuilder.build(Grammar(e), limits: .init()), limits: .init()).minimized()
    }

    /// Words of one to four lowercase words between single spaces, under "one printable
    /// character or more": the product is the pattern's own automaton, and the language is it.
    @Test func containedOperandIsTheProduct() throws {
        let word = Expression.repetition(letters, min: 1, max: nil)
        let pattern = Expression.sequence([.repetition(.sequence([word, .text(" ")]), min: 0, max: 3), word])
        let bound = Expression.repetition(printable, min: 1, max: nil)
        let a = try reference(pattern), b = try reference(bound)
        let (product, isFirst) = try RegularAutomaton.product(a, b, negateSecond: false, limits: .init())
        #expect(isFirst)
        #expect(product.stateCount == a.stateCount)
        let built = try RegularAutomaton.compileMinimized(.intersection([pattern, bound]), limits: .init())
        #expect(built.stateCount == a.stateCount)
        for w in words(over: Array("ab ~".utf8), upTo: 7) {
            #expect(built.accepts(w) == a.accepts(w), "\(String(decoding: w, as: UTF8.self))")
        }
    }

    /// Products that lose a word of the first operand are built and minimized: the empty word
    /// (acceptance differs), a letter the second does not read (a transition lost), and a
    /// second operand that splits a state of the first (`a*` ∩ `(aa)*`).
    @Test func otherProductsAreBuilt() throws {
        let cases: [(Expression, Expression, ([UInt8]) -> Bool)] = [
            (.repetition(letters, min: 0, max: nil), .repetition(printable, min: 1, max: nil),
             { w in !w.isEmpty && w.allSatisfy { (97...122).contains($0) } }),
            (.repetition(letters, min: 1, max: nil), .repetition(.byteClass([UInt8(ascii: "a")...UInt8(ascii: "m")]), min: 1, max: nil),
             { w in !w.isEmpty && w.allSatisfy { (97...109).contains($0) } }),
            (.repetition(.text("a"), min: 0, max: nil), .repetition(.text("aa"), min: 0, max: nil),
             { w in w.count % 2 == 0 && w.allSatisfy { $0 == 97 } }),
        ]
        for (first, second, expected) in cases {
            let (_, isFirst) = try RegularAutomaton.product(try reference(first), try reference(second), negateSecond: false, limits: .init())
            #expect(!isFirst)
            let built = try RegularAutomaton.compileMinimized(.intersection([first, second]), limits: .init())
            #expect(built.stateCount == (try reference(.intersection([first, second])).stateCount))
            for w in words(over: Array("amz ".utf8), upTo: 6) {
                #expect(built.accepts(w) == expected(w), "\(String(decoding: w, as: UTF8.self))")
            }
        }
    }
}
