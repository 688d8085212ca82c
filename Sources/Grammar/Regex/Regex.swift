/// A parsed ECMA-262 regular expression, as JSON Schema's `pattern` and `patternProperties`
/// use them: Unicode mode (`u` flag), no other flags.
///
/// A regex is turned into grammar IR in one of two readings:
/// - `matchLanguage()`: the strings the regex matches in full;
/// - `searchLanguage()`: the strings containing a match, as JSON Schema's `pattern` means.
///
/// Supported: literals and escapes (`\t \n \v \f \r \0 \cX \xHH \uHHHH \u{H…}`, surrogate
/// pairs, identity escapes of ASCII punctuation), `.`, `\d \w \s` and their negations,
/// `\p{…}`/`\P{…}` for general categories and binary properties, bracketed classes, groups
/// (capturing, non-capturing and named, all alike here), alternation, greedy and lazy
/// quantifiers, `^`/`$` anywhere in the pattern, the Annex B literals `]`, `}` and a `{`
/// that starts no quantifier, lookaheads `(?=…)`/`(?!…)` anywhere but inside a group
/// repeated without bound (groups around them are spelled out into top-level alternatives,
/// up to 1,000), lowered exactly to intersections and differences with the text that
/// follows them up to the input's end, lookaheads heading a repeated one-character group
/// that ends the pattern (`^((?!mode).)*$`: the characters none of whose
/// suffixes fails them), and word boundaries `\b`/`\B` in a top-level alternative of the
/// pattern (no empty match between two of them), each side kept where it ends or starts
/// with a word character or not.
///
/// Rejected as `unsupportedRegex`: lookbehind, other lookaheads inside groups repeated
/// without bound or with `^` in their body, a repeated lookahead group before anything but `$`, backreferences, word
/// boundaries inside groups or after a lookahead, inline modifiers, `{,n}` (a quantifier in
/// other engines), and the `Script`, `Script_Extensions`, `Emoji_Component` and
/// `Extended_Pictographic` properties. Malformed patterns are `invalidRegex`; repetition
/// counts above 100,000 and groups nested deeper than 1,000 are `limitExceeded`.
public struct Regex: Sendable, Hashable {
    /// The pattern's source text.
    public let pattern: String
    private let tree: RegexAST.Node

    /// Parses `pattern`.
    ///
    /// Errors locate the offending construct by UTF-8 byte offset into `pattern`, with its
    /// 1-based line and column (the column counted in bytes).
    public init(_ pattern: String) throws(GrammarError) {
        var parser = RegexParser(pattern)
        self.tree = try parser.parse()
        self.pattern = pattern
    }

    /// The strings, as UTF-8, that the whole regex matches: `^` and `$` hold only at the
    /// start and end of the string.
    ///
    /// Throws `limitExceeded` when anchors inside nested quantifiers make the language too
    /// large to write down.
    public func matchLanguage() throws(GrammarError) -> Expression {
        try tree.topLevelLanguage(textMayFollow: false).wholeInputLanguage
    }

    /// The strings, as UTF-8, that contain a match of the regex somewhere: JSON Schema's
    /// unanchored `pattern` semantics. `^` holds only at the start of the string and `$` only
    /// at its end, wherever they appear in the pattern.
    ///
    /// Throws `limitExceeded` when anchors inside nested quantifiers make the language too
    /// large to write down.
    public func searchLanguage() throws(GrammarError) -> Expression {
        try searchLanguage(.ecma262)
    }

    /// `searchLanguage()` under `reading`: ECMA-262's, a subset both ECMA-262 and Python's
    /// `re` agree match (`matchedByBoth`), or a superset of what either matches
    /// (`matchedByEither`, which also holds every string ending in `\n`, where Python's `$`
    /// may hold before the final newline).
    public func searchLanguage(_ reading: Reading) throws(GrammarError) -> Expression {
        let language = try tree.topLevelLanguage(textMayFollow: true, reading: reading).containingLanguage
        guard reading == .matchedByEither else { return language }
        return .alternatives([language, .concat([.anyText, .text("\n")])])
    }

    /// Whether both regexes have the same pattern text.
    public static func == (a: Regex, b: Regex) -> Bool { a.pattern == b.pattern }

    /// Hashes the pattern text.
    public func hash(into hasher: inout Hasher) { hasher.combine(pattern) }
}
