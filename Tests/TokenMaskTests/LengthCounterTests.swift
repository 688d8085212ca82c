import Foundation
import Testing
import Grammar
import Automata
@testable import TokenMask

/// `minLength`/`maxLength` above the unrolling threshold (1,000), counted at run time.
@Suite struct LengthCounterTests {
    static func compile(_ schema: String, _ v: PreparedVocabulary = vocabulary(["\"", "a"])) throws -> CompiledGrammar {
        let grammar = try JSONSchemaCompiler(options: .init()).compile(JSONValue(parsing: schema)).grammar
        return try CompiledGrammar(grammar, vocabulary: v)
    }

    /// Whether the document `text` (fed as raw bytes) is accepted.
    static func accepts(_ g: CompiledGrammar, _ text: String) -> Bool {
        var m = g.makeMatcher()
        guard (try? m.accept(bytes: Array(text.utf8))) != nil else { return false }
        return m.canTerminate
    }

    static func quoted(_ body: String) -> String { "\"" + body + "\"" }

    @Test func plainBoundsAreExact() throws {
        let g = try Self.compile(#"{"type":"string","minLength":1200,"maxLength":1500}"#)
        #expect(g.statistics.nfaStates < 500)
        for (n, ok) in [(1199, false), (1200, true), (1500, true), (1501, false)] {
            #expect(Self.accepts(g, Self.quoted(String(repeating: "a", count: n))) == ok, "length \(n)")
        }
    }

    /// Counted regions are kept process-wide under their content with the grammar's rules
    /// inlined: two grammars naming different unit rules alike share nothing, and a pattern
    /// counted in one schema is exact again in the next.
    @Test func countedRegionsSharedAcrossGrammarsByTheirContent() throws {
        let v = vocabulary(["\"", "a", "b", "ab"])
        func grammar(unit: String) -> Grammar {
            var g = Grammar(rules: [Grammar.Rule(name: "root", body: .sequence([.text("\""), .intersection([
                                        .repetition(.choice([.text("a"), .text("b")]), min: 0, max: nil),
                                        .repetition(.ruleReference("u"), min: 0, max: 1_500)]), .text("\"")])),
                                    Grammar.Rule(name: "u", body: .text(unit))], root: "root")
            g.lengthCounter = LengthCounter(unitRule: "u", threshold: 1_000, intersectedThreshold: 32)
            return g
        }
        for (unit, other) in [("a", "b"), ("b", "a"), ("a", "b")] {
            let g = try CompiledGrammar(grammar(unit: unit), vocabulary: v)
            #expect(Self.accepts(g, Self.quoted(String(repeating: unit, count: 1_500))), "unit \(unit)")
            #expect(!Self.accepts(g, Self.quoted(String(repeating: unit, count: 1_501))), "unit \(unit)")
            #expect(!Self.accepts(g, Self.quoted(other)), "unit \(unit)")
            var m = g.makeMatcher()
            try m.accept(bytes: Array(("\"" + String(repeating: unit, count: 1_499)).utf8))
            #expect(allowed(m, v) == ["\"", unit])
            try m.accept(bytes: Array(unit.utf8))
            #expect(allowed(m, v) == ["\""])
        }
        for _ in 0..<2 {
            let g = try Self.compile(#"{"type":"string","pattern":"^([a-z][0-9])+$","maxLength":1001}"#,
                                     vocabulary(["\"", "a", "1", "a1"]))
            #expect(!Self.accepts(g, Self.quoted(String(repeating: "a1", count: 500) + "a")))
            #expect(Self.accepts(g, Self.quoted(String(repeating: "a1", count: 500))))
            #expect(!Self.accepts(g, Self.quoted(String(repeating: "a1", count: 501))))
            var m = g.makeMatcher()
            try m.accept(bytes: Array(Self.quoted(String(repeating: "a1", count: 500)).utf8.dropLast()))
            #expect(allowed(m, vocabulary(["\"", "a", "1", "a1"])) == ["\""])
        }
    }

    @Test func scalarsAndEscapesCountAsOne() throws {
        let g = try Self.compile(#"{"type":"string","maxLength":1001}"#)
        for unit in ["é", "€", "😀", "\\n", "\\u0001", "\\\"", "\\/"] {
            #expect(Self.accepts(g, Self.quoted(String(repeating: unit, count: 1001))), "\(unit) × 1001")
            #expect(!Self.accepts(g, Self.quoted(String(repeating: unit, count: 1002))), "\(unit) × 1002")
        }
        // A scalar is counted when it starts: its first byte past the bound is refused.
        var m = g.makeMatcher()
        try m.accept(bytes: Array(Self.quoted(String(repeating: "é", count: 1001)).utf8.dropLast()))
        #expect(throws: MatcherError.bytesRejected(offset: 0)) { try m.accept(bytes: [0xC3]) }
        #expect(throws: MatcherError.bytesRejected(offset: 0)) { try m.accept(bytes: Array("\\".utf8)) }
    }

    @Test func patternWithLargeMinLength() throws {
        let g = try Self.compile(#"{"type":"string","pattern":"^([a-z][0-9])+$","minLength":1001}"#)
        #expect(!Self.accepts(g, Self.quoted(String(repeating: "a1", count: 500))))
        #expect(Self.accepts(g, Self.quoted(String(repeating: "a1", count: 501))))
        #expect(!Self.accepts(g, Self.quoted(String(repeating: "a1", count: 501) + "a")))
        #expect(!Self.accepts(g, Self.quoted(String(repeating: "a1", count: 500) + "1")))
    }

    @Test func finitePatternBelowMinLengthIsEmpty() throws {
        #expect(throws: GrammarError.self) {
            _ = try Self.compile(#"{"type":"string","pattern":"^[a-z]{3}$","minLength":5000}"#)
        }
        // Under a property it leaves no dead end: the property cannot be started.
        let v = vocabulary(["{", "}", "\"", "a", ":"])
        let g = try Self.compile(#"{"type":"object","properties":{"a":{"type":"string","pattern":"^[a-z]{3}$","minLength":5000}},"additionalProperties":false}"#, v)
        #expect(Self.accepts(g, "{}"))
        var m = g.makeMatcher()
        try m.accept(bytes: Array("{".utf8))
        #expect(allowed(m, v) == ["}"])
    }

    @Test func formatUnderLargeMaxLength() throws {
        let g = try Self.compile(#"{"type":"string","format":"email","maxLength":1024}"#)
        #expect(Self.accepts(g, Self.quoted("john.doe@example.com")))
        let local = String(repeating: "a", count: 1012)
        #expect(Self.accepts(g, Self.quoted(local + "@example.com")))        // 1024
        #expect(!Self.accepts(g, Self.quoted(local + "a@example.com")))      // 1025
        #expect(!Self.accepts(g, Self.quoted("not an email")))
    }

    @Test func wordCountPatternUnderMaxLength() throws {
        // Unrolled, this product needs more than 200,000 states; counted, a few hundred.
        let g = try Self.compile(#"{"type":"string","pattern":"^(?:\\S+\\s+){0,49}\\S+$","minLength":1,"maxLength":500}"#)
        let word = String(repeating: "w", count: 9)
        let fifty = Array(repeating: word, count: 50).joined(separator: " ")  // 499
        #expect(Self.accepts(g, Self.quoted(fifty)))
        #expect(Self.accepts(g, Self.quoted(fifty + "w")))        // 500
        #expect(!Self.accepts(g, Self.quoted(fifty + "ww")))      // 501
        #expect(!Self.accepts(g, Self.quoted(fifty + " w")))      // 51 words
        #expect(!Self.accepts(g, Self.quoted("")))
    }

    /// Random walks where every mask of the counted grammar equals the mask of the same grammar
    /// with its bounds unrolled.
    @Test(arguments: [
        #"{"type":"string","minLength":1003,"maxLength":1010}"#,
        #"{"type":"array","items":{"type":"string","maxLength":1002},"maxItems":3}"#,
        #"{"type":"string","pattern":"^([a-z][0-9])+$","minLength":1001}"#,
        #"{"type":"string","pattern":"^a*1?$","maxLength":250}"#,
        #"{"anyOf":[{"type":"string","maxLength":1004},{"type":"string","pattern":"^a+1$","minLength":1005}]}"#,
        // A run of 40 dots: a length bound, counted with the minimum (every longer completion exists).
        #"{"type":"string","allOf":[{"pattern":"^........................................$"},{"pattern":"a1"},{"pattern":"1a"}]}"#,
    ])
    func countedMasksEqualUnrolledMasks(_ schema: String) throws {
        let v = vocabulary(["\"", "a", "aa", "aaaaaaa", "a\"", "a1", "1", "1\"", "é", "\\n", "\\u0001", "[", "]", ",", "\",\"", "\"]"])
        let counted = try JSONSchemaCompiler(options: .init(whitespace: .compact)).compile(JSONValue(parsing: schema)).grammar
        #expect(counted.lengthCounter != nil)
        var unrolled = counted
        unrolled.lengthCounter = nil
        let a = try CompiledGrammar(counted, vocabulary: v), b = try CompiledGrammar(unrolled, vocabulary: v)
        #expect(a.statistics.nfaStates * 10 < b.statistics.nfaStates)
        var random = SplitMix64(seed: 7)
        for _ in 0..<3 {
            var m = a.makeMatcher(), n = b.makeMatcher()
            while !m.isTerminated {
                let mask = m.mask()
                try #require(mask == n.mask(), "after \(m.acceptedTokenCount) tokens")
                let tokens = mask.allowedTokens
                try #require(!tokens.isEmpty)
                // Mostly the longest tokens, so that walks reach the bounds.
                let token = random.next() % 4 == 0 ? tokens[Int(random.next() % UInt64(tokens.count))] : tokens.max { v.vocabulary.bytes(of: $0).count < v.vocabulary.bytes(of: $1).count }!
                try m.accept(token: token)
                try n.accept(token: token)
            }
        }
    }

    /// Outside every counted region masks are computed without the counter, then the tokens
    /// that enter a region and may fail a guard there read with it: masks equal the unrolled
    /// grammar's, with tokens crossing from free text into a counted string and closing it too
    /// early (`minLength`) or running past its `maxLength`; with whitespace between members too
    /// (runs of it read off the trie's whitespace subtrees).
    @Test(arguments: [JSONSchemaOptions.Whitespace.compact, .flexible(maxRun: 3)])
    func tokensCrossingIntoCountedStrings(_ whitespace: JSONSchemaOptions.Whitespace) throws {
        let schema = #"{"type":"object","properties":{"free":{"type":"string"},"#
            + #""name":{"type":"string","minLength":1002,"maxLength":1005},"#
            + #""code":{"type":"string","pattern":"^a*$","maxLength":33}},"additionalProperties":false}"#
        let a33 = String(repeating: "a", count: 33), a34 = a33 + "a"
        let tokens = ["{", "}", "\"", "a", "aaaaaaa", ":", ",", "\"free\"", "\"name\"", "\"code\"", "\":\"", "\",\"", "\":\"\"",
                      "\",\"name\":\"\"", "\",\"name\":\"a", "\",\"code\":\"" + a33, "\",\"code\":\"" + a34,
                      "a\",\"code\":\"" + a33 + "\"", "a\",\"code\":\"" + a34 + "\"", "\":\"\",\"", "\":\"" + a34,
                      " ", "  ", "    ", "\n ", "\": \"", "\" : \"\"", "\", \"name\": \"\"", "\", \"code\": \"" + a34]
        let v = vocabulary(tokens)
        let counted = try JSONSchemaCompiler(options: .init(whitespace: whitespace)).compile(JSONValue(parsing: schema)).grammar
        var unrolled = counted
        unrolled.lengthCounter = nil
        let a = try CompiledGrammar(counted, vocabulary: v), b = try CompiledGrammar(unrolled, vocabulary: v)
        // From inside the free string: into `name` only without closing it, into `code` up to 33.
        var m = a.makeMatcher()
        try m.accept(bytes: Array(#"{"free":"a"#.utf8))
        let inFree = allowed(m, v)
        #expect(inFree.contains("\",\"name\":\"a") && !inFree.contains("\",\"name\":\"\""))
        #expect(inFree.contains("\",\"code\":\"" + a33) && !inFree.contains("\",\"code\":\"" + a34))
        #expect(inFree.contains("a\",\"code\":\"" + a33 + "\"") && !inFree.contains("a\",\"code\":\"" + a34 + "\""))
        // After a key: `name` cannot close at once, `code` not past 33.
        for (key, refused) in [("name", "\":\"\""), ("code", "\":\"" + a34), ("name", "\" : \"\"")] {
            var k = a.makeMatcher()
            try k.accept(bytes: Array(("{\"" + key).utf8))
            #expect(!allowed(k, v).contains(refused), "\(key)")
        }
        // Every mask equals the unrolled grammar's along random walks.
        var random = SplitMix64(seed: 11)
        for _ in 0..<6 {
            var m = a.makeMatcher(), n = b.makeMatcher()
            while !m.isTerminated && m.acceptedTokenCount < 400 {
                let mask = m.mask()
                try #require(mask == n.mask(), "after \(m.acceptedTokenCount) tokens")
                let tokens = mask.allowedTokens
                try #require(!tokens.isEmpty)
                let token = random.next() % 4 != 0 ? tokens.max { v.vocabulary.bytes(of: $0).count < v.vocabulary.bytes(of: $1).count }!
                    : tokens[Int(random.next() % UInt64(tokens.count))]
                try m.accept(token: token)
                try n.accept(token: token)
            }
        }
    }

    @Test func exactMasksAtTheBounds() throws {
        let v = vocabulary(["\"", "a", "aa", "a\"", "aa\""])
        let upper = try Self.compile(#"{"type":"string","maxLength":1001}"#, v)
        var m = upper.makeMatcher()
        try m.accept(bytes: Array(("\"" + String(repeating: "a", count: 999)).utf8))
        #expect(allowed(m, v) == ["\"", "a", "aa", "a\"", "aa\""])
        try m.accept(token: 1)  // 1000
        #expect(allowed(m, v) == ["\"", "a", "a\""])
        try m.accept(token: 1)  // 1001
        #expect(allowed(m, v) == ["\""])

        let lower = try Self.compile(#"{"type":"string","minLength":1001}"#, v)
        m = lower.makeMatcher()
        try m.accept(bytes: Array(("\"" + String(repeating: "a", count: 999)).utf8))
        #expect(allowed(m, v) == ["a", "aa", "aa\""])
        try m.accept(token: 1)  // 1000
        #expect(allowed(m, v) == ["a", "aa", "a\"", "aa\""])
        try m.accept(token: 1)  // 1001
        #expect(allowed(m, v) == ["\"", "a", "aa", "a\"", "aa\""])
        try m.accept(token: 0)
        #expect(allowed(m, v) == ["<5>"])
    }

    @Test func alternativesWithDifferentBounds() throws {
        let g = try Self.compile(#"{"anyOf":[{"type":"string","maxLength":1100},{"type":"string","pattern":"^b","maxLength":1200}]}"#)
        #expect(Self.accepts(g, Self.quoted(String(repeating: "a", count: 1100))))
        #expect(!Self.accepts(g, Self.quoted(String(repeating: "a", count: 1101))))
        #expect(Self.accepts(g, Self.quoted(String(repeating: "b", count: 1200))))
        #expect(!Self.accepts(g, Self.quoted(String(repeating: "b", count: 1201))))
    }

    @Test func countedValuesInsideObjects() throws {
        let schema = #"{"type":"object","patternProperties":{"^x":{"type":"string","maxLength":65535}},"additionalProperties":false}"#
        let g = try Self.compile(schema)
        #expect(Self.accepts(g, "{\"x1\":\"" + String(repeating: "z", count: 2000) + "\",\"x2\":\"\"}"))
        #expect(!Self.accepts(g, "{\"y\":\"\"}"))
    }

    @Test func longStringTokenByToken() throws {
        let v = vocabulary(["\"", "a", "aaaa", "aaaaaaaa"])
        let g = try Self.compile(#"{"type":"string","maxLength":65535}"#, v)
        var m = g.makeMatcher()
        try m.accept(token: 0)
        for _ in 0..<(65528 / 8) {
            #expect(m.mask().allowedTokens == [0, 1, 2, 3])
            try m.accept(token: 3)
        }
        #expect(allowed(m, v) == ["\"", "a", "aaaa"])   // 65528 read: 7 more at most
        try m.accept(token: 2)
        try m.accept(token: 1)
        try m.accept(token: 1)
        try m.accept(token: 1)  // 65535
        #expect(allowed(m, v) == ["\""])
        var over = m
        #expect(throws: MatcherError.tokenRejected(token: 1)) { try over.accept(token: 1) }
        try m.accept(token: 0)
        #expect(m.canTerminate)
        // Masks far from the bound are shared: a few cached masks, not one per position.
        #expect(g.statistics.cachedMasks < 40)
    }

    @Test func rollbackAcrossACountedRegion() throws {
        let v = vocabulary(["\"", "a", "aa", "a\"", "aa\""])
        let g = try Self.compile(#"{"type":"string","maxLength":1001}"#, v)
        var m = g.makeMatcher()
        try m.accept(bytes: Array(("\"" + String(repeating: "a", count: 997)).utf8))
        let before = m.mask()
        try m.accept(token: 2)
        try m.accept(token: 2)  // 1001
        #expect(allowed(m, v) == ["\""])
        try m.rollback(tokens: 2)
        #expect(m.mask() == before)
        try m.accept(token: 2)
        try m.accept(token: 1)  // 1000
        #expect(allowed(m, v) == ["\"", "a", "a\""])
    }

    @Test func absurdBoundsCompileInConstantSpace() throws {
        let v = vocabulary(["\"", "a", "aa"])
        let huge = try Self.compile(#"{"type":"string","maxLength":1000000000000}"#, v)
        #expect(Self.accepts(huge, Self.quoted(String(repeating: "a", count: 3000))))
        let long = try Self.compile(#"{"type":"string","minLength":1000000000}"#, v)
        var m = long.makeMatcher()
        try m.accept(bytes: Array(("\"" + String(repeating: "a", count: 3000)).utf8))
        #expect(allowed(m, v) == ["a", "aa"])
        #expect(long.statistics.nfaStates < 500)
    }

    @Test func runOfOneSetIsALengthBound() throws {
        // `^.{60}$` with six substrings: unrolled, 60 positions times the substrings' product.
        let dots = String(repeating: ".", count: 60)
        let patterns = ["^\(dots)$", "ab1", "b12", "bc1", "c12", "ca1", "a12", "^\\\\w*$", "[Aa][12].*[Zz]"]
        let schema = #"{"type":"string","maxLength":200,"allOf":["# + patterns.map { #"{"pattern":"\#($0)"}"# }.joined(separator: ",") + "]}"
        let g = try Self.compile(schema)
        #expect(g.statistics.nfaStates < 50_000)
        let core = "ab12bc12ca12Z"  // 13 scalars holding every substring
        for (length, ok) in [(59, false), (60, true), (61, false)] {
            let text = core + String(repeating: "x", count: length - core.count)
            #expect(Self.accepts(g, Self.quoted(text)) == ok, "length \(length)")
        }
        #expect(!Self.accepts(g, Self.quoted("ab12bc12ca1Z" + String(repeating: "x", count: 48))))  // no a12
        #expect(!Self.accepts(g, Self.quoted(core + String(repeating: "x", count: 46) + "-")))      // not \w
        // Near the bound, only the tokens that keep every substring reachable are allowed.
        let v = vocabulary(["\"", "x", "ab12", "bc12", "ca12", "Z", "ab12bc12ca12Z"])
        let h = try Self.compile(schema, v)
        var m = h.makeMatcher()
        try m.accept(bytes: Array(("\"" + String(repeating: "x", count: 47)).utf8))
        #expect(allowed(m, v) == ["ab12", "bc12", "ca12", "ab12bc12ca12Z"])
        try m.accept(bytes: Array("ab12bc12ca12Z".utf8))
        #expect(allowed(m, v) == ["\""])
    }

    @Test func minimumIsUnrolledWhenSomeLongerCompletionIsMissing() throws {
        // Only even lengths complete, so a count the maximum admits may still have no completion
        // long enough: the automaton unrolls the minimum.
        let v = vocabulary(["\"", "a", "aa"])
        let g = try Self.compile(#"{"type":"string","pattern":"^(aa)+$","minLength":41,"maxLength":60}"#, v)
        for (n, ok) in [(40, false), (41, false), (42, true), (59, false), (60, true), (62, false)] {
            #expect(Self.accepts(g, Self.quoted(String(repeating: "a", count: n))) == ok, "length \(n)")
        }
        var m = g.makeMatcher()
        try m.accept(bytes: Array(("\"" + String(repeating: "a", count: 40)).utf8))
        #expect(allowed(m, v) == ["a", "aa"])
        try m.accept(bytes: Array("aa".utf8))
        #expect(allowed(m, v) == ["\"", "a", "aa"])
    }

    @Test func allany17CompilesWithItsLengthCounted() throws {
        let path = "/work/shared/conformance/jsonschemabench/Handwritten/allany17.json"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return }
        let g = try Self.compile(text)
        #expect(g.statistics.nfaStates < 50_000)
        let valid = "typegartBlobqualityificrscheinThinStringnsicbc12aca12ab12Za2"
        #expect(valid.count == 60)
        #expect(Self.accepts(g, Self.quoted(valid)))
        #expect(!Self.accepts(g, Self.quoted(String(valid.dropFirst()))))
        #expect(!Self.accepts(g, Self.quoted("x" + valid)))
        #expect(!Self.accepts(g, Self.quoted(valid.replacingOccurrences(of: "a2", with: "b2"))))
    }

    /// Beside a unique array, bounds are unrolled (the run-time checks of unique arrays step
    /// configurations without counters): a pattern of 1 to 4 segments of 1 to 32 characters
    /// outside `\s` under `maxLength: 128` (winget's `PackageIdentifier`) fits the state
    /// budget once the pattern's automaton is minimized before the product.
    @Test func patternUnderMaxLengthBesideAUniqueArray() throws {
        let segment = #"[^\\.\\s\\\\/:\\*\\?\"<>\\|\\x01-\\x1f]{1,32}"#
        let schema = #"{"properties": {"codes": {"type": "array", "items": {"type": "integer"}, "uniqueItems": true},"#
            + #" "id": {"type": "string", "pattern": "^\#(segment)(\\.\#(segment)){1,3}$", "maxLength": 128}}}"#
        let g = try Self.compile(schema)
        func id(_ lengths: [Int]) -> String { #"{"id":""# + lengths.map { String(repeating: "é", count: $0) }.joined(separator: ".") + #""}"# }
        // Four segments and three dots: at most 125 characters in the segments.
        for (lengths, ok) in [([1, 1], true), ([32, 32, 32, 29], true), ([31, 31, 31, 32], true), ([32, 32, 32, 30], false),
                              ([32, 32, 32, 32], false), ([1], false), ([33, 1], false), ([1, 1, 1, 1, 1], false)] {
            #expect(Self.accepts(g, id(lengths)) == ok, "\(lengths)")
        }
        #expect(Self.accepts(g, #"{"codes":[1,2],"id":"a.b c"}"#) == false)
        #expect(Self.accepts(g, #"{"codes":[1,2],"id":"a.b"}"#))
    }

    @Test func minLengthOfAPatternUnderMaxLengthIsUnrolledWithinBudget() throws {
        let schema = #"{"type":"string","pattern":"^a+$","minLength":60000,"maxLength":70000}"#
        #expect {
            _ = try Self.compile(schema)
        } throws: { error in
            guard let error = error as? GrammarError else { return false }
            return error.code == .limitExceeded && "\(error)".contains("/minLength")
        }
    }
}
