import Testing
import Grammar
import Automata
@testable import TokenMask

/// No dead ends from distinct member names over finite key languages (`ObjectKeyIndex`):
/// exact masks on one-byte vocabularies, agreement of masks with `canAccept`, rollback.
@Suite struct ObjectKeyCompletionTests {
    typealias Fixtures = RuntimeTests.Fixtures

    /// Keys `a` or `b` only, integer values.
    static let twoKeys = #"{"type": "object", "patternProperties": {"^[ab]$": {"type": "integer"}}, "additionalProperties": false}"#

    static func compile(_ schema: String, _ v: PreparedVocabulary, whitespace: JSONSchemaOptions.Whitespace = .compact) throws -> CompiledGrammar {
        let grammar = try JSONSchemaCompiler(options: .init(whitespace: whitespace)).compile(try JSONValue(parsing: schema)).grammar
        return try CompiledGrammar(grammar, vocabulary: v)
    }

    /// A matcher after `text`, fed one byte-token at a time (the vocabulary has every printable byte).
    static func matcher(_ g: CompiledGrammar, after text: String) throws -> Matcher {
        var m = g.makeMatcher()
        for byte in text.utf8 { try m.accept(token: Fixtures.ids([String(UnicodeScalar(byte))], in: g.vocabulary)[0]) }
        return m
    }

    /// The mask, and that `canAccept` agrees with it on every token.
    static func mask(_ m: Matcher) -> [String] {
        #expect(m.mask().allowedTokens == MaskEquivalenceTests.bruteForceMask(m))
        return allowed(m, m.vocabulary)
    }

    @Test func aUsedNameIsNotStartedAgain() throws {
        let g = try Self.compile(Self.twoKeys, Fixtures.smallVocabulary([]))
        #expect(Self.mask(try Self.matcher(g, after: #"{"a":0,""#)) == ["b"])
        #expect(Self.mask(try Self.matcher(g, after: #"{""#)) == ["a", "b"])
    }

    @Test func noMemberOpensOnceEveryNameIsUsed() throws {
        let g = try Self.compile(Self.twoKeys, Fixtures.smallVocabulary([]))
        #expect(Self.mask(try Self.matcher(g, after: #"{"a":0,"b":0"#)) == [".", "E", "e", "}"])
        #expect(Self.mask(try Self.matcher(g, after: #"{"a":0"#)) == [",", ".", "E", "e", "}"])
        // Whitespace may still come before the `}`, not before a comma.
        let flexible = try Self.compile(Self.twoKeys, Fixtures.smallVocabulary([]), whitespace: .flexible(maxRun: 2))
        var m = try Self.matcher(flexible, after: #"{"a":0,"b":0 "#)
        #expect(Self.mask(m) == [" ", "}"])
        m = try Self.matcher(flexible, after: #"{"a":0 , "#)
        #expect(Self.mask(m) == [" ", "\""])
    }

    @Test func aSingleNameIsNotFollowedByAComma() throws {
        // Only `a` may be a key: after its member no other can follow.
        let schema = #"{"type": "object", "patternProperties": {"^a$": {"type": "integer"}}, "additionalProperties": false}"#
        let g = try Self.compile(schema, Fixtures.smallVocabulary([]))
        #expect(Self.mask(try Self.matcher(g, after: #"{"a":0"#)) == [".", "E", "e", "}"])
        // A second member is needed and none can be distinct: no output at all.
        let two = #"{"type": "object", "patternProperties": {"^a$": {}}, "additionalProperties": false, "minProperties": 2}"#
        #expect(Self.mask(try Self.matcher(try Self.compile(two, Fixtures.smallVocabulary([])), after: "")) == [])
    }

    @Test func multiByteTokensAreCheckedToo() throws {
        let v = Fixtures.smallVocabulary([",\"", ",\"a", ",\"b", ",\"a\":", "\"a", "\"b\":"])
        let g = try Self.compile(Self.twoKeys, v)
        var m = try Self.matcher(g, after: #"{"a":0"#)
        var mask = Self.mask(m)
        #expect(mask.contains(",\"") && mask.contains(",\"b") && !mask.contains(",\"a") && !mask.contains(",\"a\":"))
        try m.accept(token: Fixtures.ids([",\"b"], in: v)[0])
        mask = Self.mask(m)
        #expect(mask == ["\""])
        #expect(throws: MatcherError.self) { try m.accept(token: Fixtures.ids(["a"], in: v)[0]) }
        var bytes = try Self.matcher(g, after: #"{"a":0"#)
        #expect(throws: MatcherError.bytesRejected(offset: 2)) { try bytes.accept(bytes: Array(#","a"#.utf8)) }
    }

    /// Whitespace around members and names of two spellings (`/` and `\/`; the checks read what
    /// follows optional whitespace without a configuration per run length, and look for a name
    /// again by its decoded text): a name used in one spelling is not offered in the other.
    @Test func whitespaceAndEscapedNames() throws {
        let schema = #"{"type": "object", "propertyNames": {"enum": ["a", "/"]}, "additionalProperties": {"type": "integer"}}"#
        let g = try Self.compile(schema, Fixtures.smallVocabulary([]), whitespace: .flexible(maxRun: 3))
        #expect(Self.mask(try Self.matcher(g, after: #"{ "\/" : 0 ,  ""#)) == ["a"])
        #expect(Self.mask(try Self.matcher(g, after: #"{ "a" : 0 ,  ""#)) == ["/", "\\"])
        #expect(Self.mask(try Self.matcher(g, after: #"{ "a" : 0 ,  "\"#)) == ["/"])
        #expect(Self.mask(try Self.matcher(g, after: #"{"a":0 , "\/":1  "#)) == [" ", "}"])
        #expect(Self.mask(try Self.matcher(g, after: #"{"a":0 , "\/":1   "#)) == ["}"])
        #expect(Self.mask(try Self.matcher(g, after: #"{"\/":0 ,   "#)) == ["\""])
    }

    @Test func propertyNamesEnum() throws {
        let schema = #"{"type": "object", "propertyNames": {"enum": ["x", "xy"]}, "additionalProperties": {"type": "integer"}}"#
        let g = try Self.compile(schema, Fixtures.smallVocabulary([]))
        #expect(Self.mask(try Self.matcher(g, after: #"{"x":1,""#)) == ["x"])
        #expect(Self.mask(try Self.matcher(g, after: #"{"x":1,"x"#)) == ["y"])
        #expect(Self.mask(try Self.matcher(g, after: #"{"xy":1,"x"#)) == ["\""])
        #expect(!Self.mask(try Self.matcher(g, after: #"{"xy":1,"x":2"#)).contains(","))
    }

    @Test func namesAcrossTheWordsOfReadBytes() throws {
        // `?` (0x3F) and `@` (0x40) sit on either side of the first word boundary of the read-byte
        // sets the search scans, `~` (0x7E) near the next: each must be found as a way on.
        let schema = #"{"type": "object", "propertyNames": {"enum": ["?", "@", "~?"]}, "additionalProperties": {"type": "integer"}}"#
        let g = try Self.compile(schema, Fixtures.smallVocabulary([]))
        #expect(Self.mask(try Self.matcher(g, after: #"{"?":1,""#)) == ["@", "~"])
        #expect(Self.mask(try Self.matcher(g, after: #"{"?":1,"~"#)) == ["?"])
        #expect(Self.mask(try Self.matcher(g, after: #"{"@":1,"~?":2,""#)) == ["?"])
        #expect(Self.mask(try Self.matcher(g, after: #"{"~?":1,""#)) == ["?", "@"])
        #expect(!Self.mask(try Self.matcher(g, after: #"{"?":1,"@":2,"~?":3"#)).contains(","))
    }

    /// Tokens ending in whitespace before a name: the check follows from the place before
    /// their whitespace (`precedesFiniteKey(_:whitespaceAfter:space:)`), which must be theirs.
    @Test func tokensEndingInWhitespaceBeforeAName() throws {
        let v = Fixtures.smallVocabulary(["{ ", "{  ", "  ", " \"", "{ \""])
        func schema(_ least: Int) -> String {
            #"{"type": "object", "patternProperties": {"^[ab]$": {}}, "additionalProperties": false, "minProperties": \#(least)}"#
        }
        // Three members from two names: no object can be written, whatever whitespace follows
        // its brace (whitespace before the document is not checked).
        let dead = try Self.compile(schema(3), v, whitespace: .flexible(maxRun: 3))
        #expect(Set(Self.mask(try Self.matcher(dead, after: ""))) == [" ", "  "])
        let two = try Self.compile(schema(2), v, whitespace: .flexible(maxRun: 3))
        #expect(Set(Self.mask(try Self.matcher(two, after: ""))) == [" ", "  ", "{", "{ ", "{  ", "{ \""])
        #expect(Set(Self.mask(try Self.matcher(two, after: "{ "))) == [" ", "\"", "  ", " \""])
    }

    @Test func propertyNamesPattern() throws {
        let schema = #"{"type": "object", "propertyNames": {"pattern": "^a[bc]$"}, "additionalProperties": {"type": "integer"}}"#
        let g = try Self.compile(schema, Fixtures.smallVocabulary([]))
        #expect(Self.mask(try Self.matcher(g, after: #"{"ab":1,"a"#)) == ["c"])
        #expect(Self.mask(try Self.matcher(g, after: #"{"ac":1,""#)) == ["a"])
        #expect(!Self.mask(try Self.matcher(g, after: #"{"ac":1,"ab":2"#)).contains(","))
    }

    @Test func declaredAndPatternNames() throws {
        let schema = #"""
            {"type": "object", "properties": {"id": {"type": "integer"}}, "required": ["id"],
             "patternProperties": {"^[xy]$": {"type": "integer"}}, "additionalProperties": false}
            """#
        let g = try Self.compile(schema, Fixtures.smallVocabulary([]))
        #expect(Self.mask(try Self.matcher(g, after: #"{"id":1,"x":2,""#)) == ["y"])
        #expect(!Self.mask(try Self.matcher(g, after: #"{"id":1,"x":2,"y":3"#)).contains(","))
        #expect(Self.mask(try Self.matcher(g, after: #"{"id":1,""#)) == ["x", "y"])
    }

    /// Members the grammar requires beyond the names left: `minProperties` over two names.
    @Test func requiredMembersNeedUnusedNames() throws {
        let v = Fixtures.smallVocabulary([])
        let two = try Self.compile(#"{"type": "object", "patternProperties": {"^[ab]$": {}}, "additionalProperties": false, "minProperties": 2}"#, v)
        #expect(Self.mask(try Self.matcher(two, after: #"{"a":0"#)) == [",", ".", "E", "e"])
        #expect(Self.mask(try Self.matcher(two, after: #"{"a":0,""#)) == ["b"])
        // Three members over two names: no document, so no first byte.
        let three = try Self.compile(#"{"type": "object", "patternProperties": {"^[ab]$": {}}, "additionalProperties": false, "minProperties": 3}"#, v)
        #expect(Self.mask(three.makeMatcher()).filter { $0 != " " }.isEmpty)
    }

    /// Only schemas whose extra members' names are narrowed (patterns, `propertyNames`) are
    /// searched for dead ends; declared properties and open names need no search.
    @Test func onlyNarrowedKeyLanguagesAreSearched() throws {
        func narrowed(_ text: String) throws -> Bool {
            try JSONSchemaCompiler(options: .init(whitespace: .compact)).compile(try JSONValue(parsing: text)).grammar.narrowedObjectKeys
        }
        #expect(try narrowed(Self.twoKeys))
        #expect(try narrowed(#"{"type": "object", "propertyNames": {"enum": ["x", "y"]}}"#))
        #expect(try !narrowed(#"{"type": "object", "properties": {"a": {}, "b": {}}, "additionalProperties": false}"#))
        #expect(try !narrowed(#"{"type": "object", "properties": {"a": {}}, "additionalProperties": {"type": "integer"}}"#))
        // Open patterns (every unfinished name ends in infinitely many names) need no search,
        // also with declared names taken out; finite ones and unread intersections do.
        #expect(try !narrowed(#"{"type": "object", "properties": {"x-a": {}}, "patternProperties": {"^x-": {}}, "additionalProperties": false}"#))
        #expect(try !narrowed(#"{"type": "object", "patternProperties": {"^[a-z]+$": {}}, "additionalProperties": false}"#))
        #expect(try !narrowed(#"{"type": "object", "patternProperties": {"id": {}}, "additionalProperties": false}"#))
        #expect(try narrowed(#"{"type": "object", "patternProperties": {"^[a-z]{1,2}$": {}}, "additionalProperties": false}"#))
        // Beside a pattern whose names all hold a byte the first never uses, nothing is taken out.
        #expect(try !narrowed(#"{"type": "object", "patternProperties": {"^[a-z][a-z0-9_-]+$": {}, "^[a-z]+/[a-z]+$": {}}, "additionalProperties": false}"#))
        #expect(try narrowed(#"{"type": "object", "patternProperties": {"^[a-z]+$": {}, "^a[a-z]*$": {"type": "integer"}}, "additionalProperties": false}"#))
        #expect(try narrowed(#"{"type": "object", "patternProperties": {"^(a|b+)$": {}}, "additionalProperties": false}"#))
        #expect(try narrowed(#"{"type": "object", "patternProperties": {"^[a-z]+$": {}}, "propertyNames": {"maxLength": 3}, "additionalProperties": false}"#))
        let v = Fixtures.smallVocabulary([])
        #expect(try Self.compile(#"{"type": "object", "properties": {"a": {}}}"#, v).objectKeys == nil)
        #expect(try Self.compile(Self.twoKeys, v).objectKeys != nil)
    }

    /// Declared properties in any order: optional names may come back in the grammar, so once
    /// both are used no member may open.
    @Test func optionalPropertiesInAnyOrder() throws {
        let schema = #"{"type": "object", "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}}, "additionalProperties": false}"#
        let grammar = try JSONSchemaCompiler(options: .init(whitespace: .compact, propertyOrder: .any)).compile(try JSONValue(parsing: schema)).grammar
        #expect(grammar.narrowedObjectKeys)
        let g = try CompiledGrammar(grammar, vocabulary: Fixtures.smallVocabulary([]))
        #expect(Self.mask(try Self.matcher(g, after: #"{"b":0,""#)) == ["a"])
        #expect(Self.mask(try Self.matcher(g, after: #"{"b":0,"a":1"#)).contains("}"))
        #expect(!Self.mask(try Self.matcher(g, after: #"{"b":0,"a":1"#)).contains(","))
    }

    @Test func rollbackAcrossAName() throws {
        let g = try Self.compile(Self.twoKeys, Fixtures.smallVocabulary([]))
        var m = try Self.matcher(g, after: #"{"a":0,""#)
        let before = Self.mask(m)
        for byte in #"b":1"#.utf8 { try m.accept(token: Fixtures.ids([String(UnicodeScalar(byte))], in: g.vocabulary)[0]) }
        #expect(!Self.mask(m).contains(","))
        try m.rollback(tokens: 4)
        #expect(Self.mask(m) == before)
        try m.rollback(tokens: 2)
        #expect(Self.mask(m).contains(","))
        m.reset()
        #expect(Self.mask(m) == ["{"])
    }
}
