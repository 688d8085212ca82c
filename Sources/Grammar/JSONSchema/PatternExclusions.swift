/// For portable patterns (`JSONSchemaOptions.portablePatterns`): the language a string must
/// stay out of to fail a pattern on every engine, by the language it must belong to to pass
/// it on every engine.
///
/// A pattern's language is read twice (`Regex.Reading`): what a string must match is the
/// subset both ECMA-262 and Python's `re` match, and what it must not match is a superset of
/// what either does. The schema builder keeps the first in its constraints and looks the
/// second up here wherever it takes a complement (keys outside every `patternProperties`,
/// a negated `pattern`). Without portable patterns the table is empty and a language is its
/// own exclusion.
final class PatternExclusions {
    private var table: [Expression: Expression] = [:]

    /// Records that strings failing the pattern whose matches are `matching` must stay out
    /// of `excluded`.
    func record(matching: Expression, excluded: Expression) {
        if matching != excluded { table[matching] = excluded }
    }

    /// The language a string must stay out of to fail the pattern read as `matching`.
    func excluded(_ matching: Expression) -> Expression {
        table[matching] ?? matching
    }
}
