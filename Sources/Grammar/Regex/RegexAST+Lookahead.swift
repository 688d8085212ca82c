extension RegexAST {
    /// A lookahead assertion: the input from the current position on starts with a match of
    /// `child` (`(?=…)`), or does not (`(?!…)`, when `negated`). It consumes nothing.
    struct Lookahead: Hashable, Sendable {
        /// Whether the assertion is negative, `(?!…)`.
        var negated: Bool
        /// The pattern that must (or must not) match at the current position.
        var child: Node
    }
}
