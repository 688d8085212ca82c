/// The budgets that keep absurd schemas from hanging the compiler or producing grammars no
/// automaton could be built from. Exceeding one raises `GrammarError.Code.limitExceeded`.
enum JSONSchemaLimits {
    /// The deepest nesting of subschemas inside subschemas.
    static let maxSchemaDepth = 200
    /// The most rules one grammar may have.
    static let maxRules = 100_000
    /// The largest bounded repetition, as its count times the size of what is repeated
    /// (`maxLength`, `minItems`/`maxItems` unrolled by the automaton compiler).
    static let maxRepetitionCost = 50_000
    /// The most automaton states a `multipleOf` divisibility check may take.
    static let maxDivisibilityStates = 20_000
}
