/// Memoized membership of concrete strings in rule-free languages, for one compilation.
///
/// The builder asks again and again whether the same declared property name matches the same
/// `patternProperties` pattern (once per object rule that merges the shape, and large schemas
/// have thousands), or a constant the same pattern; each `RegularMatcher` run costs a table
/// of end positions. Each language keeps one matcher and the answers given so far.
final class MembershipCache {
    private struct Entry {
        let matcher: RegularMatcher
        var answers: [String: Bool] = [:]
    }

    private var entries: [Expression: Entry] = [:]

    /// Whether the whole of `text` belongs to `language` (as `RegularMatcher(language).matches(text)`).
    func matches(_ text: String, _ language: Expression) -> Bool {
        // One lookup of the language (hashing a large expression costs more than the answer).
        let index: [Expression: Entry].Index
        if let known = entries.index(forKey: language) {
            index = known
            if let answer = entries.values[index].answers[text] { return answer }
        } else {
            entries[language] = Entry(matcher: RegularMatcher(language))
            index = entries.index(forKey: language)!
        }
        let answer = entries.values[index].matcher.matches(text)
        entries.values[index].answers[text] = answer
        return answer
    }
}
