import Testing
import Grammar
@testable import Automata
@testable import TokenMask

/// Masks of a stack inside a tree of literals (an `enum` of strings), walked with the
/// literals' NFA states instead of a configuration per literal prefix
/// (`ConfigurationSpace.fillAllowedThroughLiterals`): exact against trying each token, also
/// for tokens that run past a literal's end, and inside `uniqueItems` arrays.
@Suite struct LiteralTreeTests {
    /// Names sharing prefixes, one a prefix of another, with a space, an escape and a
    /// multi-byte character; more first bytes than `ConfigurationSpace.minLiteralBytes`.
    static let names = ["Java", "JavaScript", "Jasmin", "Julia", "Go", "Gosu", "Groovy", "C", "C#", "C++", "Clean",
                        "Visual Basic", "Zig", "Zimpl", "Zeek", "a\"b", "é", "éa", "Ada", "Bash", "Dart", "Elm", "Fortran",
                        "Haskell", "Idris", "Kotlin", "Lua", "Nim", "OCaml", "Perl", "Rust", "Swift", "Tcl", "Wren"]
    /// Tokens inside the names, across their ends (`Java"`, `C",`, `"]`) and outside them.
    static let pieces = ["Java", "Ja", "Script", "JavaScript\"", "Java\"", "Java\",", "Java\"]", "C\",\"", "C#\"", "++",
                         "Cle", "an\"}", "Go", "osu", "Gro", "ovy\"]", "Visual", " Basic", "Zi", "mpl\"", "\\\"", "b\"",
                         "é", "éa\"", "\"é", "[\"", "\",\"", "\"]", "\"}", "{\"", "\":\"", "\":[\"", "]}", "\"],\"", "lang", "list"]
    static let vocabulary = RuntimeTests.Fixtures.smallVocabulary(pieces)

    static var enumText: String {
        names.map { "\"\($0.replacingOccurrences(of: "\"", with: "\\\""))\"" }.joined(separator: ", ")
    }

    static func compile(_ schema: String) throws -> CompiledGrammar {
        try CompiledGrammar(Grammar(jsonSchema: JSONValue(parsing: schema), options: .init(whitespace: .compact)),
                            vocabulary: vocabulary)
    }

    @Test func enumMasksMatchBruteForce() throws {
        let schema = #"{"type": "object", "properties": {"lang": {"enum": ["# + Self.enumText + #"]}, "#
            + #""list": {"type": "array", "items": {"enum": ["# + Self.enumText + "]}}}}"
        let grammar = try Self.compile(schema)
        try MaskEquivalenceTests.expectMasksMatchBruteForce(grammar, vocabulary: Self.vocabulary, documents: [
            #"{"lang":"JavaScript"}"#, #"{"lang":"Java"}"#, #"{"lang":"C++","list":["C","C#","Clean"]}"#,
            #"{"list":["Visual Basic","a\"b","éa","é","Zimpl"]}"#, #"{"lang":"Gosu","list":["Groovy"]}"#,
        ], complete: true)
    }

    @Test func uniqueEnumMasksMatchBruteForce() throws {
        let schema = #"{"type": "array", "uniqueItems": true, "items": {"enum": ["# + Self.enumText + "]}}"
        let grammar = try Self.compile(schema)
        try MaskEquivalenceTests.expectMasksMatchBruteForce(grammar, vocabulary: Self.vocabulary, documents: [
            #"["JavaScript","Java","C"]"#, #"["C#","C++","Clean","Go"]"#, #"["a\"b","é","éa","Zig","Zeek"]"#,
        ], complete: true)
    }

    /// The first mask inside the enum makes no configuration per name prefix: only the
    /// configurations after a name's end (one: the closing quote read) and of the prefixes
    /// where the walk leaves the literals.
    @Test func firstMaskInsideTheEnumMakesFewConfigurations() throws {
        let grammar = try Self.compile(#"{"type": "object", "properties": {"list": {"type": "array", "items": {"enum": ["#
                                       + Self.enumText + "]}}}}")
        var matcher = grammar.makeMatcher()
        try matcher.accept(bytes: Array(#"{"list":[""#.utf8))
        let before = grammar.statistics.configurations
        let mask = matcher.mask()
        let made = grammar.statistics.configurations - before
        // 9 here; the usual walk makes one per prefix the tokens reach (54).
        #expect(made <= 12, "\(made) configurations")
        #expect(mask.allowedTokens == MaskEquivalenceTests.bruteForceMask(matcher))
    }
}
