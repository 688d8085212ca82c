import Testing
@testable import Grammar

/// `RuleNameTable` (the grammar's rule indices by name) against a dictionary.
@Suite struct RuleNameTableTests {
    /// Random names — short and long, ASCII and not, sharing prefixes, the empty name — are
    /// inserted and looked up in turns, through growth: every answer is the dictionary's.
    @Test func answersAsADictionary() {
        var random = SplitMix64(seed: 29)
        let pieces = ["a", "properties", "-", "def", "é", "𝄞", "x1", "items-2", "json-ws", ""]
        func name() -> String {
            (0..<Int(random.next() % 12)).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined()
        }
        for capacity in [0, 5, 300] {
            var table = RuleNameTable(capacity: capacity)
            var reference: [String: Int] = [:]
            for _ in 0..<2_000 {
                let key = name()
                if random.next() % 2 == 0 {
                    let expected = reference[key]
                    let (index, inserted) = table.insert(key)
                    #expect(inserted == (expected == nil))
                    #expect(index == expected ?? reference.count)
                    if expected == nil { reference[key] = index }
                } else {
                    #expect(table.index(of: key) == reference[key])
                }
            }
            #expect(table.count == reference.count)
            for (key, index) in reference { #expect(table.index(of: key) == index && table.names[index] == key) }
        }
    }

    /// A grammar resolves its rules through the table, redefinitions keep their index, and the
    /// simplifier's numbering answers the same (also for the name it was asked last).
    @Test func grammarIndicesFollowDefinitions() {
        var grammar = Grammar(rules: [.init(name: "root", body: .ruleReference("b")), .init(name: "b", body: .text("x"))], root: "root")
        grammar.define("c", .ruleReference("b"))
        grammar.define("b", .text("y"))
        #expect(grammar.rules.map(\.name) == ["root", "b", "c"])
        #expect(grammar.index(of: "b") == 1 && grammar.index(of: "c") == 2 && grammar.index(of: "d") == nil)
        #expect(grammar.rule(named: "b")?.body == .text("y"))
        var numbering = GrammarSimplifier.RuleNumbering(grammar.indexByName)
        for name in ["c", "c", "b", "d", "d", "root", ""] { #expect(numbering.index(of: name) == grammar.index(of: name)) }
    }
}
