/// Translates a schema document into a grammar.
///
/// Every subschema the output can reach becomes a rule, named after its JSON Pointer and
/// shared by everything that refers to it, so recursive schemas give recursive grammars.
/// A rule stands for a *conjunction* of schemas — the closure of some schemas under `$ref` and
/// `allOf` — whose assertions are merged exactly (`SchemaConstraints`). An `anyOf`/`oneOf` in
/// the conjunction is distributed: the rule chooses among the conjunctions extended by one
/// branch each.
struct SchemaGrammarBuilder {
    let document: SchemaDocument
    let options: JSONSchemaOptions
    let lexicon: JSONLexicon
    /// Keywords skipped under `lenient`.
    private(set) var relaxations: [Relaxation] = []

    private var nodes: [String: SchemaNode] = [:]
    private var grammar: Grammar
    /// Conjunction (closure key) → rule name.
    private var ruleNames: [[String]: String] = [:]
    /// Conjunctions whose rule is named but not yet defined.
    private var pending: [(closure: Closure, name: String)] = []
    private var usedNames: Set<String>
    /// Groups already relaxed, so each is reported once.
    private var relaxedGroups: Set<String> = []

    init(document: SchemaDocument, options: JSONSchemaOptions) {
        self.document = document
        self.options = options
        lexicon = JSONLexicon(options.whitespace, integerFractions: document.dialect == .draft4 ? .none : .zerosOnly)
        grammar = Grammar(rules: lexicon.rules.map { Grammar.Rule(name: $0.name, body: $0.body) }, root: "root")
        usedNames = Set(grammar.rules.map(\.name) + FormatLanguage.names.map { "format-" + $0 })
    }

    /// The grammar of the documents the root schema admits.
    mutating func build() throws(GrammarError) -> Grammar {
        let root = try closure(of: [""])
        ruleNames[root.key] = "root"
        usedNames.insert("root")
        pending.append((root, "root"))
        while let (closure, name) = pending.popLast() {
            grammar.define(name, try body(of: closure, ruleName: name))
            guard grammar.rules.count <= JSONSchemaLimits.maxRules else {
                throw GrammarError(.limitExceeded, "the grammar needs more than \(JSONSchemaLimits.maxRules) rules",
                                   at: .jsonPointer(closure.locations.first ?? ""))
            }
        }
        let lexiconNames = Set(lexicon.rules.map(\.name))
        let simplified = GrammarSimplifier.simplify(grammar, keeping: lexiconNames)
        if simplified.rule(named: simplified.root)?.body == .nothing {
            throw GrammarError(.unsatisfiable, "no JSON document satisfies the schema", at: .jsonPointer(""))
        }
        return simplified
    }

    // MARK: Conjunctions

    /// A conjunction of schemas closed under `$ref` and `allOf`, with its `anyOf`/`oneOf` groups.
    struct Closure {
        /// The schemas the conjunction was formed from.
        var atoms: [String]
        /// The schemas with assertions of their own, in a fixed depth-first order.
        var locations: [String] = []
        /// Every schema reached, with or without assertions.
        var visited: Set<String> = []
        /// The branch groups met, in order.
        var groups: [BranchGroup] = []

        /// The groups none of whose branches is part of the conjunction yet.
        var pendingGroups: [BranchGroup] { groups.filter { !$0.branches.contains(where: visited.contains) } }

        /// What identifies the conjunction's language: the schemas asserting something and the
        /// groups still to choose from.
        var key: [String] { locations + pendingGroups.map { "|" + $0.pointer } }
    }

    /// An `anyOf` or `oneOf`: one of the branches must hold (exactly one for `oneOf`).
    struct BranchGroup {
        /// The pointer of the keyword.
        var pointer: String
        var branches: [String]
        var isExclusive: Bool
    }

    mutating func node(at pointer: String) throws(GrammarError) -> SchemaNode {
        if let node = nodes[pointer] { return node }
        let node = try SchemaNode(at: pointer, in: document, options: options, relaxations: &relaxations)
        nodes[pointer] = node
        return node
    }

    /// The closure of the conjunction of `atoms`.
    mutating func closure(of atoms: [String]) throws(GrammarError) -> Closure {
        var result = Closure(atoms: atoms)
        var stack = Array(atoms.reversed())
        while let pointer = stack.popLast() {
            guard result.visited.insert(pointer).inserted else { continue }
            let node = try node(at: pointer)
            if !node.constraints.isUnconstrained { result.locations.append(pointer) }
            for (keyword, branches, exclusive) in [("anyOf", node.anyOf, false), ("oneOf", node.oneOf, true)] {
                guard let branches else { continue }
                // An anyOf with a branch asserting and applying nothing always holds.
                var alwaysHolds = false
                for branch in branches where !exclusive {
                    let candidate = try self.node(at: branch)
                    if candidate.constraints.isUnconstrained && candidate.reference == nil && candidate.allOf.isEmpty
                        && candidate.anyOf == nil && candidate.oneOf == nil { alwaysHolds = true }
                }
                if alwaysHolds { continue }
                result.groups.append(BranchGroup(pointer: JSONPointer.appending(pointer, keyword), branches: branches,
                                                 isExclusive: exclusive))
            }
            stack += (node.allOf + [node.reference].compactMap { $0 }).reversed()
        }
        return result
    }

    /// The first group none of whose branches is part of the conjunction.
    func pendingGroup(of closure: Closure) -> BranchGroup? { closure.pendingGroups.first }

    /// The merged assertions of the closure's schemas.
    mutating func constraints(of closure: Closure) throws(GrammarError) -> SchemaConstraints {
        var merged = SchemaConstraints()
        for pointer in closure.locations { merged.formIntersection(try node(at: pointer).constraints) }
        return merged
    }

    /// An expression for the values satisfying all of `atoms`: a reference to the
    /// conjunction's rule (defined later), or the shared any-value rule.
    mutating func reference(to atoms: [String]) throws(GrammarError) -> Expression {
        let closure = try closure(of: atoms)
        let key = closure.key
        if key.isEmpty { return .ruleReference(JSONLexicon.valueRule) }
        if let name = ruleNames[key] { return .ruleReference(name) }
        let name = freshName(from: closure.locations.first ?? closure.atoms.first ?? "")
        ruleNames[key] = name
        pending.append((closure, name))
        return .ruleReference(name)
    }

    /// An unused rule name derived from `pointer`. Such names never contain `.`, which
    /// helper rules of a schema rule use: `<rule>.rest3`, `<rule>.multiple-i0`.
    mutating func freshName(from pointer: String) -> String {
        var words: [String] = []
        for token in JSONPointer.tokens(pointer) ?? [] {
            let word = String(token.unicodeScalars.map { scalar -> Character in
                scalar.properties.isAlphabetic && scalar.isASCII || ("0"..."9").contains(scalar) ? Character(scalar) : "_"
            })
            words.append(word == "$defs" || word == "_defs" ? "def" : word)
        }
        var base = words.joined(separator: "-")
        if base.isEmpty { base = "schema" }
        if base.count > 60 { base = String(base.suffix(60)) }
        var name = base
        var suffix = 2
        while usedNames.contains(name) {
            name = "\(base)-\(suffix)"
            suffix += 1
        }
        usedNames.insert(name)
        return name
    }

    // MARK: Rule bodies

    private mutating func body(of closure: Closure, ruleName: String) throws(GrammarError) -> Expression {
        if let group = pendingGroup(of: closure) {
            try checkExclusive(group, in: closure)
            var branches: [Expression] = []
            for branch in group.branches { branches.append(try reference(to: closure.atoms + [branch])) }
            return .alternatives(branches)
        }
        let merged = try constraints(of: closure)
        return try value(merged, ruleName: ruleName, locations: closure.locations)
    }

    /// Accepts a `oneOf` whose branches are provably disjoint under the conjunction; otherwise
    /// an error, or when lenient a relaxation to `anyOf`.
    private mutating func checkExclusive(_ group: BranchGroup, in context: Closure) throws(GrammarError) {
        guard group.isExclusive, !relaxedGroups.contains(group.pointer) else { return }
        var summaries: [SchemaConstraints] = []
        for branch in group.branches {
            summaries.append(try constraints(of: closure(of: context.atoms + [branch])))
        }
        for i in summaries.indices {
            for j in summaries.indices where j > i {
                if try areDisjoint(summaries[i], summaries[j], depth: 0) { continue }
                guard options.lenient else {
                    throw GrammarError(.unsupportedKeyword,
                                       "oneOf branches \(i) and \(j) may overlap; only provably disjoint branches are supported",
                                       at: .jsonPointer(group.pointer))
                }
                relaxedGroups.insert(group.pointer)
                relaxations.append(Relaxation(keyword: "oneOf", pointer: group.pointer,
                                              detail: "enforced as anyOf: values matching several branches are accepted"))
                return
            }
        }
    }

    /// The values satisfying `merged`, the assertions of the schemas at `locations`.
    mutating func value(_ merged: SchemaConstraints, ruleName: String, locations: [String]) throws(GrammarError) -> Expression {
        if let values = merged.allowedValues {
            var forms: [Expression] = []
            for value in values { forms.append(try constant(value, under: merged)) }
            return .alternatives(forms)
        }
        if merged.isUnconstrained { return .ruleReference(JSONLexicon.valueRule) }
        let types = merged.types
        var forms: [Expression] = []
        if types.contains(.null) { forms.append(.text("null")) }
        if types.contains(.boolean) { forms += [.text("true"), .text("false")] }
        if !types.isDisjoint(with: .number) {
            forms.append(try number(merged.number, integerOnly: !types.contains(.fractional), ruleName: ruleName, pointer: locations.first ?? ""))
        }
        if types.contains(.string) { forms.append(try string(merged.string, locations: locations)) }
        if types.contains(.array) { forms.append(try array(merged, locations: locations)) }
        if types.contains(.object) { forms.append(try object(merged, ruleName: ruleName)) }
        return .alternatives(forms)
    }

    // MARK: Strings

    private mutating func string(_ original: StringConstraints, locations: [String]) throws(GrammarError) -> Expression {
        var constraints = original
        if let maxLength = constraints.maxLength {
            if maxLength < constraints.minLength { return .nothing }
            if !(try fitsBudget(maxLength, size: 1, keyword: "maxLength", locations: locations)) { constraints.maxLength = nil }
        }
        if !(try fitsBudget(constraints.minLength, size: 1, keyword: "minLength", locations: locations)) { constraints.minLength = 0 }
        if constraints.isUnconstrained { return .ruleReference(JSONLexicon.stringRule) }
        let lengthBounded = constraints.minLength > 0 || constraints.maxLength != nil
        var languages = constraints.languages + constraints.formats.map { formatRule($0) }
        if languages.isEmpty {
            return .concat([.text("\""), .repetition(.ruleReference(JSONLexicon.characterRule), min: constraints.minLength,
                                                     max: constraints.maxLength), .text("\"")])
        }
        if lengthBounded {
            languages.append(.repetition(.characterClass(.all), min: constraints.minLength, max: constraints.maxLength))
        }
        return JSONStringEncoding.quoted(language: languages.count == 1 ? languages[0] : .intersection(languages))
    }

    /// A reference to the shared rule of format `name`, defined on first use. Its body is
    /// already JSON-encoded, so the string encoder keeps the reference as it is.
    private mutating func formatRule(_ name: String) -> Expression {
        let ruleName = "format-" + name
        if grammar.rule(named: ruleName) == nil {
            grammar.define(ruleName, JSONStringEncoding.encode(FormatLanguage.language(named: name) ?? .nothing))
        }
        return .ruleReference(ruleName)
    }

    /// Whether `count` repetitions of something of `size` nodes fit the budget. When they do
    /// not: `limitExceeded`, or when lenient a relaxation of `keyword`, whose bound the caller
    /// then drops.
    private mutating func fitsBudget(_ count: Int, size: Int, keyword: String, locations: [String]) throws(GrammarError) -> Bool {
        let (cost, overflow) = count.multipliedReportingOverflow(by: max(size, 1))
        guard overflow || cost > JSONSchemaLimits.maxRepetitionCost else { return true }
        let pointer = keywordPointer(keyword, in: locations)
        guard options.lenient else {
            throw GrammarError(.limitExceeded, "\(keyword) \(count) is too large to unroll", at: .jsonPointer(pointer))
        }
        relaxations.append(Relaxation(keyword: keyword, pointer: pointer, detail: "\(count) is too large to unroll: not enforced"))
        return false
    }

    /// The pointer of `keyword` in the first of `locations` that has it.
    private func keywordPointer(_ keyword: String, in locations: [String]) -> String {
        for location in locations where document.value(at: location)?[keyword] != nil {
            return JSONPointer.appending(location, keyword)
        }
        return locations.first ?? ""
    }

    // MARK: Numbers

    private mutating func number(_ constraints: NumberConstraints, integerOnly: Bool, ruleName: String,
                                 pointer: String) throws(GrammarError) -> Expression {
        if constraints.isUnconstrained {
            return .ruleReference(integerOnly ? JSONLexicon.integerRule : JSONLexicon.numberRule)
        }
        for bound in [constraints.lower, constraints.upper].compactMap({ $0 }) where bound.value.plainDigitCount > 1000 {
            throw GrammarError(.limitExceeded, "numeric bound \(bound.value) has more than 1000 digits", at: .jsonPointer(pointer))
        }
        let fractions = integerOnly ? lexicon.integerFractions : .any
        guard !constraints.divisors.isEmpty else {
            return NumberLanguage.bounded(lower: constraints.lower, upper: constraints.upper, fractions: fractions)
        }
        let divisorPointer = constraints.divisorPointer ?? pointer
        // Divisibility is enforced with at most sign-deciding bounds: ≥ 0 or ≤ 0.
        let nonNegative = constraints.lower.map { $0.value.isZero && !$0.isExclusive }
        let nonPositive = constraints.upper.map { $0.value.isZero && !$0.isExclusive }
        guard nonNegative != false, nonPositive != false else {
            guard options.lenient else {
                throw GrammarError(.unsupportedKeyword, "multipleOf together with bounds other than 0 is not supported",
                                   at: .jsonPointer(divisorPointer))
            }
            relaxations.append(Relaxation(keyword: "multipleOf", pointer: divisorPointer,
                                          detail: "ignored: the bounds are enforced, divisibility is not"))
            return NumberLanguage.bounded(lower: constraints.lower, upper: constraints.upper, fractions: fractions)
        }
        guard let (modulus, scale) = DecimalArithmetic.combinedModulus(constraints.divisors, integerOnly: integerOnly,
                                                                       maxStates: JSONSchemaLimits.maxDivisibilityStates) else {
            throw GrammarError(.limitExceeded, "multipleOf needs more than \(JSONSchemaLimits.maxDivisibilityStates) automaton states",
                               at: .jsonPointer(divisorPointer))
        }
        let language = DivisibilityLanguage(modulus: modulus, scale: scale, allowsZeroFraction: fractions != .none,
                                            namePrefix: ruleName + ".multiple")
        let (start, rules) = language.build()
        for rule in rules { grammar.define(rule.name, rule.body) }
        let zero = Expression.concat([.text("0"), NumberLanguage.anyFraction(fractions == .none ? .none : .zerosOnly)])
        switch (nonNegative, nonPositive) {
        case (true?, true?): return .concat([.optional(.text("-")), zero])
        case (true?, _): return .alternatives([start, .concat([.text("-"), zero])])
        case (_, true?): return .alternatives([.concat([.text("-"), start]), zero])
        default: return .concat([.optional(.text("-")), start])
        }
    }

    // MARK: Arrays

    private mutating func array(_ merged: SchemaConstraints, locations: [String]) throws(GrammarError) -> Expression {
        var maxItems = merged.maxItems
        for shape in merged.arrayShapes {
            if let items = shape.items, document.value(at: items) == .bool(false) {
                maxItems = min(maxItems ?? shape.prefix.count, shape.prefix.count)
            }
        }
        var minItems = merged.minItems
        if let maxItems, maxItems < minItems { return .nothing }
        if maxItems == 0 { return lexicon.bracketed("[", .nothing, "]", allowsEmpty: true) }
        let prefixLength = merged.prefixLength
        // Elements from index `prefixLength` on share one schema: a bounded repetition.
        var tail: Expression?
        if maxItems.map({ $0 > prefixLength }) ?? true {
            let element = try reference(to: merged.elementSchemas(at: prefixLength))
            let size = GrammarSimplifier.size(.concat([lexicon.comma, element]))
            if let bound = maxItems, !(try fitsBudget(bound, size: size, keyword: "maxItems", locations: locations)) { maxItems = nil }
            if !(try fitsBudget(minItems, size: size, keyword: "minItems", locations: locations)) { minItems = 0 }
            tail = element
        }
        let firstRequired = max(minItems, 1)
        var rest: Expression = .empty
        if let tail {
            let separated = Expression.concat([lexicon.comma, tail])
            rest = prefixLength == 0
                ? .concat([tail, .repetition(separated, min: firstRequired - 1, max: maxItems.map { $0 - 1 })])
                : .repetition(separated, min: max(firstRequired - prefixLength, 0), max: maxItems.map { $0 - prefixLength })
        }
        // Positions before it, innermost first: each may end the array once enough elements came.
        for index in stride(from: prefixLength - 1, through: 0, by: -1) {
            if let maxItems, maxItems <= index { continue }
            let continued = Expression.concat([index > 0 ? lexicon.comma : .empty, try reference(to: merged.elementSchemas(at: index)), rest])
            rest = index >= firstRequired ? .optional(continued) : continued
        }
        return lexicon.bracketed("[", rest, "]", allowsEmpty: minItems == 0)
    }

    // MARK: Objects

    private mutating func object(_ merged: SchemaConstraints, ruleName: String) throws(GrammarError) -> Expression {
        let names = merged.declaredNames
        var members: [(expression: Expression, required: Bool)] = []
        for name in names {
            let schemas = merged.propertySchemas(for: name)
            let required = merged.required.contains(name)
            if schemas.contains(where: { document.value(at: $0) == .bool(false) }) {
                if required { return .nothing }
                continue
            }
            let key = JSONStringEncoding.quoted(name)
            members.append((lexicon.member(key: key, value: try reference(to: schemas)), required))
        }
        var extra: Expression = .nothing
        let additional = merged.additionalSchemas
        if !additional.contains(where: { document.value(at: $0) == .bool(false) }) {
            let key: Expression = names.isEmpty
                ? .ruleReference(JSONLexicon.stringRule)
                : JSONStringEncoding.quoted(language: .difference(.anyText, .alternatives(names.map { .text($0) })))
            extra = lexicon.member(key: key, value: try reference(to: additional))
        }
        // From the end: `following[i]` = members i… after an earlier member;
        // `leading[i]` = members i… with at least one, none before.
        var following: Expression = extra == .nothing ? .empty : .zeroOrMore(.concat([lexicon.comma, extra]))
        var leading: Expression = extra == .nothing ? .nothing : .concat([extra, .zeroOrMore(.concat([lexicon.comma, extra]))])
        for (index, member) in members.enumerated().reversed() {
            let afterThis: Expression
            if index < members.count - 1 && members.count > 3 {
                let restName = "\(ruleName).rest\(index + 1)"
                grammar.define(restName, following)
                afterThis = .ruleReference(restName)
            } else {
                afterThis = following
            }
            let startingHere = Expression.concat([member.expression, afterThis])
            if member.required {
                following = .concat([lexicon.comma, startingHere])
                leading = startingHere
            } else {
                following = .concat([.optional(.concat([lexicon.comma, member.expression])), afterThis])
                leading = .alternatives([startingHere, leading])
            }
        }
        let allOptional = !members.contains { $0.required }
        return lexicon.bracketed("{", leading, "}", allowsEmpty: allOptional)
    }

    // MARK: Constants

    /// The encodings of `value` if it satisfies `merged`, else `.nothing`.
    mutating func constant(_ value: JSONValue, under merged: SchemaConstraints) throws(GrammarError) -> Expression {
        guard merged.types.contains(JSONTypeSet(of: value)), merged.allowedValues?.contains(value) ?? true else { return .nothing }
        switch value {
        case .null: return .text("null")
        case .bool(let flag): return .text(flag ? "true" : "false")
        case .number(let number):
            guard merged.number.admits(number) else { return .nothing }
            return NumberLanguage.lexemes(of: number, merged.types.contains(.fractional) ? .any : lexicon.integerFractions)
        case .string(let text):
            let length = text.unicodeScalars.count
            guard length >= merged.string.minLength, length <= merged.string.maxLength ?? length else { return .nothing }
            let languages = merged.string.languages + merged.string.formats.map { formatRule($0) }
            if languages.isEmpty { return JSONStringEncoding.quoted(text) }
            return JSONStringEncoding.quoted(language: .intersection([.text(text)] + languages))
        case .array(let items):
            guard items.count >= merged.minItems, items.count <= merged.maxItems ?? items.count else { return .nothing }
            var parts: [Expression] = []
            for (index, item) in items.enumerated() {
                if index > 0 { parts.append(lexicon.comma) }
                parts.append(try constant(item, under: merged.elementSchemas(at: index)))
            }
            return lexicon.bracketed("[", .concat(parts), "]", allowsEmpty: items.isEmpty)
        case .object(let object):
            guard merged.required.allSatisfy({ object[$0] != nil }) else { return .nothing }
            var parts: [Expression] = []
            for (index, member) in object.members.enumerated() {
                if index > 0 { parts.append(lexicon.comma) }
                let valueForm = try constant(member.value, under: merged.propertySchemas(for: member.key))
                parts.append(lexicon.member(key: JSONStringEncoding.quoted(member.key), value: valueForm))
            }
            return lexicon.bracketed("{", .concat(parts), "}", allowsEmpty: object.isEmpty)
        }
    }

    /// The encodings of `value` if it satisfies every schema of `atoms`.
    private mutating func constant(_ value: JSONValue, under atoms: [String]) throws(GrammarError) -> Expression {
        let closure = try closure(of: atoms)
        if let group = pendingGroup(of: closure) {
            try checkExclusive(group, in: closure)
            var forms: [Expression] = []
            for branch in group.branches { forms.append(try constant(value, under: closure.atoms + [branch])) }
            return .alternatives(forms)
        }
        return try constant(value, under: constraints(of: closure))
    }
}
