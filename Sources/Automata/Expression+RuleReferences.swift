import Grammar

extension Expression {
    /// Whether the expression refers to a rule anywhere: `!referencedRules.isEmpty`, answered
    /// by a walk that stops at the first reference instead of collecting the names into a set
    /// (asked of every intersection, difference and automaton an NFA build meets).
    var refersToRules: Bool {
        switch self {
        case .empty, .nothing, .literal, .byteClass, .characterClass, .automaton, .lazyAutomaton: return false
        case .ruleReference: return true
        case .sequence(let parts), .choice(let parts), .intersection(let parts):
            for part in parts where part.refersToRules { return true }
            return false
        case .repetition(let e, _, _): return e.refersToRules
        case .difference(let a, let b): return a.refersToRules || b.refersToRules
        }
    }
}
