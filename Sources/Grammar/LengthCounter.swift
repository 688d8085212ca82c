/// How a grammar asks for long strings to be counted rather than unrolled.
///
/// A repetition `unit{min,max}` is normally compiled as `max` copies of `unit`: exact, but
/// `maxLength: 65535` then costs 65,535 automaton states, and its intersection with a pattern
/// or format a product of that many. When a grammar names a counted unit, the automaton
/// compiler instead reads `unitRule*` (intersected with the other operands, if any) and keeps
/// the number of units read in a counter beside the automaton state, for every repetition of
/// `.ruleReference(unitRule)` directly followed by a literal in a sequence (the closing quote of
/// a JSON string) whose `min` or `max` exceeds `threshold` (alone) or `intersectedThreshold`
/// (as an operand of an intersection, whose unrolled product grows with the bound).
///
/// The unit must be a prefix code that lexes the same way in every context where the output
/// can be inside such a repetition, so that one counter serves every alternative at once: the
/// JSON Schema front end uses one JSON-encoded Unicode scalar (`json-char`), inside JSON
/// strings, whose extent is fixed by the output so far.
public struct LengthCounter: Hashable, Sendable {
    /// The rule whose strings are one unit (one JSON-encoded scalar).
    public var unitRule: String
    /// Repetitions alone with both bounds at most this are unrolled.
    public var threshold: Int
    /// Repetitions in an intersection with both bounds at most this are unrolled.
    public var intersectedThreshold: Int

    /// Counts repetitions of `unitRule` whose bounds exceed `threshold` (alone) or
    /// `intersectedThreshold` (in an intersection).
    public init(unitRule: String, threshold: Int, intersectedThreshold: Int) {
        self.unitRule = unitRule
        self.threshold = threshold
        self.intersectedThreshold = intersectedThreshold
    }

    /// Whether a repetition with these bounds is counted (`intersected`: it is an operand of
    /// an intersection).
    public func counts(min: Int, max: Int?, intersected: Bool) -> Bool {
        let limit = intersected ? intersectedThreshold : threshold
        return min > limit || (max ?? 0) > limit
    }
}
