/// The strings `format: regex` admits: a regular subset of the patterns that both ECMA-262
/// (Unicode mode) and Python's `re` (the engine of common validators) compile.
///
/// Regex syntax nests, so no regular language is exactly the set of valid patterns, and some
/// validity checks (range order, quantifier bounds, group names) are not context-free. This
/// subset keeps only what is valid in both engines wherever it appears:
/// - literals: any scalar but `^ $ \ . * + ? ( ) [ ] { } |`;
/// - escapes: `\d \D \w \W \s \S`, `\n \t \r \f \v`, `\xHH`, `\uHHHH`, and `\` before a
///   syntax character or `/`;
/// - `.`, `^` and `$` (anchors take no quantifier);
/// - classes `[…]` and `[^…]` of at least one item: a literal (not `\ ] [ ^ -`, nor `& ~ |`,
///   which Python warns about when doubled), an escape
///   as above (or `\-`), or a range whose ends are both digits, both lowercase or both
///   uppercase ASCII letters, in order;
/// - capturing and non-capturing groups `(…)`, `(?:…)`, nested at most `maxDepth` deep;
/// - quantifiers `* + ?`, `{n}`, `{n,}` and `{n,m}` (counts of at most 4 digits; `m` has
///   more digits than `n`, or both are single digits in order), each optionally lazy;
/// - alternation, empty alternatives included.
///
/// Valid patterns outside it (lookaround, named groups, backreferences, other ranges, deeper
/// nesting…) are never produced: a completeness relaxation, listed in the compilation.
enum RegexSyntaxLanguage {
    /// The deepest group nesting produced.
    static let maxDepth = 4

    /// The patterns of the subset.
    static let language: Expression = alternation(depth: maxDepth)

    /// An alternation whose groups nest at most `depth` deep.
    private static func alternation(depth: Int) -> Expression {
        let sequence = Expression.zeroOrMore(term(depth: depth))
        return .concat([sequence, .zeroOrMore(.concat([.text("|"), sequence]))])
    }

    /// An anchor, or an atom with an optional quantifier.
    private static func term(depth: Int) -> Expression {
        var atoms = [literal, escape, .text("."), characterClass]
        if depth > 0 {
            let opening = Expression.alternatives([.text("("), .text("(?:")])
            atoms.append(.concat([opening, alternation(depth: depth - 1), .text(")")]))
        }
        return .alternatives([
            .text("^"), .text("$"),
            .concat([.alternatives(atoms), .optional(quantifier)]),
        ])
    }

    /// The characters with a meaning of their own outside classes.
    static let syntaxCharacters = "^$\\.*+?()[]{}|"

    private static let literal = Expression.characterClass(ScalarSet(characters: syntaxCharacters).inverted())

    /// One hexadecimal digit, either case.
    static let hexDigit = Expression.characterClass(ScalarSet(characters: "0123456789abcdefABCDEF"))

    /// An escape valid in and out of classes; `extra`: further characters escapable there.
    private static func escape(alsoEscaping extra: String) -> Expression {
        .concat([.text("\\"), .alternatives([
            .characterClass(ScalarSet(characters: "dDwWsSntrfv/" + syntaxCharacters + extra)),
            .concat([.text("x"), .repetition(hexDigit, min: 2, max: 2)]),
            .concat([.text("u"), .repetition(hexDigit, min: 4, max: 4)]),
        ])])
    }

    private static let escape = escape(alsoEscaping: "")

    /// `[…]` or `[^…]` with at least one item.
    private static let characterClass: Expression = {
        let plain = Expression.characterClass(ScalarSet(characters: "\\][^-&~|").inverted())
        var ranges: [Expression] = []
        for (low, high) in [("0", "9"), ("a", "z"), ("A", "Z")] as [(Unicode.Scalar, Unicode.Scalar)] {
            for start in low.value...high.value {
                ranges.append(.concat([.literal([UInt8(start), UInt8(ascii: "-")]),
                                       .characterClass(ScalarSet(start...high.value))]))
            }
        }
        let item = Expression.alternatives([plain, escape(alsoEscaping: "-")] + ranges)
        return .concat([.text("["), .optional(.text("^")), .oneOrMore(item), .text("]")])
    }()

    /// A greedy or lazy quantifier.
    private static let quantifier: Expression = {
        let digit = Expression.characterClass(ScalarSet(characters: "0123456789"))
        let nonzero = Expression.characterClass(ScalarSet(characters: "123456789"))
        let count = Expression.alternatives([.text("0"), .concat([nonzero, .repetition(digit, min: 0, max: 3)])])
        var orderedSingleDigits: [Expression] = []
        for low in UInt32(0x30)...0x39 {
            orderedSingleDigits.append(.concat([.literal([UInt8(low), UInt8(ascii: ",")]), .characterClass(ScalarSet(low...0x39))]))
        }
        let bounds = Expression.alternatives([
            count,
            .concat([count, .text(",")]),
            .alternatives(orderedSingleDigits),
            .concat([digit, .text(","), nonzero, .repetition(digit, min: 1, max: 3)]),
        ])
        let greedy = Expression.alternatives([
            .characterClass(ScalarSet(characters: "*+?")),
            .concat([.text("{"), bounds, .text("}")]),
        ])
        return .concat([greedy, .optional(.text("?"))])
    }()
}
