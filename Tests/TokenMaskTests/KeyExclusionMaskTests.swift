import Testing
import Grammar
import Automata
@testable import TokenMask

/// Exact masks where an object's extra keys exclude its declared names (`WordExclusion`): a
/// declared name spelled with an escape (`a\/b` for `a/b`) is the declared member, not an extra
/// one, and a key that merely starts like a declared name is an extra one.
@Suite struct KeyExclusionMaskTests {
    static let schema = #"""
    {"type": "object", "properties": {"a/b": {"type": "integer"}, "ab": {"type": "integer"}},
     "additionalProperties": {"type": "string"}}
    """#

    static let tokens = ["{\"", "a", "b", "/", "\\/", "\\", "\"", "\":", "\"a/b\":", "1", "\"x\"", "}", "c", "ab\"", "b\""]

    static func masks(after pieces: [String]) throws -> Set<String> {
        let v = vocabulary(tokens)
        let grammar = try JSONSchemaCompiler(options: .init(whitespace: .compact)).compile(try JSONValue(parsing: schema)).grammar
        var m = try CompiledGrammar(grammar, vocabulary: v).makeMatcher()
        for piece in pieces { try m.accept(token: tokens.firstIndex(of: piece)!) }
        return Set(allowed(m, v))
    }

    /// Any key content (braces too), or a quote closing the empty key, `ab` (declared) or `b` (extra).
    static let keyContent: Set<String> = ["{\"", "}", "a", "b", "/", "\\/", "\\", "\"", "\":", "1", "c", "ab\"", "b\""]

    @Test func declaredNamesAndTheirSpellings() throws {
        let start = try Self.masks(after: ["{\""])
        #expect(start == Self.keyContent, "\(start.sorted())")
        let inside = try Self.masks(after: ["{\"", "a", "\\/", "b"])
        #expect(inside == Self.keyContent, "\(inside.sorted())")
        // `a\/b` is the declared `a/b`: its value is an integer, not a string.
        #expect(try Self.masks(after: ["{\"", "a", "\\/", "b", "\":"]) == ["1"])
        #expect(try Self.masks(after: ["{\"", "a", "/", "b", "\":"]) == ["1"])
        #expect(try Self.masks(after: ["{\"", "a", "b", "\":"]) == ["1"])
        // Near misses are extra keys: string values.
        #expect(try Self.masks(after: ["{\"", "a", "\\/", "b", "c", "\":"]) == ["\"", "\":", "\"x\""])
        #expect(try Self.masks(after: ["{\"", "a", "\\/", "\":"]) == ["\"", "\":", "\"x\""])
        #expect(try Self.masks(after: ["{\"", "b", "\":"]) == ["\"", "\":", "\"x\""])
        #expect(try Self.masks(after: ["{\"", "\":"]) == ["\"", "\":", "\"x\""])
    }
}
