import Testing
@testable import Grammar

/// `RuleMerging`: rules equal up to the names of equal rules become one, others stay apart,
/// and every rule's language is what it was.
@Suite struct RuleMergingTests {
    private static func text(_ s: String) -> Expression { .literal(Array(s.utf8)) }
    private static func ref(_ name: String) -> Expression { .ruleReference(name) }

    /// Pairs that merge (recursive, mutually recursive, equal once their callees merge) and
    /// pairs that must not (a leaf differs, or a callee two levels down differs).
    private static let rules: [Grammar.Rule] = [
        .init(name: "lexicon", body: .choice([text("a"), text("b")])),
        // Recursive, equal: merge.
        .init(name: "nestA", body: .choice([.sequence([text("("), ref("nestA"), text(")")]), text("x")])),
        .init(name: "nestB", body: .choice([.sequence([text("("), ref("nestB"), text(")")]), text("x")])),
        // Same shape, another leaf: stays.
        .init(name: "nestC", body: .choice([.sequence([text("("), ref("nestC"), text(")")]), text("y")])),
        // Equal once their callees (recursive) are: merge.
        .init(name: "wrapA", body: .sequence([text("("), ref("runA"), text(")")])),
        .init(name: "wrapB", body: .sequence([text("("), ref("runB"), text(")")])),
        .init(name: "runA", body: .choice([.sequence([text("a"), ref("runA")]), .empty])),
        .init(name: "runB", body: .choice([.sequence([text("a"), ref("runB")]), .empty])),
        // Mutually recursive pairs, equal: merge pairwise.
        .init(name: "evenA", body: .choice([.sequence([text("a"), ref("oddA")]), .empty])),
        .init(name: "oddA", body: .sequence([text("b"), ref("evenA")])),
        .init(name: "evenB", body: .choice([.sequence([text("a"), ref("oddB")]), .empty])),
        .init(name: "oddB", body: .sequence([text("b"), ref("evenB")])),
        // Equal shapes two levels deep, a different leaf at the bottom: stay (two refinements).
        .init(name: "deepA", body: .sequence([text("x"), ref("midA")])),
        .init(name: "deepB", body: .sequence([text("x"), ref("midB")])),
        .init(name: "midA", body: .sequence([text("y"), ref("lowA")])),
        .init(name: "midB", body: .sequence([text("y"), ref("lowB")])),
        .init(name: "lowA", body: .repetition(text("a"), min: 1, max: 2)),
        .init(name: "lowB", body: .repetition(text("b"), min: 1, max: 2)),
        // A recursive rule and a non-recursive one of the same shape: stay.
        .init(name: "loop", body: .choice([.sequence([text("a"), ref("loop")]), text("b")])),
        .init(name: "once", body: .choice([.sequence([text("a"), ref("lexiconLike")]), text("b")])),
        // Equal to `runA` under another name and in another place: merged into it.
        .init(name: "star", body: .choice([.sequence([text("a"), ref("star")]), .empty])),
        .init(name: "lexiconLike", body: .choice([text("a"), text("b")])),
        // Equal to the kept lexicon rule and to each other: merged with each other only.
        .init(name: "uniqueA", body: .sequence([text("["), ref("lexicon"), text("]")])),
        .init(name: "uniqueB", body: .sequence([text("["), ref("lexicon"), text("]")])),
        .init(name: "plainA", body: .sequence([text("["), ref("lexicon"), text("]")])),
    ]

    /// Chains `c…c` of 16 rules ending in `x` (A, C) or `y` (B): deeper than the digests'
    /// rounds (`RuleMerging.hashedRounds`), so that only the exact refinement tells A from B at
    /// the top. A and C merge link for link; B stays.
    private static let chains: [Grammar.Rule] = ["A", "B", "C"].flatMap { chain in
        (0..<16).map { link in
            Grammar.Rule(name: "chain\(chain)\(link)",
                         body: link == 15 ? text(chain == "B" ? "y" : "x") : .sequence([text("c"), ref("chain\(chain)\(link + 1)")]))
        }
    }

    private static var grammar: Grammar {
        let rules = Self.rules + chains
        let names = rules.dropFirst().map { ref($0.name) }
        var grammar = Grammar(rules: rules + [.init(name: "root", body: .choice(names))], root: "root")
        grammar.uniqueArrayRules = ["uniqueA"]
        return grammar
    }

    /// Each merged rule and the rule kept for it (the first of its class in grammar order).
    private static let keptFor = ["nestB": "nestA", "wrapB": "wrapA", "runB": "runA", "evenB": "evenA", "oddB": "oddA",
                                  "plainA": "uniqueB", "star": "runA"]
        .merging((0..<16).map { ("chainC\($0)", "chainA\($0)") }) { a, _ in a }

    /// `grammar` with its rules merged as `GrammarSimplifier.simplify` merges them (the first
    /// rule kept, `uniqueArrayRules` not merged).
    private static func merged(_ grammar: Grammar) -> Grammar {
        var numbering = GrammarSimplifier.RuleNumbering(grammar.indexByName)
        let bodies = grammar.rules.map(\.body)
        var references = GrammarSimplifier.ReferenceLists(ruleCount: bodies.count)
        for (index, body) in bodies.enumerated() {
            var occurrences: [Int] = []
            GrammarSimplifier.collectReferences(body, &numbering, into: &occurrences)
            references.record(occurrences, of: index)
        }
        let representative = RuleMerging.representatives(
            bodies, among: Array(bodies.indices), root: grammar.index(of: grammar.root)!,
            mergeable: { $0 > 0 && !grammar.uniqueArrayRules.contains(grammar.rules[$0].name) }, references: references,
            minimumCount: 2) ?? Array(bodies.indices)
        let rules = grammar.rules.indices.filter { representative[$0] == $0 }.map { index in
            Grammar.Rule(name: grammar.rules[index].name, body: RuleMerging.renamed(bodies[index]) { position in
                let referenced = references[index].dropFirst(position).first!
                return representative[referenced] == referenced ? nil : grammar.rules[representative[referenced]].name
            } ?? bodies[index])
        }
        var result = Grammar(rules: rules, root: grammar.root)
        result.uniqueArrayRules = grammar.uniqueArrayRules
        return result
    }

    /// Which rules are left; a grammar without equal rules is left as it is.
    @Test func equalRulesAreMerged() {
        let merged = Self.merged(Self.grammar)
        let left = Set(merged.rules.map(\.name))
        #expect(left == Set(Self.grammar.rules.map(\.name)).subtracting(Self.keptFor.keys), "\(left.sorted())")
        // No reference names a merged rule.
        #expect(merged.rules.allSatisfy { $0.body.referencedRules.isSubset(of: left) })
        // Nothing left to merge: the same grammar.
        #expect(Self.merged(merged) == merged)
        // The chains, whole.
        var top = merged
        top.root = "chainA0"
        let matcher = RegularMatcher(top)
        #expect(matcher.matches(String(repeating: "c", count: 15) + "x"))
        #expect(!matcher.matches(String(repeating: "c", count: 15) + "y"))
    }

    /// Every rule of the original grammar (as the root) accepts exactly the strings its kept
    /// rule accepts, for every string over the grammar's bytes up to 5 bytes long.
    @Test func languagesAreUnchanged() {
        let original = Self.grammar
        let merged = Self.merged(original)
        let alphabet = Array("()xyab[]".utf8)
        var strings: [[UInt8]] = [[]]
        var last: [[UInt8]] = [[]]
        for _ in 0..<5 {
            last = last.flatMap { prefix in alphabet.map { prefix + [$0] } }
            strings += last
        }
        for rule in original.rules {
            var (before, after) = (original, merged)
            before.root = rule.name
            after.root = Self.keptFor[rule.name] ?? rule.name
            let (a, b) = (RegularMatcher(before), RegularMatcher(after))
            let differing = strings.filter { a.matches($0) != b.matches($0) }
            #expect(differing.isEmpty, "\(rule.name): \(differing.prefix(3).map { String(decoding: $0, as: UTF8.self) })")
        }
    }

    /// Through the JSON Schema front end: two definitions of the same recursive object (many
    /// optional properties, so that the grammar has at least `RuleMerging.minimumCount` rules
    /// to merge among) under different names, each used twice (so not inlined), become one: the grammar
    /// has the rules of the schema where both names are one; the documents accepted are those
    /// of the schema.
    @Test func equalDefinitionsShareARule() throws {
        let members = (0..<40).map { #""m\#($0)": {"type": "integer"}"# }.joined(separator: ", ")
        // `q` and `s` refer to `other`: "b" (an equal copy of "a") or "a" itself.
        func schema(_ other: String) -> String {
            #"""
            {"$defs": {"a": {"type": "object", "properties": {"n": {"$ref": "#/$defs/a"}, \#(members)},
                             "additionalProperties": false},
                       "b": {"type": "object", "properties": {"n": {"$ref": "#/$defs/b"}, \#(members)},
                             "additionalProperties": false}},
             "type": "object", "additionalProperties": false,
             "properties": {"p": {"$ref": "#/$defs/a"}, "q": {"$ref": "#/$defs/\#(other)"}, "r": {"$ref": "#/$defs/a"},
                            "s": {"$ref": "#/$defs/\#(other)"}}}
            """#
        }
        let grammar = try Grammar(jsonSchema: try JSONValue(parsing: schema("b")), options: .init(whitespace: .compact))
        let twin = try Grammar(jsonSchema: try JSONValue(parsing: schema("a")), options: .init(whitespace: .compact))
        #expect(grammar.rules.count == twin.rules.count)
        let matcher = RegularMatcher(grammar)
        for (document, valid) in [(#"{"p":{"n":{"m1":1}},"q":{"n":{"n":{}}}}"#, true), (#"{"q":{"n":{"m3":"x"}}}"#, false),
                                  (#"{"s":{"n":{"w":1}}}"#, false), (#"{"r":{},"s":{"n":{"m0":0},"m39":-2}}"#, true),
                                  (#"{"q":{"m2":1,"m1":2}}"#, false), (#"{"s":{"n":{"m38":3,"m39":4},"m1":1,"m2":2}}"#, true),
                                  (#"{"s":{"m1":1,"n":{}}}"#, false)] {
            #expect(matcher.matches(document) == valid, "\(document)")
        }
    }
}
