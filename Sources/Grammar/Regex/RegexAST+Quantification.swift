extension RegexAST {
    /// An operand repeated `min` to `max` times: `*` is `{0,}`, `+` is `{1,}` and `?` is
    /// `{0,1}`.
    ///
    /// Lazy quantifiers (`*?`, `{2,}?`) are stored the same way as greedy ones: laziness only
    /// changes which match is found first, never whether one exists.
    struct Quantification: Hashable, Sendable {
        /// The fewest repetitions.
        var min: Int
        /// The most repetitions; nil for no bound.
        var max: Int?
        /// What is repeated.
        var child: Node
    }
}
