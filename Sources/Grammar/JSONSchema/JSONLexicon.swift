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
    static let documentRule = "document.ws"

    /// The whitespace allowed between two tokens (`.empty` when compact).
    let whitespace: Expression

    /// `ws "," ws`: between array elements and object members (built once per lexicon: builders
    /// read it per member and element).
    let comma: Expression

    /// The lexemes of integers (`NumberLanguage.Fractions.none` in draft-04).
    let integerFractions: NumberLanguage.Fractions

    /// The shared rules, by name, in simplified form (see `GrammarSimplifier.simplify`), each
    /// with the sorted names of the rules it refers to. Unused ones are dropped when the
    /// grammar is simplified.
    let rules: [SharedRule]

    init(_ policy: JSONSchemaOptions.Whitespace, integerFractions: NumberLanguage.Fractions) {
        self.integerFractions = integerFractions
        whitespace = JSONLexicon.whitespace(policy)
        comma = .concat([whitespace, .text(","), whitespace])
        rules = policy == JSONLexicon.defaultPolicy
            ? JSONLexicon.defaultRules[integerFractions]!
            : JSONLexicon.makeRules(policy, integerFractions: integerFractions)
    }

    /// A lexicon without rules, to build them with.
    private init(policy: JSONSchemaOptions.Whitespace) {
        integerFractions = .any
        whitespace = JSONLexicon.whitespace(policy)
        comma = .concat([whitespace, .text(","), whitespace])
        rules = []
    }

    private static func whitespace(_ policy: JSONSchemaOptions.Whitespace) -> Expression {
        switch policy {
        case .flexible(let maxRun) where maxRun > 0: .ruleReference(JSONLexicon.whitespaceRule)
        default: .empty
        }
    }

    /// The default whitespace policy, whose rules are built once per process: the same bodies
    /// in every grammar, which automata caches then recognize at once (`Grammar.Rule.isShared`).
    private static let defaultPolicy = JSONSchemaOptions().whitespace
    private static let defaultRules: [NumberLanguage.Fractions: [SharedRule]] = Dictionary(
        uniqueKeysWithValues: [NumberLanguage.Fractions.any, .zerosOnly, .none].map { ($0, makeRules(defaultPolicy, integerFractions: $0)) })

    /// Makes the root of `grammar` the whole document, `ws root ws`, when the policy allows
    /// whitespace: JSON allows it around the document too, and SentencePiece tokenizers even
    /// start a generation with a space-prefixed token (`▁{`).
    ///
    /// The leading run calls the shared whitespace rule (defined first where the schema's own
    /// rules do not use it), whose automaton states and whitespace analysis every grammar
    /// with the same shared rules reads from one process-wide table (`SharedRulePrefix`), so a
    /// first mask does not analyse a run of its own. The trailing run is the same language
    /// written in place: a call there would be the document rule's last symbol, so its frame
    /// would replace the document's at the bottom of the stack (a tail call), where no
    /// analysis can tell the document's end from a local configuration's cut.
    func wrapDocument(_ grammar: inout Grammar) {
        guard let run = rules.first(where: { $0.name == JSONLexicon.whitespaceRule }) else { return }
        if grammar.rule(named: run.name) == nil { grammar.define(run.name, run.body, isShared: true) }
        grammar.define(JSONLexicon.documentRule, .concat([whitespace, .ruleReference(grammar.root), run.body]))
        grammar.root = JSONLexicon.documentRule
    }

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

    /// The shared rules for `policy` and `integerFractions`.
    private static func makeRules(_ policy: JSONSchemaOptions.Whitespace, integerFractions: NumberLanguage.Fractions) -> [SharedRule] {
        let lexicon = JSONLexicon(policy: policy)
        var rules: [(name: String, body: Expression)] = []
        if case .flexible(let maxRun) = policy, maxRun > 0 {
            rules.append((JSONLexicon.whitespaceRule, .repetition(.byteClass([0x09...0x0A, 0x0D...0x0D, 0x20...0x20]), min: 0, max: maxRun)))
        }
        let value = Expression.ruleReference(JSONLexicon.valueRule)
        let string = Expression.ruleReference(JSONLexicon.stringRule)
        let member = lexicon.member(key: string, value: value)
        rules += [
            (JSONLexicon.valueRule, .choice([
                .ruleReference(JSONLexicon.objectRule), .ruleReference(JSONLexicon.arrayRule), string,
                .ruleReference(JSONLexicon.numberRule), .text("true"), .text("false"), .text("null"),
            ])),
            (JSONLexicon.objectRule, lexicon.bracketed("{", .concat([member, .zeroOrMore(.concat([lexicon.comma, member]))]), "}", allowsEmpty: true)),
            (JSONLexicon.arrayRule, lexicon.bracketed("[", .concat([value, .zeroOrMore(.concat([lexicon.comma, value]))]), "]", allowsEmpty: true)),
            (JSONLexicon.stringRule, .concat([.text("\""), .zeroOrMore(.ruleReference(JSONLexicon.characterRule)), .text("\"")])),
        ]
        return rules.map { SharedRule(name: $0.name, SimplifiedBody($0.body)) } + [
            SharedRule(name: JSONLexicon.characterRule, JSONLexicon.characterBody),
            SharedRule(name: JSONLexicon.numberRule, JSONLexicon.numberBody(.any)),
            SharedRule(name: JSONLexicon.integerRule, JSONLexicon.numberBody(integerFractions)),
        ]
    }

    /// A shared rule: its name, simplified body, and the rules it refers to.
    struct SharedRule {
        let name: String
        let simplified: SimplifiedBody
        var body: Expression { simplified.body }
        var references: [String] { simplified.references }

        init(name: String, _ simplified: SimplifiedBody) {
            self.name = name
            self.simplified = simplified
        }
    }

    /// A rule body as `GrammarSimplifier` rebuilds it and, when it refers to rules (a rule
    /// referring to none is shared, and never factored), as `AlternativeFactoring` factors it
    /// after that: done once here, so schema grammars neither simplify nor factor the lexicon
    /// again. With the sorted names of the rules it refers to.
    struct SimplifiedBody {
        let body: Expression
        let references: [String]

        init(_ body: Expression) {
            let rebuilt = GrammarSimplifier.rebuild(body) { _ in nil }
            references = rebuilt.referencedRules.sorted()
            self.body = references.isEmpty ? rebuilt : AlternativeFactoring.factoredIfChanged(rebuilt) ?? rebuilt
        }
    }

    /// The encodings of one scalar, built once per process (every schema grammar has them).
    private static let characterBody = SimplifiedBody(JSONStringEncoding.encode(ScalarSet.all))

    /// The lexemes of numbers with each kind of fraction, built once per process.
    private static let numberBodies = (any: SimplifiedBody(NumberLanguage.any(.any)),
                                       zerosOnly: SimplifiedBody(NumberLanguage.any(.zerosOnly)),
                                       none: SimplifiedBody(NumberLanguage.any(.none)))

    private static func numberBody(_ fractions: NumberLanguage.Fractions) -> SimplifiedBody {
        switch fractions {
        case .any: numberBodies.any
        case .zerosOnly: numberBodies.zerosOnly
        case .none: numberBodies.none
        }
    }
}
