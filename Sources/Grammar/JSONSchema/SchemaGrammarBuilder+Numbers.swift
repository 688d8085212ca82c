/// Numbers: bounds, exclusions and integrality as regular expressions; divisibility
/// (`multipleOf` and its negation) as an automaton over numerals, combined with the rest by a
/// product and embedded in the grammar as an automaton (`Expression.automaton`).
///
/// Exact, with these spellings: plain numerals (`-?int(.digits)?`) always; exponent forms with
/// an exponent within ±`NumberLanguage.exponentLimit` under bounds other than 0 and exclusions
/// (all of them without bounds, or with bounds at 0); under `multipleOf`, plain numerals only
/// — except a pure decimal step (`multipleOf: 0.01`) or a divisor every integer meets, which
/// are regular without an automaton and keep the exponent forms of their bounds. Between two
/// bounds with few multiples, the values are written out one by one when the automaton would
/// be too large.
extension SchemaGrammarBuilder {
    /// The number lexemes of the given numeric `types` satisfying `constraints`, without the
    /// values of `excluded`.
    mutating func number(_ constraints: NumberConstraints, types: JSONTypeSet, excluded: [JSONNumber], ruleName: String,
                         pointer: String) throws(GrammarError) -> Expression {
        let fractionalOnly = !types.contains(.integer)
        let integerOnly = !types.contains(.fractional)
        for bound in [constraints.lower, constraints.upper].compactMap({ $0 }) where bound.value.plainDigitCount > 1000 {
            throw GrammarError(.limitExceeded, "numeric bound \(bound.value) has more than 1000 digits", at: .jsonPointer(pointer))
        }
        let fractions: NumberLanguage.Fractions = integerOnly ? lexicon.integerFractions : .any
        var divisors = constraints.divisors
        let divisorPointer = constraints.divisorPointer ?? pointer
        if integerOnly {
            // Every integer is a multiple of 1/k: such divisors say nothing about integers.
            divisors = divisors.filter { !DecimalArithmetic.isMultiple(JSONNumber(1), of: $0) }
            if constraints.nonDivisors.contains(where: { DecimalArithmetic.isMultiple(JSONNumber(1), of: $0) }) { return .nothing }
        }
        let nonDivisors = constraints.nonDivisors
        if divisors.isEmpty && nonDivisors.isEmpty {
            if constraints.lower == nil && constraints.upper == nil && excluded.isEmpty && !fractionalOnly {
                return .ruleReference(integerOnly ? JSONLexicon.integerRule : JSONLexicon.numberRule)
            }
            if excluded.isEmpty && !fractionalOnly, let language = boundedNumber(constraints.lower, constraints.upper, fractions) {
                return language
            }
            var language = NumberLanguage.bounded(lower: constraints.lower, upper: constraints.upper, fractions: fractions,
                                                  restrictExponents: !excluded.isEmpty)
            if fractionalOnly { language = .intersection([language, NumberLanguage.nonIntegral]) }
            if !excluded.isEmpty {
                language = .difference(language, .alternatives(excluded.map { NumberLanguage.spellings(of: $0, fractions) }))
            }
            return language
        }
        /// The values written out one by one, when the automaton is too large and they are few.
        func writtenOut() -> Expression? {
            boundedMultiples(constraints, divisors: divisors, integerOnly: integerOnly, fractionalOnly: fractionalOnly, excluded: excluded)
                .map { values in .alternatives(values.map { NumberLanguage.lexemes(of: $0, fractions, includingSource: false) }) }
        }
        let budget = JSONSchemaLimits.maxDivisibilityStates
        /// The error when the automaton would exceed the budget (`lazily`: and `RemainderNumerals`
        /// refused to keep the remainders at run time).
        func tooLarge(_ what: String, lazily: Bool = false) -> GrammarError {
            let lazy = ", and its remainders cannot be kept as the output reaches them (more than \(RemainderNumerals.maxScale) "
                + "fraction digits, a modulus above 10^15, or bounds constraining more than \(RemainderNumerals.maxExploredStates) prefixes)"
            return GrammarError(.limitExceeded, "\(what) needs more than \(budget) automaton states" + (lazily ? lazy : ""),
                                at: .jsonPointer(divisorPointer))
        }
        guard let (modulus, scale, factors) = DecimalArithmetic.combinedModulus(
            divisors + nonDivisors, integerOnly: integerOnly, maxScale: budget, maxFactor: budget) else {
            if let values = writtenOut() { return values }
            throw tooLarge("multipleOf")
        }
        let required = Array(factors.prefix(divisors.count))
        let forbidden = Array(factors.dropFirst(divisors.count))
        var plain = NumberLanguage.bounded(lower: constraints.lower, upper: constraints.upper, fractions: fractions, plainOnly: true)
        if fractionalOnly { plain = .intersection([plain, NumberLanguage.nonIntegral]) }
        if !excluded.isEmpty {
            plain = .difference(plain, .alternatives(excluded.map { NumberLanguage.lexemes(of: $0, fractions, includingSource: false) }))
        }
        if modulus == 1 && forbidden.isEmpty {
            // A pure decimal step: at most `scale` significant fraction digits.
            return .intersection([plain, NumberLanguage.decimalStep(scale)])
        }
        // Remainders beyond the budget need products of parts, which take longer (to fail,
        // too): a few values between bounds are written out first.
        let (remainderStates, overflow) = modulus.multipliedReportingOverflow(by: scale + 1)
        if overflow || remainderStates > budget, let values = writtenOut() { return values }
        guard let rest = NumeralAutomaton.from(plain, maxStates: budget)?.minimized() else {
            if let values = writtenOut() { return values }
            throw tooLarge("multipleOf with these bounds")
        }
        /// The remainders kept at run time, when no automaton holds them.
        func remainders() -> Expression? {
            RemainderNumerals.expression(modulus: modulus, scale: scale, required: required, forbidden: forbidden,
                                         fractions: fractions, rest: rest)
        }
        guard let divisibility = divisibilityAutomaton(modulus: modulus, scale: scale, required: required, forbidden: forbidden,
                                                       fractions: fractions) else {
            if let values = writtenOut() ?? remainders() { return values }
            throw tooLarge("multipleOf", lazily: true)
        }
        // The product before minimization may be several times its minimal size (remainders
        // times the bounds' digit positions, most of them alike), so it gets a wider budget.
        guard let product = divisibility.product(rest, .intersection, maxStates: 4 * budget)?.minimized(),
              product.stateCount <= budget else {
            if let values = writtenOut() ?? remainders() { return values }
            throw tooLarge("multipleOf with these bounds", lazily: true)
        }
        return .automaton(product.byteAutomaton)
    }

    /// `NumberLanguage.deterministic` of the bounds, built once per builder (property schemas
    /// repeat the same bounds).
    mutating func boundedNumber(_ lower: NumericBound?, _ upper: NumericBound?, _ fractions: NumberLanguage.Fractions) -> Expression? {
        let parameters = BoundedNumberParameters(lower: lower, upper: upper, fractions: fractions)
        if let known = boundedNumbers[parameters] { return known }
        let language = NumberLanguage.deterministic(lower: lower, upper: upper, fractions: fractions)
        boundedNumbers[parameters] = .some(language)
        return language
    }

    /// The plain numerals (`-?int(.digits)?`) whose value v makes v × 10^`scale` an integer
    /// divisible by every `required` factor and by no `forbidden` one, within
    /// `JSONSchemaLimits.maxDivisibilityStates` states (nil beyond). Built directly when the
    /// remainders modulo `modulus` fit; otherwise as a product of one automaton per
    /// prime-power part of each factor (2^a·5^b together: only the last digits matter),
    /// each product within the budget and minimized, so that only remainders the language
    /// tells apart are kept:
    /// not divisible by 2, 6.5, 5, 7, 11 or 37 has 3,703,700 remainders at scale 1 but
    /// 62,965 states.
    mutating func divisibilityAutomaton(modulus: Int, scale: Int, required: [Int], forbidden: [Int],
                                        fractions: NumberLanguage.Fractions) -> NumeralAutomaton? {
        let parameters = DivisibilityParameters(modulus: modulus, scale: scale, required: required, forbidden: forbidden,
                                                fractions: fractions)
        if let known = divisibilityAutomata[parameters] { return known }
        let automaton = SchemaGrammarBuilder.buildDivisibilityAutomaton(parameters)
        divisibilityAutomata[parameters] = .some(automaton)
        return automaton
    }

    private static func buildDivisibilityAutomaton(_ parameters: DivisibilityParameters) -> NumeralAutomaton? {
        let (modulus, scale, required, forbidden, fractions) = (parameters.modulus, parameters.scale, parameters.required,
                                                                parameters.forbidden, parameters.fractions)
        let budget = JSONSchemaLimits.maxDivisibilityStates
        func fits(_ remainders: Int) -> Bool {
            let (states, overflow) = remainders.multipliedReportingOverflow(by: scale + 1)
            return !overflow && states <= budget
        }
        if fits(modulus) {
            return NumeralAutomaton.divisibility(modulus: modulus, scale: scale, required: required, forbidden: forbidden,
                                                 fractions: fractions, maxStates: budget)
        }
        func component(_ part: Int, negated: Bool) -> NumeralAutomaton? {
            guard fits(part) else { return nil }
            return NumeralAutomaton.divisibility(modulus: part, scale: scale, required: negated ? [] : [part],
                                                 forbidden: negated ? [part] : [], fractions: fractions, maxStates: budget)?.minimized()
        }
        func combine(_ a: NumeralAutomaton?, _ b: NumeralAutomaton, _ combination: NumeralAutomaton.Combination) -> NumeralAutomaton? {
            guard let a else { return b }
            guard let product = a.product(b, combination, maxStates: budget)?.minimized() else { return nil }
            return product
        }
        var result: NumeralAutomaton?
        for factor in required {
            for part in DecimalArithmetic.primePowerParts(of: factor, maxPrime: budget) {
                guard let automaton = component(part, negated: false), let product = combine(result, automaton, .intersection) else { return nil }
                result = product
            }
        }
        for factor in forbidden {
            // Not divisible by the factor: not divisible by one of its parts.
            var union: NumeralAutomaton?
            for part in DecimalArithmetic.primePowerParts(of: factor, maxPrime: budget) {
                guard let automaton = component(part, negated: true), let product = combine(union, automaton, .union) else { return nil }
                union = product
            }
            guard let union, let product = combine(result, union, .intersection) else { return nil }
            result = product
        }
        return result
    }
}

/// The parameters of a divisibility automaton (see `SchemaGrammarBuilder.divisibilityAutomaton`).
struct DivisibilityParameters: Hashable {
    var modulus: Int
    var scale: Int
    var required: [Int]
    var forbidden: [Int]
    var fractions: NumberLanguage.Fractions
}

/// The parameters of a bounded number language (see `SchemaGrammarBuilder.boundedNumber`).
struct BoundedNumberParameters: Hashable {
    var lower: NumericBound?
    var upper: NumericBound?
    var fractions: NumberLanguage.Fractions
}
