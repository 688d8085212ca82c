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

    /// The word-at-a-time hash equals the byte-at-a-time fold it replaced (little-endian words,
    /// the last one zero-padded) for names of every length 0–40, ASCII and not, and for their
    /// suffixes (strings of other lengths and alignments).
    @Test func hashFoldsLittleEndianWords() {
        func reference(_ name: String) -> UInt64 {
            func mix(_ hash: UInt64, _ word: UInt64) -> UInt64 {
                let mixed = (hash ^ word) &* 0x9E37_79B9_7F4A_7C15
                return mixed ^ (mixed >> 29)
            }
            let bytes = Array(name.utf8)
            var hash: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(bytes.count)
            var word: UInt64 = 0
            var filled = 0
            for byte in bytes {
                word |= UInt64(byte) << (8 * filled)
                filled += 1
                if filled == 8 { hash = mix(hash, word); word = 0; filled = 0 }
            }
            if filled > 0 { hash = mix(hash, word) }
            return hash ^ (hash >> 31)
        }
        var random = SplitMix64(seed: 31)
        let scalars: [Character] = ["a", "Z", "-", "/", "é", "𝄞", "~", "0"]
        for length in 0...40 {
            for _ in 0..<5 {
                let name = String((0..<length).map { _ in scalars[Int(random.next() % UInt64(scalars.count))] })
                #expect(RuleNameTable.hash(name) == reference(name))
                let sub = name.dropFirst(length / 3)
                #expect(RuleNameTable.hash(String(sub)) == reference(String(sub)))
            }
        }
    }
}
