/// Memoized membership of concrete strings in rule-free languages, for one compilation.
///
/// The builder asks again and again whether the same declared property name matches the same
/// `patternProperties` pattern (once per object rule that merges the shape, and large schemas
/// have thousands), or a constant the same pattern; each `RegularMatcher` run costs a table
/// of end positions. Each language keeps one matcher and the answers given so far.
final class MembershipCache {
    private struct Entry {
        let language: Expression
        let matcher: RegularMatcher
        var answers: [String: Bool] = [:]
    }

    private var entries: [Entry] = []
    /// The index of each language's entry.
    private var indices: [Expression: Int] = [:]
    /// The entry asked last: the builder asks about many names against the same pattern in a
    /// row, and comparing a pattern's language costs less than hashing it.
    private var last = -1

    /// Whether the whole of `text` belongs to `language` (as `RegularMatcher(language).matches(text)`).
    func matches(_ text: String, _ language: Expression) -> Bool {
        let index: Int
        if last >= 0, entries[last].language == language {
            index = last
        } else if let known = indices[language] {
            index = known
        } else {
            index = entries.count
            entries.append(Entry(language: language, matcher: RegularMatcher(language)))
            indices[language] = index
        }
        last = index
        if let answer = entries[index].answers[text] { return answer }
        let answer = entries[index].matcher.matches(text)
        entries[index].answers[text] = answer
        return answer
    }
}
