/// A regular superset of the ECMA-262 patterns (Unicode mode), the `regex` format's language
/// under `JSONSchemaOptions.FormatSubsets.widen`: every valid pattern and some invalid ones.
///
/// The tokens follow the specification's grammar: pattern characters (not `^ $ \ . * + ? ( )
/// [ ] { } |`), `.`, the assertions `^ $ \b \B` and lookarounds `(?=` `(?!` `(?<=` `(?<!`,
/// escapes (`\d \D \s \S \w \W`, `\p{…}` and `\P{…}`, `\f \n \r \t \v`, `\cA`…, `\0`,
/// `\xHH`, `\uHHHH`, `\u{H…}`, a syntax character or `/`, back-references `\1`… and
/// `\k<name>`), classes `[…]` and `[^…]` (empty ones too), groups `(`, `(?:`, `(?<name>` and
/// modifier groups `(?ims-ims:`, quantifiers `* + ? {n} {n,} {n,m}` with an optional `?`, and
/// alternation. Not checked (so admitted when wrong): range order in classes and quantifiers,
/// back-references to missing groups, duplicate group names, quantified lookbehinds, repeated
/// modifier flags. Parentheses are balanced up to `balancedDepth` groups deep; inside that,
/// group openers and `)` are free tokens, so deeper valid patterns are admitted too.
///
/// Python-only syntax is not in it: `(?P<name>…)`, `(?P=name)`, `(?#…)`, global flags
/// `(?i)`, `\a`, `\Z`, `\A`.
enum RegexSyntaxSuperset {
    /// How deep groups are kept balanced.
    static let balancedDepth = 6

    /// The patterns admitted.
    static let language: Expression = disjunction(depth: balancedDepth)

    private static func disjunction(depth: Int) -> Expression {
        guard depth > 0 else {
            // Innermost: groups are free tokens (admitting every deeper valid pattern).
            return .zeroOrMore(.alternatives([atom, quantifier, groupOpener, .text(")"), .text("|"), assertion]))
        }
        let term = Expression.alternatives([
            assertion,
            .concat([.alternatives([atom, .concat([groupOpener, disjunction(depth: depth - 1), .text(")")])]), .optional(quantifier)]),
        ])
        let alternative = Expression.zeroOrMore(term)
        return .concat([alternative, .zeroOrMore(.concat([.text("|"), alternative]))])
    }

    private static func anyOf(_ characters: String) -> Expression { .characterClass(ScalarSet(characters: characters)) }

    private static let syntaxCharacters = RegexSyntaxLanguage.syntaxCharacters
    private static let hexDigit = RegexSyntaxLanguage.hexDigit
    private static let digit = anyOf("0123456789")
    private static let asciiLetter = Expression.characterClass(ScalarSet([0x41...0x5A, 0x61...0x7A]))

    /// `^`, `$`, `\b`, `\B` (lookarounds are group openers).
    private static let assertion = Expression.alternatives([.text("^"), .text("$"), .text("\\b"), .text("\\B")])

    /// A group name: an identifier of ASCII letters, `$`, `_`, digits after the first, or any
    /// non-ASCII scalar.
    private static let groupName: Expression = {
        let start = Expression.characterClass(ScalarSet([0x24...0x24, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A, 0x80...ScalarSet.maxScalar]))
        let part = Expression.alternatives([start, digit])
        return .concat([.text("<"), start, .zeroOrMore(part), .text(">")])
    }()

    /// `(`, `(?:`, `(?=`, `(?!`, `(?<=`, `(?<!`, `(?<name>`, `(?flags-flags:`.
    private static let groupOpener: Expression = {
        let flags = Expression.zeroOrMore(anyOf("ims"))
        return .alternatives([
            .text("("), .text("(?="), .text("(?!"), .text("(?<="), .text("(?<!"),
            .concat([.text("(?"), groupName]),
            .concat([.text("(?"), flags, .optional(.concat([.text("-"), flags])), .text(":")]),
        ])
    }()

    /// Escapes valid both in and out of classes (after the backslash).
    private static let characterEscape: Expression = .alternatives([
        anyOf("dDsSwWfnrtv0/-" + syntaxCharacters),
        .concat([anyOf("pP"), .text("{"), .oneOrMore(.characterClass(ScalarSet([0x30...0x39, 0x3D...0x3D, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A]))), .text("}")]),
        .concat([.text("c"), asciiLetter]),
        .concat([.text("x"), hexDigit, hexDigit]),
        .concat([.text("u"), .repetition(hexDigit, min: 4, max: 4)]),
        .concat([.text("u{"), .oneOrMore(hexDigit), .text("}")]),
    ])

    /// A pattern character, `.`, an escape or a class.
    private static let atom: Expression = {
        let patternCharacter = Expression.characterClass(ScalarSet(characters: syntaxCharacters).inverted())
        let escape = Expression.concat([.text("\\"), .alternatives([
            characterEscape,
            .concat([anyOf("123456789"), .zeroOrMore(digit)]),
            .concat([.text("k"), groupName]),
        ])])
        let classAtom = Expression.alternatives([
            .characterClass(ScalarSet(characters: "\\]").inverted()),
            .concat([.text("\\"), .alternatives([characterEscape, .text("b")])]),
        ])
        let characterClass = Expression.concat([.text("["), .zeroOrMore(classAtom), .text("]")])
        return .alternatives([patternCharacter, .text("."), escape, characterClass])
    }()

    /// `* + ? {n} {n,} {n,m}`, greedy or lazy.
    private static let quantifier: Expression = {
        let count = Expression.oneOrMore(digit)
        let bounds = Expression.concat([count, .optional(.concat([.text(","), .optional(count)]))])
        return .concat([.alternatives([anyOf("*+?"), .concat([.text("{"), bounds, .text("}")])]), .optional(.text("?"))])
    }()
}
