import Testing
import Grammar
@testable import Automata
@testable import TokenMask

/// Masks whose whitespace subtrees are read off the trie (`TokenTrie.WhitespaceRuns`,
/// `ConfigurationSpace.whitespaceReach`) against masks found token by token.
@Suite struct WhitespaceRunTests {
    /// Every single byte, whitespace runs of every length up to 30 (spaces, line feeds followed
    /// by spaces, tabs, mixed), runs followed by other bytes, and JSON pieces; the last id is EOS.
    static let vocabulary: PreparedVocabulary = {
        var pieces: [String] = []
        for n in 1...30 {
            pieces.append(String(repeating: " ", count: n))
            pieces.append("\n" + String(repeating: " ", count: n))
            pieces.append(String(repeating: "\t", count: n))
        }
        pieces += ["\n\n", "\r\n", " \n", "\n\n  ", " \t \n", "  x", " \"", "\n  \"", " {", "{\n", "{\n  \"", ",\n",
                   ",\n  \"", ", \"", "\": ", "\":", " [", "[\n", "\n]", "\n}", " }", "  }", "1 ", "1\n", "12", " 1",
                   "\"a\"", "\"a", "\"b\":", "a\"", "true", " true", "null", "x y", "\"\n"]
        var tokens = (0...255).map { [UInt8($0)] }
        tokens += pieces.map { Array($0.utf8) }
        tokens.append(Array("<eos>".utf8))
        return PreparedVocabulary(Vocabulary(tokens: tokens, special: [tokens.count - 1], eos: [tokens.count - 1]))
    }()

    /// Replays each document (greedy tokens) and compares every mask with the brute-force one.
    static func expectMasksMatchBruteForce(_ grammar: CompiledGrammar, documents: [String]) throws {
        try MaskEquivalenceTests.expectMasksMatchBruteForce(grammar, vocabulary: vocabulary, documents: documents)
    }

    @Test func runsOfASmallTrie() throws {
        let v = PreparedVocabulary(Vocabulary(tokens: [" ", "  ", "   x", "\n", "\n\n\n", "\t", "\tx", "a", "a "].map { Array($0.utf8) },
                                              special: [], eos: []))
        let trie = v.trie, runs = v.whitespaceRuns.runs
        func node(_ text: String) -> Int {
            var i = 0
            for byte in text.utf8 {
                var child = i + 1
                while trie.byte[child] != byte { child = Int(trie.subtreeEnd[child]) }
                i = child
            }
            return i
        }
        #expect(runs[0] == 0)
        #expect(runs[node(" ")] == 0)      // "   x" below
        #expect(runs[node("  ")] == 0)
        #expect(runs[node("\n")] == 3)     // "\n", "\n\n\n"
        #expect(runs[node("\n\n")] == 2)
        #expect(runs[node("\t")] == 0)     // "\tx"
        #expect(runs[node("a")] == 0)
        #expect(runs[node("a ")] == 1)
    }

    /// JSON documents with whitespace everywhere JSON allows it, under the default bound of 20
    /// bytes: runs longer than the bound left out, exactly.
    @Test func objectsAndArraysWithWhitespace() throws {
        let schema = #"""
            {"type": "object",
             "properties": {"a": {"type": "string"}, "b": {"type": "array", "items": {"type": "integer"}},
                            "c": {"type": "boolean"}, "d": {"type": "object"}},
             "required": ["a"]}
            """#
        let grammar = try CompiledGrammar(Grammar(jsonSchema: JSONValue(parsing: schema)), vocabulary: Self.vocabulary)
        try Self.expectMasksMatchBruteForce(grammar, documents: [
            "{\n  \"a\": \"x y\",\n  \"b\": [1 , 12,\n 1\n],\n  \"c\": true,  \"d\": {\n\n  }\n}",
            "  {\"a\":\"a\"}   ",
            "{" + String(repeating: " ", count: 20) + "\"a\"" + String(repeating: "\t", count: 19) + ":\"\"}",
        ])
    }

    /// Whitespace policies with another bound, and none at all.
    @Test func otherWhitespaceBounds() throws {
        let schema = try JSONValue(parsing: #"{"type": "array", "items": {"type": "number"}}"#)
        for whitespace in [JSONSchemaOptions.Whitespace.flexible(maxRun: 3), .flexible(maxRun: 1), .compact] {
            let grammar = try CompiledGrammar(Grammar(jsonSchema: schema, options: .init(whitespace: whitespace)),
                                              vocabulary: Self.vocabulary)
            let spaced = whitespace == .compact ? "[1,12]" : "[ 1, 12 ]"
            try Self.expectMasksMatchBruteForce(grammar, documents: [spaced, "[]"])
        }
    }

    /// Whitespace that can go on past the end of a rule (two runs one after the other, a run
    /// in a loop): no exact length is known there, and the walk steps as before.
    @Test func runsThatGoOnInTheFrameBelow() throws {
        let spaces = Expression.repetition(.byteClass([9...10, 13...13, 32...32]), min: 0, max: 4)
        // Two runs in one rule, and two calls of a shared run rule (its own frame) in a
        // recursive one (not inlined), whose first call returns to the second.
        var twoRuns = Grammar(.concat([.text("x"), .ruleReference("run"), .ruleReference("run"), .text("y")]))
        twoRuns.define("run", spaces)
        var twoCalls = Grammar(.choice([.concat([.text("x"), .ruleReference("run"), .ruleReference("run"), .text("y")]),
                                        .concat([.text("["), .ruleReference("root"), .text("]")])]))
        twoCalls.define("run", spaces, isShared: true)
        let loop = Grammar(.concat([.text("x"), .repetition(.byteClass([32...32, 9...9]), min: 0, max: nil), .text("y")]))
        for (grammar, documents) in [(twoRuns, ["x      y", "xy", "x \n y"]), (twoCalls, ["x      y", "[[x \n y]]"]),
                                     (loop, ["x\t\t y", "xy"])] {
            try Self.expectMasksMatchBruteForce(CompiledGrammar(grammar, vocabulary: Self.vocabulary), documents: documents)
        }
    }

    /// A run followed by a call: exact when the called rule surely reads another byte first
    /// (the run ends there), not when it may start with whitespace or return at once.
    @Test func runsBeforeCalls() throws {
        let spaces = Expression.repetition(.byteClass([9...10, 13...13, 32...32]), min: 0, max: 4)
        // The called rule reads a letter first, on every path (through a rule it calls, too).
        var letter = Grammar(.concat([.text("x"), spaces, .ruleReference("word"), .text("y")]))
        letter.define("word", .choice([.text("a"), .concat([.ruleReference("inner"), .text("\"")])]))
        letter.define("inner", .choice([.text("1"), .text("12")]))
        // The called rule may be empty: the run goes on in the caller after it.
        var empty = Grammar(.concat([.text("x"), spaces, .ruleReference("maybe"), spaces, .text("y")]))
        empty.define("maybe", .repetition(.text("a"), min: 0, max: 1))
        // The called rule starts with whitespace of its own, directly or through a rule it calls.
        var own = Grammar(.concat([.text("x"), spaces, .ruleReference("spaced"), .text("y")]))
        own.define("spaced", .concat([.repetition(.text(" "), min: 0, max: 3), .text("a")]))
        var nested = Grammar(.concat([.text("x"), spaces, .ruleReference("outer"), .text("y")]))
        nested.define("outer", .concat([.ruleReference("spaced"), .text("1")]))
        nested.define("spaced", .concat([.repetition(.text(" "), min: 0, max: 3), .text("a")]))
        for (grammar, documents) in [(letter, ["x    ay", "x1\"y", "x \n 12\"y"]), (empty, ["x        y", "x   a \n y", "xy"]),
                                     (own, ["x       ay", "xay"]), (nested, ["x       a1y", "x a1y"])] {
            try Self.expectMasksMatchBruteForce(CompiledGrammar(grammar, vocabulary: Self.vocabulary), documents: documents)
        }
        // The first case is known exactly from the start (4 bytes); the others are not.
        for (grammar, reach) in [(letter, 4), (empty, -1), (own, -1), (nested, -1)] {
            let compiled = try CompiledGrammar(grammar, vocabulary: Self.vocabulary)
            let x = compiled.engine.withSpace { $0.step($0.initial, UInt8(ascii: "x")) }
            #expect(compiled.engine.withSpace { $0.whitespaceReach(x) } == reach)
        }
    }

    /// The whitespace around a JSON document (the `document.ws` rule: a run, a call of the root
    /// rule, a run): known exactly before the document (the first mask reads the runs off the
    /// trie) and after it (the bottom frame ends the document); runs up to the bound allowed,
    /// longer ones not.
    @Test func whitespaceAroundADocument() throws {
        let schema = #"{"type": "object", "properties": {"a": {"type": "string"}}}"#
        let grammar = try CompiledGrammar(Grammar(jsonSchema: JSONValue(parsing: schema)), vocabulary: Self.vocabulary)
        #expect(grammar.engine.withSpace { $0.whitespaceReach($0.initial) } == 20)
        let after = grammar.engine.withSpace { $0.run(Array("{}".utf8), from: $0.initial) }
        #expect(grammar.engine.withSpace { $0.whitespaceReach(after) } == 20)
        try Self.expectMasksMatchBruteForce(grammar, documents: [
            String(repeating: " ", count: 20) + "{\"a\":\"a\"}", "\n" + String(repeating: " ", count: 19) + "{}",
            "\t\t{ }\n", "{\"a\":\"a\"}" + String(repeating: " ", count: 20), "{}\n" + String(repeating: "\t", count: 19),
        ])
        let twentyOne = try #require(Self.vocabulary.greedyTokens(Array(String(repeating: " ", count: 21).utf8)))
        #expect(twentyOne.count == 1)
        var matcher = grammar.makeMatcher()
        #expect(!matcher.mask().allowedTokens.contains(twentyOne[0]))
        for token in try #require(Self.vocabulary.greedyTokens(Array("{}".utf8))) { try matcher.accept(token: token) }
        #expect(!matcher.mask().allowedTokens.contains(twentyOne[0]))
    }

    /// The document rule: the shared whitespace rule called before the root (defined by the
    /// document rule where the schema's own rules do not use it, as for a string), a run in
    /// place after it. Runs of 0, 1, 20 and 21 bytes before and after the value, byte by byte:
    /// every mask equals the brute-force one, EOS is allowed exactly once the value is whole
    /// and at most 20 bytes follow it, and the 21st byte of a run is refused on either side.
    @Test func documentWhitespaceBounds() throws {
        let cases = [(#"{"type": "object", "properties": {"a": {"type": "integer"}}}"#, #"{"a":1}"#),
                     (#"{"type": "string", "maxLength": 3}"#, #""ab""#)]
        let eos = try #require(Self.vocabulary.vocabulary.eosTokens.first)
        for (schema, value) in cases {
            let grammar = try Grammar(jsonSchema: JSONValue(parsing: schema))
            #expect(grammar.rule(named: "json-ws")?.isShared == true)
            #expect(grammar.rule(named: "document.ws")?.body.referencedRules == ["json-ws", "root"])
            let compiled = try CompiledGrammar(grammar, vocabulary: Self.vocabulary)
            #expect(compiled.engine.withSpace { $0.whitespaceReach($0.initial) } == 20)
            for leading in [0, 1, 20, 21] {
                for trailing in [0, 1, 20, 21] {
                    // Spaces and tabs before, a line feed then spaces after.
                    let before = Array(repeating: UInt8(ascii: " "), count: leading)
                    let after = Array(repeating: UInt8(ascii: "\t"), count: min(trailing, 1))
                        + Array(repeating: UInt8(ascii: " "), count: max(trailing - 1, 0))
                    let bytes = before + Array(value.utf8) + after
                    let valueEnd = leading + value.utf8.count
                    var matcher = compiled.makeMatcher()
                    for (offset, byte) in bytes.enumerated() {
                        let mask = matcher.mask().allowedTokens
                        #expect(mask == MaskEquivalenceTests.bruteForceMask(matcher), "\(leading) \(trailing) at \(offset)")
                        #expect(mask.contains(eos) == (offset >= valueEnd), "\(leading) \(trailing) at \(offset)")
                        if (leading > 20 && offset == 20) || (trailing > 20 && offset == valueEnd + 20) {
                            #expect(!mask.contains(Int(byte)), "\(leading) \(trailing) at \(offset)")
                            break
                        }
                        try matcher.accept(token: Int(byte))
                    }
                    if leading <= 20 && trailing <= 20 {
                        #expect(matcher.canTerminate, "\(leading) \(trailing)")
                        let mask = matcher.mask().allowedTokens
                        #expect(mask.contains(eos))
                        #expect(mask.contains(Int(UInt8(ascii: " "))) == (trailing < 20))
                        #expect(mask == MaskEquivalenceTests.bruteForceMask(matcher))
                    }
                }
            }
        }
    }

    /// `stepsAfterWhitespace` answers what stepping every configuration of the whitespace
    /// closure answers (each configuration once), along a document with runs between its tokens
    /// and after it, and makes no configuration besides its answers.
    @Test func stepsAfterWhitespaceMatchStepsOfTheClosure() throws {
        let schema = #"""
            {"type": "object", "properties": {"a": {"type": "integer"}, "b": {"type": "array", "items": {"type": "string"}},
             "c": {"type": "object", "properties": {"d": {"type": "boolean"}}}}}
            """#
        let grammar = try CompiledGrammar(Grammar(jsonSchema: JSONValue(parsing: schema)), vocabulary: Self.vocabulary)
        let document = Array(#"{"a": 12 , "b": [ "x" ,"y"\#n] ,"c":{ "d" : true } }"#.utf8)
        grammar.engine.withSpace { space in
            var configs = [space.initial]
            for byte in document { configs.append(space.step(configs[configs.count - 1], byte)) }
            #expect(configs.allSatisfy { $0 >= 0 })
            for config in configs {
                for byte in Array(",\"}]:1t ".utf8) {
                    let before = space.count
                    let answers = space.stepsAfterWhitespace(config, byte)
                    #expect(space.count - before <= answers.count)
                    var closure = [config]
                    var i = 0
                    while i < closure.count {
                        for w: UInt8 in [0x20, 0x0A, 0x09, 0x0D] {
                            let next = space.step(closure[i], w)
                            if next >= 0 && !closure.contains(next) { closure.append(next) }
                        }
                        i += 1
                    }
                    let stepped = Set(closure.map { space.step($0, byte) }.filter { $0 >= 0 })
                    #expect(Set(answers) == stepped && answers.count == stepped.count, "\(config) \(byte)")
                }
            }
        }
    }

    /// A root rule that is called too (recursion through the root): its bottom frame's end is
    /// not known to end the document where the frame is a local configuration's, so a run at
    /// its end is not read as exact; masks still exact.
    @Test func runAtTheEndOfACalledRoot() throws {
        let spaces = Expression.repetition(.byteClass([9...10, 13...13, 32...32]), min: 0, max: 4)
        let nested = Grammar(.choice([.concat([.text("x"), spaces]), .concat([.text("["), .ruleReference("root"), .text("]"), spaces])]))
        let compiled = try CompiledGrammar(nested, vocabulary: Self.vocabulary)
        try Self.expectMasksMatchBruteForce(compiled, documents: ["x    ", "[x  ]   ", "[[x]  ] \n", "[[[x ] ]]"])
        let x = compiled.engine.withSpace { $0.step($0.initial, UInt8(ascii: "x")) }
        #expect(compiled.engine.withSpace { $0.whitespaceReach(x) } == -1)
    }

    /// A definition used in several places (its masks built from local masks, whose bottom
    /// frames return to the places using it), whitespace around its members and after it.
    @Test func definitionSharedByManyContexts() throws {
        let schema = ##"""
            {"$defs": {"p": {"type": "object", "properties": {"a": {"type": "integer"}, "b": {"type": "boolean"}}}},
             "type": "object",
             "properties": {"a": {"$ref": "#/$defs/p"}, "b": {"type": "array", "items": {"$ref": "#/$defs/p"}}}}
            """##
        let grammar = try CompiledGrammar(Grammar(jsonSchema: JSONValue(parsing: schema)), vocabulary: Self.vocabulary)
        try Self.expectMasksMatchBruteForce(grammar, documents: [
            "{\"a\": {\"a\": 1 ,\n  \"b\": true }  ,\n  \"b\": [ {\"a\": 12} ,\n {\"b\": true\n}\n, {}\n] }",
            "{\"b\":[{\"a\":1},{\"a\":1  },{\"a\": 1\n\n}, {\"b\" :\ttrue\t}]}",
        ])
    }

    /// Two grammars with the same shared rules (one `SharedRulePrefix`): the second reads what
    /// the first worked out about the whitespace states, and its masks are still exact.
    @Test func stateReachSharedAcrossGrammars() throws {
        func compile(_ schema: String) throws -> CompiledGrammar {
            try CompiledGrammar(Grammar(jsonSchema: JSONValue(parsing: schema)), vocabulary: Self.vocabulary)
        }
        let first = try compile(#"{"type": "object", "properties": {"a": {"type": "integer"}, "b": {"type": "string"}}}"#)
        let second = try compile(#"{"type": "object", "properties": {"x": {"type": "string"}, "y": {"type": "integer"}, "z": {"type": "object", "properties": {"w": {"type": "integer"}}}}, "required": ["x"]}"#)
        let (prefix, shared) = try #require(first.engine.withSpace { space in
            space.nfa.sharedPrefix.map { ($0.whitespaceReach, space.nfa.sharedStateCount) }
        })
        let sameTable = second.engine.withSpace { $0.nfa.sharedPrefix?.whitespaceReach === prefix }
        #expect(sameTable)
        try Self.expectMasksMatchBruteForce(first, documents: ["{\n  \"a\": 12 ,\n  \"b\": \"x y\"\n}"])
        let known = (0..<shared).filter { prefix.value(of: $0) != 0 }
        #expect(!known.isEmpty)
        // Every shared state's entry is what the second grammar would work out itself.
        second.engine.withSpace { space in
            for state in known {
                let reach = space.computeStateReach(Int32(state))
                #expect(reach.packed == prefix.value(of: state))
            }
        }
        // The chain shortcut (`chainReach`) answers as the search does, for every state.
        for grammar in [first, second] {
            grammar.engine.withSpace { space in
                for state in 0..<space.nfa.stateCount {
                    #expect(space.stateReach(Int32(state)).packed == space.computeStateReach(Int32(state)).packed)
                }
            }
        }
        try Self.expectMasksMatchBruteForce(second, documents: ["{\"x\": \"a\" ,\n \"y\": 1 , \"z\": {\n\"w\" : 12 }\n}"])
    }

    /// Two grammars on one prepared vocabulary (its whitespace subtrees built once), masks
    /// replayed in turns.
    @Test func twoGrammarsShareTheVocabularyTables() throws {
        let first = try CompiledGrammar(Grammar(jsonSchema: JSONValue(parsing: #"{"type": "object", "properties": {"a": {"type": "integer"}}}"#)),
                                        vocabulary: Self.vocabulary)
        let second = try CompiledGrammar(Grammar(jsonSchema: JSONValue(parsing: #"{"type": "array", "items": {"type": "string"}}"#)),
                                         vocabulary: Self.vocabulary)
        for _ in 0..<2 {
            try Self.expectMasksMatchBruteForce(first, documents: ["{\n  \"a\": 12\n}"])
            // The chain shortcut (`chainReach`) answers as the search does, for every state.
        for grammar in [first, second] {
            grammar.engine.withSpace { space in
                for state in 0..<space.nfa.stateCount {
                    #expect(space.stateReach(Int32(state)).packed == space.computeStateReach(Int32(state)).packed)
                }
            }
        }
        try Self.expectMasksMatchBruteForce(second, documents: ["[ \"a\" ,\n  \"x y\" ]"])
        }
    }
}
