/// Numbers: bounds, exclusions and integrality as regular expressions; divisibility
/// (`multipleOf` and its negation) as an automaton over numerals, combined with the rest by a
/// product and written out as rules.
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
        guard let (modulus, scale, factors) = DecimalArithmetic.combinedModulus(
            divisors + nonDivisors, integerOnly: integerOnly, maxStates: JSONSchemaLimits.maxDivisibilityStates) else {
            if let values = writtenOut() { return values }
            throw GrammarError(.limitExceeded, "multipleOf needs more than \(JSONSchemaLimits.maxDivisibilityStates) automaton states",
                               at: .jsonPointer(divisorPointer))
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
        // Rule-free when each factor's automaton is small enough to write as a regular expression:
        // the automaton compiler then determinizes the intersection (rules would push a call per digit).
        if let components = divisibilityComponents(required: required, forbidden: forbidden, scale: scale, fractions: fractions) {
            return .intersection([plain] + components)
        }
        // The product before minimization may be several times its minimal size (remainders
        // times the bounds' digit positions, most of them alike), so it gets a wider budget.
        guard let divisibility = NumeralAutomaton.divisibility(modulus: modulus, scale: scale, required: required, forbidden: forbidden,
                                                               fractions: fractions, maxStates: JSONSchemaLimits.maxDivisibilityStates),
              let rest = NumeralAutomaton.from(plain, maxStates: JSONSchemaLimits.maxDivisibilityStates)?.minimized(),
              let product = divisibility.product(rest, maxStates: 4 * JSONSchemaLimits.maxDivisibilityStates, { $0 && $1 })?.minimized(),
              product.stateCount <= JSONSchemaLimits.maxDivisibilityStates else {
            if let values = writtenOut() { return values }
            throw GrammarError(.limitExceeded, "multipleOf with these bounds needs more than \(JSONSchemaLimits.maxDivisibilityStates) automaton states",
                               at: .jsonPointer(divisorPointer))
        }
        return .automaton(product.byteAutomaton)
    }

    /// Divisibility as rule-free expressions to intersect: for each required factor, one per
    /// prime-power part (2^a·5^b together: only the last digits matter); for each forbidden
    /// factor, the union of its parts' complements. Nil when a part's minimal automaton does
    /// not fit a regular expression of reasonable size.
    func divisibilityComponents(required: [Int], forbidden: [Int], scale: Int, fractions: NumberLanguage.Fractions) -> [Expression]? {
        func parts(_ factor: Int) -> [Int] {
            var n = factor
            var decimal = 1
            while n % 2 == 0 { n /= 2; decimal *= 2 }
            while n % 5 == 0 { n /= 5; decimal *= 5 }
            var result = decimal > 1 ? [decimal] : []
            var p = 3
            while p * p <= n {
                var power = 1
                while n % p == 0 { n /= p; power *= p }
                if power > 1 { result.append(power) }
                p += 2
            }
            if n > 1 { result.append(n) }
            return result.isEmpty ? [1] : result
        }
        func expression(_ modulus: Int, negated: Bool) -> Expression? {
            guard let automaton = NumeralAutomaton.divisibility(modulus: modulus, scale: scale, required: negated ? [] : [modulus],
                                                                 forbidden: negated ? [modulus] : [], fractions: fractions,
                                                                 maxStates: JSONSchemaLimits.maxDivisibilityStates) else { return nil }
            return automaton.minimized().regularExpression(maxStates: 400, maxSize: 60_000)
        }
        var components: [Expression] = []
        for factor in required {
            for part in parts(factor) {
                guard let e = expression(part, negated: false) else { return nil }
                components.append(e)
            }
        }
        for factor in forbidden {
            var alternatives: [Expression] = []
            for part in parts(factor) {
                guard let e = expression(part, negated: true) else { return nil }
                alternatives.append(e)
            }
            components.append(.alternatives(alternatives))
        }
        return components
    }
}
