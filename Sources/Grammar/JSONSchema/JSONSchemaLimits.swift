/// The budgets that keep absurd schemas from hanging the compiler or producing grammars no
/// automaton could be built from. Exceeding one raises `GrammarError.Code.limitExceeded`.
enum JSONSchemaLimits {
    /// The deepest nesting of subschemas inside subschemas.
    static let maxSchemaDepth = 200
    /// The most rules one grammar may have.
    static let maxRules = 100_000
    /// The largest bounded repetition, as its count times the size of what is repeated
    /// (`minItems`/`maxItems`, and a `minLength` intersected with a pattern or format under a
    /// `maxLength`, unrolled by the automaton compiler).
    static let maxRepetitionCost = 50_000
    /// The largest `minLength`/`maxLength` of a plain string unrolled into automaton states
    /// (see `maxUnrolledIntersectedLength` for the others). Larger ones are
    /// counted at run time (`LengthCounter`): any `maxLength`, any `minLength` of a plain string
    /// or of a pattern/format without `maxLength`, with no budget — `maxLength: 10^12` or
    /// `minLength: 10^9` compile in constant space (the latter is a language no decoder will
    /// finish, but its masks stay exact). 64: unrolled, a `maxLength: 255` string made a
    /// configuration per position, whose first masks were the slowest of Snowplow schemas;
    /// counted, masks outside the string are walked as without a counter (see
    /// `ConfigurationSpace.counterEntryFacts`).
    static let maxUnrolledLength = 64
    /// The largest `minLength`/`maxLength` unrolled when intersected with a pattern, format or
    /// excluded values (the product grows with the bound: `^(?:\S+\s+){0,49}\S+$` under
    /// `maxLength: 500` needs more than 200,000 states, as `{0,19}` does under 200); larger ones
    /// are counted. 32: unrolling a pattern over positions multiplies its configurations, and
    /// first masks of those many configurations dominated the slowest masks (on the Llama 3
    /// sample, 100 → 32 took the worst mask from 12 ms to 8 ms, p99.9 −9%, nothing slower).
    static let maxUnrolledIntersectedLength = 32
    /// The most candidate multiples a bounded `multipleOf` range is written out as.
    static let maxEnumeratedNumbers = 1_000
    /// The most automaton states a `multipleOf` divisibility check may take (and the largest
    /// prime-power part of a divisor; products before minimization get four times as many).
    static let maxDivisibilityStates = 250_000
    /// The most states of one object or array automaton (counts × contains counters × used values).
    static let maxAutomatonStates = 20_000
    /// The most regions the `patternProperties` of one object split keys into: sets of
    /// patterns a key may match together (n patterns that may all overlap make 2^n).
    static let maxPatternRegions = 64
    /// The most member-existence conditions (negated `additionalProperties`,
    /// `patternProperties`, `propertyNames`) in one object (automaton states carry a flag
    /// per condition).
    static let maxExistenceConstraints = 10
    /// The most sets of member-existence conditions one member kind may witness together
    /// (conditions whose keys may coincide, pairwise).
    static let maxWitnessSets = 64
    /// The most possible element values under `uniqueItems` (states are 2^n).
    static let maxUniqueValues = 12
    /// The most element values enumerated to show that a unique array of closed elements can
    /// reach its `minItems`.
    static let maxEnumeratedUniqueValues = 100_000
    /// The most `anyOf` branches made exact for `unevaluated*` (2^n − 1 alternatives).
    static let maxExactAnyOfBranches = 5
    /// The most distinct conjunctions (rules of schemas) one schema may need.
    static let maxConjunctions = 10_000
    /// The most alternatives an overlapping `oneOf` may expand to (each branch and the
    /// negations of those it may overlap).
    static let maxExactOneOfCost = 4096
    /// The most states of the automaton reading an `anyOf` of closed objects as one object
    /// (per branch, its position or dead); past it the `anyOf` is distributed over its
    /// branches instead (no error: only the stacks a shared key keeps differ).
    static let maxObjectUnionStates = 2_000
    /// The most moves (members a state may read next, summed over its states) of such an
    /// automaton: a state lists all of them, so long chains of optional members would
    /// otherwise grow as their square; past it the `anyOf` is distributed.
    static let maxObjectUnionMoves = 8_000
    /// The largest member count such an automaton tells apart (from `minProperties` and
    /// `maxProperties` of its branches); past it the `anyOf` is distributed.
    static let maxObjectUnionCount = 64
    /// The most required properties of one object under `propertyOrder: .any` (2^n states:
    /// the set of those that came; optional ones are kept to one each by the distinct-keys check).
    static let maxAnyOrderRequiredProperties = 10
}
