/// The rules of plain JSON text shared by every schema grammar: whitespace, any value, and
/// the lexemes of strings and numbers. Schema rules refer to them by name.
struct JSONLexicon {
    static let whitespaceRule = "json-ws"
    static let valueRule = "json-value"
    static let objectRule = "json-object"
    static let arrayRule = "json-array"
    static let stringRule = "json-string"
    static let characterRule = "json-char"
    static let numberRule = "json-number"
    static let integerRule = "json-integer"

    /// The whitespace allowed between two tokens (`.empty` when compact).
    let whitespace: Expression

    /// The lexemes of integers (`NumberLanguage.Fractions.none` in draft-04).
    let integerFractions: NumberLanguage.Fractions

    init(_ policy: JSONSchemaOptions.Whitespace, integerFractions: NumberLanguage.Fractions) {
        self.integerFractions = integerFractions
        switch policy {
        case .flexible(let maxRun) where maxRun > 0: whitespace = .ruleReference(JSONLexicon.whitespaceRule)
        default: whitespace = .empty
        }
        self.policy = policy
    }

    private let policy: JSONSchemaOptions.Whitespace

    /// `ws "," ws`: between array elements and object members.
    var comma: Expression { .concat([whitespace, .text(","), whitespace]) }

    /// `key ws ":" ws value`: one object member.
    func member(key: Expression, value: Expression) -> Expression {
        .concat([key, whitespace, .text(":"), whitespace, value])
    }

    /// `"[" ws first (ws "," ws next)* ws "]"`-style brackets around non-empty `content`, or
    /// `"[" ws "]"` when `allowsEmpty`.
    func bracketed(_ open: String, _ content: Expression, _ close: String, allowsEmpty: Bool) -> Expression {
        .alternatives([
            allowsEmpty ? .concat([.text(open), whitespace, .text(close)]) : .nothing,
            .concat([.text(open), whitespace, content, whitespace, .text(close)]),
        ])
    }

    /// The shared rules, by name. Unused ones are dropped when the grammar is simplified.
    var rules: [(name: String, body: Expression)] {
        var rules: [(name: String, body: Expression)] = []
        if case .flexible(let maxRun) = policy, maxRun > 0 {
            rules.append((JSONLexicon.whitespaceRule, .repetition(.byteClass([0x09...0x0A, 0x0D...0x0D, 0x20...0x20]), min: 0, max: maxRun)))
        }
        let value = Expression.ruleReference(JSONLexicon.valueRule)
        let string = Expression.ruleReference(JSONLexicon.stringRule)
        let member = self.member(key: string, value: value)
        rules += [
            (JSONLexicon.valueRule, .choice([
                .ruleReference(JSONLexicon.objectRule), .ruleReference(JSONLexicon.arrayRule), string,
                .ruleReference(JSONLexicon.numberRule), .text("true"), .text("false"), .text("null"),
            ])),
            (JSONLexicon.objectRule, bracketed("{", .concat([member, .zeroOrMore(.concat([comma, member]))]), "}", allowsEmpty: true)),
            (JSONLexicon.arrayRule, bracketed("[", .concat([value, .zeroOrMore(.concat([comma, value]))]), "]", allowsEmpty: true)),
            (JSONLexicon.stringRule, .concat([.text("\""), .zeroOrMore(.ruleReference(JSONLexicon.characterRule)), .text("\"")])),
            (JSONLexicon.characterRule, JSONStringEncoding.encode(ScalarSet.all)),
            (JSONLexicon.numberRule, NumberLanguage.any(.any)),
            (JSONLexicon.integerRule, NumberLanguage.any(integerFractions)),
        ]
        return rules
    }
}
