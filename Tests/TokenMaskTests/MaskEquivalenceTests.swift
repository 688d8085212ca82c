import Testing
import Grammar
@testable import TokenMask

/// Masks from the fast paths (trie walks, plain-text slices, shared and cached masks) against
/// masks found token by token (`canAccept`, which only runs the token's bytes), at every step
/// of replays of documents that exercise those paths.
@Suite struct MaskEquivalenceTests {
    typealias Fixtures = RuntimeTests.Fixtures

    /// Every token the matcher can accept now, tried one at a time.
    static func bruteForceMask(_ matcher: Matcher) -> [Int] {
        (0..<matcher.vocabulary.size).filter { matcher.canAccept(token: $0) }
    }

    /// Replays each document (greedy tokens of the fixture vocabulary) and compares the masks
    /// before every token and after the last.
    static func expectMasksMatchBruteForce(schema: String, documents: [String], limits: CompileLimits = .init()) throws {
        let grammar = try CompiledGrammar(Grammar(jsonSchema: JSONValue(parsing: schema)), vocabulary: Fixtures.vocabulary,
                                          limits: limits)
        try expectMasksMatchBruteForce(grammar, vocabulary: Fixtures.vocabulary, documents: documents, complete: true)
    }

    /// Replays each document (greedy tokens of `vocabulary`) through `grammar` and compares the
    /// masks before every token and after the last with the brute-force ones; `complete`: each
    /// document must also end the output.
    static func expectMasksMatchBruteForce(_ grammar: CompiledGrammar, vocabulary: PreparedVocabulary, documents: [String],
                                           complete: Bool = false) throws {
        for document in documents {
            var matcher = grammar.makeMatcher()
            for token in try #require(vocabulary.greedyTokens(Array(document.utf8)), "\(document)") {
                #expect(matcher.mask().allowedTokens == bruteForceMask(matcher), "\(document)")
                try matcher.accept(token: token)
            }
            #expect(matcher.mask().allowedTokens == bruteForceMask(matcher), "\(document)")
            if complete { #expect(matcher.canTerminate, "\(document)") }
        }
    }

    /// A free string beside a `date-time` string: the plain-text depth comes from the free
    /// string's stack alone, not from searching both together.
    @Test func freeStringBesideDateTime() throws {
        try Self.expectMasksMatchBruteForce(
            schema: #"{"anyOf": [{"type": "string", "format": "date-time"}, {"type": "string"}]}"#,
            documents: [#""2022-01-01T12:00:00Z""#, #""2022-01-01T23:59:60+00:00""#, #""the red 12:00""#, #""""#])
    }

    /// Strings that accept plain text only jointly: one stack takes letters, the other digits.
    @Test func stacksThatCoverPlainTextOnlyTogether() throws {
        try Self.expectMasksMatchBruteForce(
            schema: #"{"anyOf": [{"type": "string", "pattern": "^[a-z ]*$"}, {"type": "string", "pattern": "^[^a-z]*$"}]}"#,
            documents: [#""the red""#, #""00 99 €""#])
    }

    /// Counted strings and arrays: every position is its own configuration.
    @Test func countedStringsAndArrays() throws {
        try Self.expectMasksMatchBruteForce(
            schema: #"""
                {"type": "object",
                 "properties": {"name": {"type": "string", "minLength": 2, "maxLength": 24},
                                "tags": {"type": "array", "items": {"type": "string", "maxLength": 3}, "maxItems": 5}},
                 "required": ["name", "tags"], "additionalProperties": false}
                """#,
            documents: [#"{"name": "the red and the green", "tags": ["a", "abc", "", "x"]}"#,
                        #"{"name": "Al", "tags": []}"#])
    }

    /// Alternatives sharing literal prefixes (built as a prefix tree), some a prefix of another.
    @Test func enumOfSharedPrefixes() throws {
        try Self.expectMasksMatchBruteForce(
            schema: #"{"type": "array", "items": {"enum": ["red", "green", "greenish", "gree", "blue", "bluegreen", 100, "100", 1000]}}"#,
            documents: [#"["green", "gree", "greenish", "bluegreen", 100, "100", 1000, "red"]"#, "[]"])
    }

    /// One definition used in several places, recursively: stacks that differ only below
    /// their top frames take their masks from shared local masks plus walks from the trie
    /// nodes where the frames return (tokens such as `},{`, `}]` or `"}` cross a return).
    @Test func definitionSharedByManyContexts() throws {
        try Self.expectMasksMatchBruteForce(
            schema: ##"""
                {"$defs": {"item": {"type": "object",
                                    "properties": {"name": {"type": "string"}, "value": {"type": "integer"},
                                                   "children": {"type": "array", "items": {"$ref": "#/$defs/item"}}},
                                    "required": ["name"]}},
                 "type": "object",
                 "properties": {"owner": {"$ref": "#/$defs/item"},
                                "items": {"type": "array", "items": {"$ref": "#/$defs/item"}},
                                "tags": {"type": "array", "items": {"type": "string"}}},
                 "required": ["owner"]}
                """##,
            documents: [#"{"owner":{"name":"Al","children":[{"name":"Bo","value":100},{"name":"Ca"}]},"items":[{"name":"x","children":[]},{"name":"y"}],"tags":["red"]}"#,
                        #"{"owner": {"name": "Al", "value": -1}, "items": [{"name": "the", "children": [{"name": "and", "value": 0}]}]}"#,
                        #"{"owner":{"name":"ü","children":[{"name":"é","children":[{"name":""}]}]},"items":[{"name":"Bo","value":100}]}"#])
    }

    /// A long chain of optional members (each position of the object its own rule, with
    /// whitespace and a number that may return at once), in a definition used in two places:
    /// the stacks of all the members still to come share one cut, so a mask takes one local
    /// mask for them, not one local walk per member.
    @Test func chainOfOptionalMembersSharedByTwoContexts() throws {
        let members = (1...16).map { #""m\#($0)": {"type": "number"}"# }.joined(separator: ", ")
        let schema = ##"""
            {"$defs": {"row": {"type": "object", "properties": {\##(members)}, "additionalProperties": false}},
             "type": "object", "properties": {"first": {"$ref": "#/$defs/row"}, "second": {"$ref": "#/$defs/row"}},
             "additionalProperties": false}
            """##
        let documents = [#"{"first": {"m1": 1, "m3": 2.5, "m9": 10}, "second": {"m1": 1, "m2": 3, "m3": 2.5, "m16": 0}}"#,
                         #"{"first":{"m2":7,"m4":70},"second":{"m2":7,"m4":70,"m5":1}}"#]
        try Self.expectMasksMatchBruteForce(schema: schema, documents: documents)
        let grammar = try CompiledGrammar(Grammar(jsonSchema: JSONValue(parsing: schema)), vocabulary: Fixtures.vocabulary)
        for document in documents {
            var matcher = grammar.makeMatcher()
            for token in try #require(Fixtures.vocabulary.greedyTokens(Array(document.utf8))) {
                let before = grammar.statistics.masksComputed
                _ = matcher.mask()
                #expect(grammar.statistics.masksComputed - before <= 4, "\(document)")
                try matcher.accept(token: token)
            }
        }
    }

    /// Short masks are stored as the id lists their walks wrote (in trie order, EOS added
    /// when the output may end): read back from the cache by a second replay, every mask is
    /// the one computed the first time, and the one found token by token.
    @Test func listedMasksReadBackFromTheCache() throws {
        let schema = #"{"type": "array", "items": {"enum": ["red", "green", 100, true, null]}, "maxItems": 4}"#
        let grammar = try CompiledGrammar(Grammar(jsonSchema: JSONValue(parsing: schema)), vocabulary: Fixtures.vocabulary)
        let tokens = try #require(Fixtures.vocabulary.greedyTokens(Array(#"["red", 100, null, "green"]"#.utf8)))
        var replays: [[[Int]]] = []
        for _ in 0..<2 {
            var matcher = grammar.makeMatcher()
            var masks: [[Int]] = []
            for token in tokens {
                masks.append(matcher.mask().allowedTokens)
                #expect(masks.last == Self.bruteForceMask(matcher))
                try matcher.accept(token: token)
            }
            masks.append(matcher.mask().allowedTokens)
            #expect(masks.last == Self.bruteForceMask(matcher))
            #expect(Fixtures.vocabulary.vocabulary.eosTokens.allSatisfy { masks.last!.contains($0) })
            replays.append(masks)
        }
        #expect(replays[0] == replays[1])
    }

    /// A memory budget the configurations' step cache overflows: the cache is emptied
    /// (configurations keep their ids), and masks and `canAccept` still agree at every step.
    @Test func stepCacheEvictedUnderATightMemoryBudget() throws {
        // The bounds unrolled (no length counter): a configuration per position of the string.
        let schema = #"{"type": "array", "items": {"type": "string", "minLength": 3, "maxLength": 900}}"#
        var grammar = try Grammar(jsonSchema: JSONValue(parsing: schema))
        grammar.lengthCounter = nil
        var limits = CompileLimits()
        limits.maxGrammarBytes = try CompiledGrammar(grammar, vocabulary: Fixtures.vocabulary).statistics.memoryBytes + (1 << 20)
        let tight = try CompiledGrammar(grammar, vocabulary: Fixtures.vocabulary, limits: limits)
        let long = String(repeating: "the red and the green and the blue ", count: 24)
        var matcher = tight.makeMatcher()
        for token in try #require(Fixtures.vocabulary.greedyTokens(Array(#"["\#(long)", "abc", "the first of them"]"#.utf8))) {
            #expect(matcher.mask().allowedTokens == Self.bruteForceMask(matcher))
            try matcher.accept(token: token)
        }
        #expect(matcher.canTerminate)
        #expect(tight.statistics.stepCacheEvictions > 0)
        #expect(!tight.statistics.budgetExhausted)
    }

    /// Near the stack-depth limit, where local configurations (with shallower stacks) would
    /// follow calls the whole stacks may not: there masks are walked whole. Replays arrays
    /// nested as deep as the limit lets them, so the last masks leave out `[`.
    @Test func nestingNearTheStackDepthLimit() throws {
        var limits = CompileLimits()
        limits.maxStackDepth = 24
        let schema = ##"{"type": "array", "items": {"anyOf": [{"$ref": "#"}, {"type": "integer"}]}}"##
        let grammar = try CompiledGrammar(Grammar(jsonSchema: JSONValue(parsing: schema)), vocabulary: Fixtures.vocabulary,
                                          limits: limits)
        let nested = (1...24).map { String(repeating: "[", count: $0) + "1" + String(repeating: "]", count: $0) }
        let accepted = nested.filter { document in
            var matcher = grammar.makeMatcher()
            return (try? matcher.accept(bytes: Array(document.utf8))) != nil && matcher.canTerminate
        }
        #expect(accepted.count >= 3 && accepted.count < nested.count)
        try Self.expectMasksMatchBruteForce(schema: schema, documents: accepted, limits: limits)
    }

    /// Grammars compiled one after the other: the later ones build their step caches in the
    /// blocks of the earlier ones (`RowBlockPool`), whose rows held other configurations'
    /// steps. Their masks are still exact, and equal those of the same grammar compiled while
    /// the first one is alive (on a block of its own).
    @Test func grammarsSharingARecycledStepCache() throws {
        let first = #"{"type": "object", "properties": {"id": {"type": "integer"}, "tags": {"type": "array", "items": {"type": "string"}}}}"#
        let second = #"{"type": "array", "items": {"anyOf": [{"type": "number"}, {"type": "string", "maxLength": 4}]}}"#
        let documents = [#"[1.5, "ab", -2, "wxyz"]"#, #"[]"#, #"["", 0]"#]
        func masks(of schema: String, replaying documents: [String]) throws -> [[Int]] {
            let grammar = try CompiledGrammar(Grammar(jsonSchema: JSONValue(parsing: schema)), vocabulary: Fixtures.vocabulary)
            var result: [[Int]] = []
            for document in documents {
                var matcher = grammar.makeMatcher()
                for token in try #require(Fixtures.vocabulary.greedyTokens(Array(document.utf8))) {
                    result.append(matcher.mask().allowedTokens)
                    try matcher.accept(token: token)
                }
                result.append(matcher.mask().allowedTokens)
            }
            return result
        }
        // The first grammar fills many rows of its block, then is dropped.
        _ = try masks(of: first, replaying: [#"{"id": 12, "tags": ["a", "bc"]}"#, #"{"tags": []}"#])
        let recycled = try masks(of: second, replaying: documents)
        try Self.expectMasksMatchBruteForce(schema: second, documents: documents)
        let alive = try CompiledGrammar(Grammar(jsonSchema: JSONValue(parsing: first)), vocabulary: Fixtures.vocabulary)
        #expect(try masks(of: second, replaying: documents) == recycled)
        _ = alive.makeMatcher().mask()
    }
}
