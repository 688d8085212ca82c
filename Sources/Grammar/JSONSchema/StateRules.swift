/// The rules of an automaton written out state by state: each state reached gets a rule named
/// `prefix` + a number on first reference, and is handed out once to have its body defined.
struct StateRules<State: Hashable> {
    private let prefix: String
    private var names: [State: String] = [:]
    private var pending: [State] = []

    /// Rules named `prefix0`, `prefix1`, … in the order their states are first reached.
    init(prefix: String) { self.prefix = prefix }

    /// A reference to the rule of `state`, named (and queued for its body) on first use.
    mutating func reference(_ state: State) -> Expression {
        if let name = names[state] { return .ruleReference(name) }
        let name = prefix + String(names.count)
        names[state] = name
        pending.append(state)
        return .ruleReference(name)
    }

    /// A state referenced but not yet handed out, and its rule's name.
    mutating func next() -> (state: State, name: String)? {
        guard let state = pending.popLast() else { return nil }
        return (state, names[state]!)
    }
}
