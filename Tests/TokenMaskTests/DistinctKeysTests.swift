import Testing
import Grammar
import Automata
@testable import TokenMask

/// Object member names stay distinct in JSON Schema outputs (`Grammar.distinctObjectKeys`):
/// exact masks on a small vocabulary, rejections, spellings, nesting, rollback.
@Suite struct DistinctKeysTests {
    /// Objects of any lower-case keys to integers.
    static let schema = #"{"type": "object", "additionalProperties": {"type": "integer"}, "minProperties": 2}"#

    static func compile(_ schema: String = DistinctKeysTests.schema, _ v: PreparedVocabulary) throws -> CompiledGrammar {
        let grammar = try JSONSchemaCompiler(options: .init(whitespace: .compact)).compile(try JSONValue(parsing: schema)).grammar
        return try CompiledGrammar(grammar, vocabulary: v)
    }

    static func feed(_ m: inout Matcher, _ pieces: [String], _ v: PreparedVocabulary) throws {
        for id in RuntimeTests.Fixtures.ids(pieces, in: v) { try m.accept(token: id) }
    }

    @Test func maskLeavesOutTokensClosingARepeatedKey() throws {
        let v = RuntimeTests.Fixtures.smallVocabulary(["{\"", "ab", "ab\"", "abc\"", "\":", "\":1", ",\"", "\"ab\":", ",\"ab\":", ",\"ab\":1"])
        let g = try Self.compile(Self.schema, v)
        var m = g.makeMatcher()
        try Self.feed(&m, ["{\"", "ab\"", ":", "1", ",\""], v)
        // In the second key: "ab\"" and any token reaching the closing quote as "ab" are gone.
        var mask = allowed(m, v)
        #expect(!mask.contains("ab\""))
        #expect(mask.contains("ab") && mask.contains("abc\"") && mask.contains("a"))
        try Self.feed(&m, ["ab"], v)
        mask = allowed(m, v)
        #expect(!mask.contains("\"") && !mask.contains("\":") && !mask.contains("\":1"))
        #expect(mask.contains("c"))
        #expect(throws: MatcherError.tokenRejected(token: RuntimeTests.Fixtures.ids(["\":"], in: v)[0])) {
            try m.accept(token: RuntimeTests.Fixtures.ids(["\":"], in: v)[0])
        }
        #expect(!m.canAccept(token: RuntimeTests.Fixtures.ids(["\""], in: v)[0]))
        try Self.feed(&m, ["c", "\":1", "}"], v)
        #expect(m.canTerminate)
    }

    /// Many allowed tokens closing the key: the closing-text table finds the repeating ones,
    /// whatever their spelling; mid-escape, each is read.
    @Test func manyClosingTokensAreLookedUp() throws {
        let fillers = (0..<40).map { "q\($0)\"" }
        let v = RuntimeTests.Fixtures.smallVocabulary(fillers + ["{\"", "ab\"", "b\"", "b\":", "a\\/b\"", "\\u0061b\"", "/b\"", "/c\"", "\":1"])
        let g = try Self.compile(#"{"type": "object", "additionalProperties": {"type": "integer"}}"#, v)
        var m = g.makeMatcher()
        try Self.feed(&m, ["{\"", "ab\"", ":", "1", ",", "\"", "a", "\\", "/", "b\"", ":", "1", ",", "\""], v)
        var mask = allowed(m, v)
        #expect(mask.count > 40)
        #expect(!mask.contains("ab\"") && !mask.contains("a\\/b\"") && !mask.contains("\\u0061b\""))
        #expect(mask.contains("q7\"") && mask.contains("b\"") && mask.contains("b\":"))
        try Self.feed(&m, ["a"], v)
        mask = allowed(m, v)
        #expect(!mask.contains("b\"") && !mask.contains("b\":"))
        #expect(mask.contains("q7\""))
        // Inside an escape: after "a\\", "/b\"" would close the key as "a/b" again.
        var n = m
        try Self.feed(&n, ["\\"], v)
        #expect(!allowed(n, v).contains("/b\""))
        #expect(allowed(n, v).contains("/c\""))
    }

    /// Tokens with three quotes or more read inside a name: those completing only that name are
    /// checked by their text before the first quote (read once per configuration and lexical
    /// signature), those completing another one too are read whole. The masks equal the tokens
    /// accepted one at a time, the second visit of each state (cached) too.
    @Test func tokensWithManyQuotesInsideAName() throws {
        let pieces = ["{\"", "ab\":\"\"}", "ab\":\"\",", "b\":\"\"}", "c\":\"\"}", "\":\"\",", "\":\"x\"}",
                      "c\":\"\",\"ab\":", "c\":\"\",\"d\":", "\":\"\",\"c\":\"\"}", "\":\"\""]
        let v = RuntimeTests.Fixtures.smallVocabulary(pieces)
        let g = try Self.compile(#"{"type": "object", "additionalProperties": {"type": "string"}}"#, v)
        for _ in 0..<2 {
            var m = g.makeMatcher()
            try Self.feed(&m, ["{\"", "ab\":\"\",", "\""], v)
            var mask = allowed(m, v)
            #expect(Set(mask) == Set(MaskEquivalenceTests.bruteForceMask(m).map { String(decoding: v.vocabulary.bytes(of: $0), as: UTF8.self) }))
            #expect(!mask.contains("ab\":\"\"}") && !mask.contains("ab\":\"\",") && !mask.contains("c\":\"\",\"ab\":"))
            #expect(mask.contains("c\":\"\"}") && mask.contains("c\":\"\",\"d\":") && mask.contains("b\":\"\"}"))
            try Self.feed(&m, ["a"], v)
            mask = allowed(m, v)
            #expect(Set(mask) == Set(MaskEquivalenceTests.bruteForceMask(m).map { String(decoding: v.vocabulary.bytes(of: $0), as: UTF8.self) }))
            #expect(!mask.contains("b\":\"\"}") && mask.contains("c\":\"\"}"))
            try Self.feed(&m, ["c"], v)
            mask = allowed(m, v)
            #expect(Set(mask) == Set(MaskEquivalenceTests.bruteForceMask(m).map { String(decoding: v.vocabulary.bytes(of: $0), as: UTF8.self) }))
            // "ac" is new; the token completing "ac" and then "c" is allowed, one completing "ac" twice is not.
            #expect(mask.contains("\":\"\",") && mask.contains("\":\"\",\"c\":\"\"}") && mask.contains("\":\"x\"}"))
            try Self.feed(&m, ["\":\"\",", "\"", "c"], v)
            mask = allowed(m, v)
            #expect(Set(mask) == Set(MaskEquivalenceTests.bruteForceMask(m).map { String(decoding: v.vocabulary.bytes(of: $0), as: UTF8.self) }))
            // "c" is new, but a token completing it twice repeats it.
            #expect(!mask.contains("\":\"\",\"c\":\"\"}") && mask.contains("\":\"x\"}") && mask.contains("\":\"\","))
        }
    }

    @Test func tokensHoldingAWholeRepeatedKeyAreLeftOut() throws {
        let v = RuntimeTests.Fixtures.smallVocabulary(["{\"", "\"ab\":", ",\"ab\":", ",\"ab\":1", ",\"abc\":", "\":1"])
        let g = try Self.compile(Self.schema, v)
        var m = g.makeMatcher()
        try Self.feed(&m, ["{\"", "a", "b", "\":1"], v)
        let mask = allowed(m, v)
        #expect(!mask.contains(",\"ab\":") && !mask.contains(",\"ab\":1"))
        #expect(mask.contains(",\"abc\":") && mask.contains(","))
        // Byte by byte, the second closing quote is where it fails.
        var bytes = m
        #expect(throws: MatcherError.bytesRejected(offset: 4)) { try bytes.accept(bytes: Array(",\"ab\":1".utf8)) }
    }

    @Test func escapedSpellingsCompareUnescaped() throws {
        let v = RuntimeTests.Fixtures.smallVocabulary(["{\"", "a/b\"", "a\\/b\"", "\\/b\"", "\":1"])
        let g = try Self.compile(#"{"type": "object", "additionalProperties": {"type": "integer"}}"#, v)
        var m = g.makeMatcher()
        try Self.feed(&m, ["{\"", "a/b\"", ":", "1", ",", "\"", "a"], v)
        let mask = allowed(m, v)
        #expect(mask.contains("/"))  // continuing the name is fine
        #expect(!mask.contains("\\/b\""))
        // "a\/b" typed out byte by byte is the same name: its closing quote is refused.
        var n = m
        try Self.feed(&n, ["\\", "/", "b"], v)
        #expect(!allowed(n, v).contains("\""))
        #expect(!allowed(n, v).contains("\":1"))
    }

    @Test func namesAreScopedToTheirObject() throws {
        let schema = #"{"type": "object", "additionalProperties": {"type": ["integer", "object"], "additionalProperties": {"type": "integer"}}}"#
        let v = RuntimeTests.Fixtures.smallVocabulary(["{\"", "\":", "},\"", "a\""])
        let g = try Self.compile(schema, v)
        var m = g.makeMatcher()
        // {"a":{"a":1},"a" — the inner "a" is fine, the outer second "a" is not.
        try Self.feed(&m, ["{\"", "a\"", ":", "{\"", "a\"", ":", "1", "},\""], v)
        #expect(!allowed(m, v).contains("a\""))
        #expect(allowed(m, v).contains("b"))
    }

    /// Under `propertyOrder: .any` the grammar takes an optional property in any state; the
    /// check keeps it to one.
    @Test func anyOrderOptionalPropertiesComeOnce() throws {
        let schema = #"{"properties": {"a": {"type": "integer"}, "b": {"type": "integer"}, "c": {"type": "integer"}}, "required": ["a"], "additionalProperties": false}"#
        let v = RuntimeTests.Fixtures.smallVocabulary(["{\"", "a\"", "b\"", "c\"", "\":", ",\""])
        let grammar = try JSONSchemaCompiler(options: .init(whitespace: .compact, propertyOrder: .any))
            .compile(try JSONValue(parsing: schema)).grammar
        var m = try CompiledGrammar(grammar, vocabulary: v).makeMatcher()
        try Self.feed(&m, ["{\"", "b\"", ":", "1", ",\""], v)
        #expect(Set(allowed(m, v).filter { $0.hasSuffix("\"") && $0.count == 2 }) == ["a\"", "c\""])
        try Self.feed(&m, ["a\"", ":", "2", ",\""], v)
        #expect(Set(allowed(m, v).filter { $0.hasSuffix("\"") && $0.count == 2 }) == ["c\""])
        #expect(throws: MatcherError.self) { try Self.feed(&m, ["b\""], v) }
    }

    @Test func rollbackRestoresTheNames() throws {
        let v = RuntimeTests.Fixtures.smallVocabulary(["{\"", "a\"", "\":", ",\""])
        let g = try Self.compile(Self.schema, v)
        var m = g.makeMatcher()
        try Self.feed(&m, ["{\"", "a\"", ":", "1", ",\""], v)
        #expect(!allowed(m, v).contains("a\""))
        try m.rollback(tokens: 4)  // back to {"
        #expect(allowed(m, v).contains("a\""))
        try Self.feed(&m, ["b", "\"", ":", "2", ",\""], v)
        #expect(allowed(m, v).contains("a\""))
        var n = m
        try Self.feed(&n, ["b"], v)
        #expect(!allowed(n, v).contains("\""))
        m.reset()
        try Self.feed(&m, ["{\"", "b", "\"", ":", "2", ",\"", "a\""], v)
        #expect(!m.canTerminate)
    }

    @Test func onlySchemasWithExtraMembersNeedTheCheck() throws {
        func flag(_ text: String) throws -> Bool {
            try JSONSchemaCompiler(options: .init(whitespace: .compact)).compile(try JSONValue(parsing: text)).grammar.distinctObjectKeys
        }
        #expect(try !flag(#"{"type": "object", "properties": {"a": {"type": "integer"}}, "additionalProperties": false}"#))
        #expect(try !flag(#"{"type": "array", "items": {"enum": [1, 2]}}"#))
        #expect(try flag(#"{"type": "object", "properties": {"a": {"type": "integer"}}}"#))
        #expect(try flag(#"{"type": "object", "patternProperties": {"^x": {}}, "additionalProperties": false}"#))
        #expect(try flag(#"{"type": "array", "items": {}}"#))
        #expect(try flag("true"))
    }

    @Test func grammarsWithoutTheFlagAreUnaffected() throws {
        let v = RuntimeTests.Fixtures.smallVocabulary(["{\"", "a\""])
        var grammar = try JSONSchemaCompiler(options: .init(whitespace: .compact))
            .compile(try JSONValue(parsing: Self.schema)).grammar
        #expect(grammar.distinctObjectKeys)
        grammar.distinctObjectKeys = false
        var m = try CompiledGrammar(grammar, vocabulary: v).makeMatcher()
        try Self.feed(&m, ["{\"", "a\"", ":", "1", ",", "\""], v)
        #expect(allowed(m, v).contains("a\""))
    }

    /// The dry run that masks use agrees with really reading the bytes, on random JSON texts
    /// with few distinct names (so repeats are frequent) cut into random chunks.
    @Test func dryRunAgreesWithReading() {
        var random = SplitMix64(seed: 0x5EED)
        func pick(_ n: Int) -> Int { Int(random.next() % UInt64(n)) }
        let names = ["a", "b", "a\\/", "\\u0061", "é", "\\u00e9", "\\ud83d\\ude00", "😀", "\\\"", "ab"]
        func value(_ depth: Int) -> String {
            switch depth > 2 ? pick(3) : pick(5) {
            case 0: return "1"
            case 1: return "\"s\\\"{\""
            case 2: return "true"
            case 3: return "[" + (0..<pick(3)).map { _ in value(depth + 1) }.joined(separator: ",") + "]"
            default: return "{" + (0..<(1 + pick(5))).map { _ in "\"\(names[pick(names.count)])\":" + value(depth + 1) }.joined(separator: ",") + "}"
            }
        }
        var repeats = 0, checks = 0, namesChecks = 0, closingChecks = 0
        for _ in 0..<400 {
            let text = Array(("{\"a\":" + value(0) + ",\"b\":" + value(0) + ",\"\(names[pick(names.count)])\":1}").utf8)
            var tracker = JSONKeyTracker()
            var i = 0
            while i < text.count {
                let chunk = text[i..<min(text.count, i + 1 + pick(8))]
                let predicted = tracker.completesRepeatedKey(chunk)
                var copy = tracker
                let repeated = !copy.consume(chunk)
                #expect(predicted == repeated, "\(String(decoding: text, as: UTF8.self)) at \(i)")
                // The readings masks share per lexical signature agree too: outside a name, the
                // names a chunk completes (read on a tracker with no names); inside one, a
                // chunk's closing text when it has two quotes.
                let quotes = chunk.count { $0 == UInt8(ascii: "\"") }
                if !tracker.isReadingKey, quotes >= 2 {
                    let names = tracker.lexicalCopy.completedNames(chunk)
                    #expect((names.map { tracker.repeatsKey($0) } ?? false) == repeated, "\(String(decoding: text, as: UTF8.self)) at \(i)")
                    namesChecks += 1
                } else if tracker.isReadingKey, quotes == 2, tracker.keyState.escape == .none, tracker.keyState.highSurrogate == nil,
                          let closing = JSONKeyTracker.keyClosingText(chunk) {
                    #expect(tracker.closingRepeatsKey(with: closing) == repeated, "\(String(decoding: text, as: UTF8.self)) at \(i)")
                    closingChecks += 1
                }
                checks += 1
                if repeated { repeats += 1; break }
                tracker = copy
                i += chunk.count
            }
        }
        #expect(repeats > 100 && checks > 1000, "\(repeats) repeats in \(checks) checks")
        #expect(namesChecks > 100 && closingChecks > 20, "\(namesChecks) name readings, \(closingChecks) closing texts")
    }
}
