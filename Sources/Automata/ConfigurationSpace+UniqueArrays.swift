import Grammar

/// One parse's way into an array of a `Grammar.uniqueArrayRules` rule: the rule, and the stack
/// node under the rule's frame. While the array is open, exactly the stacks with a node of that
/// rule over that parent are the parses placing the output inside it.
public struct UniqueArrayAnchor: Hashable, Sendable {
    /// The index of the unique-array rule in the automaton.
    public internal(set) var rule: Int32
    /// The stack node below the rule's frame (-1: the bottom of the stack).
    var parent: Int32
}

/// The NFA states that open an array of a `Grammar.uniqueArrayRules` rule: those of the rule's
/// ε-closure from its start that read `[` (the rule's language starts with it, so these are its
/// opening bracket and nothing nested). Built once per compiled grammar.
public struct UniqueArrayOpeners: Sendable {
    /// The opening states, sorted.
    private let states: [Int32]

    /// The openers of the rules of `space` named in `rules`; nil when none of them survived
    /// compilation (the grammar then has nothing to enforce).
    public init?(_ space: ConfigurationSpace, rules: Set<String>) {
        let nfa = space.nfa
        var found: [Int32] = []
        for rule in nfa.rules where rules.contains(rule.name) {
            var seen: Set<Int32> = [rule.start]
            var stack = [rule.start]
            while let state = stack.popLast() {
                if nfa.byteEdges[state].contains(where: { $0.low <= UInt8(ascii: "[") && UInt8(ascii: "[") <= $0.high }) {
                    found.append(state)
                }
                for next in nfa.epsilonEdges[state] where seen.insert(next).inserted { stack.append(next) }
            }
        }
        guard !found.isEmpty else { return nil }
        states = found.sorted()
    }

    /// Whether `state` opens a unique array.
    func opens(_ state: Int32) -> Bool {
        var low = 0, high = states.count
        while low < high {
            let mid = (low + high) / 2
            if states[mid] < state { low = mid + 1 } else { high = mid }
        }
        return low < states.count && states[low] == state
    }
}

extension ConfigurationSpace {
    /// The anchors of the unique arrays that reading `[` in `config` opens: empty when every
    /// parse reading it opens a plain array. Parses opening plain arrays may sit beside them
    /// (`anyOf` of a unique and a plain array); `removingParses(inside:from:)` later drops the
    /// unique ones when an element repeats, so the two kinds need not be told apart here.
    public func uniqueArrayAnchors(openedFrom config: Int32, openers: UniqueArrayOpeners) -> [UniqueArrayAnchor] {
        var anchors: [UniqueArrayAnchor] = []
        for node in kernelNodes(config) {
            let (state, parent) = stackNode(node)
            guard openers.opens(state) else { continue }
            let anchor = UniqueArrayAnchor(rule: nfa.stateRules[Int(state)], parent: parent)
            if !anchors.contains(anchor) { anchors.append(anchor) }
        }
        return anchors
    }

    /// `config` without the parses inside the arrays `anchors` opened (still open), or `dead`
    /// when no other parse remains: where an element repeats, only parses placing the output
    /// in some other array can go on. Such an array is open, so the output cannot end here
    /// and the result is not accepting.
    public func removingParses(inside anchors: [UniqueArrayAnchor], from config: Int32) -> Int32 {
        partition(config, inside: anchors, keepingInside: false)
    }

    /// `config` with only the parses inside the arrays `anchors` opened, or `dead` when there
    /// is none: what can follow from the element being read in such an array. Not accepting
    /// (the array is open).
    public func keepingParses(inside anchors: [UniqueArrayAnchor], from config: Int32) -> Int32 {
        partition(config, inside: anchors, keepingInside: true)
    }

    /// `config` with the parses inside the arrays `anchors` opened (`keepingInside`) or the
    /// others only.
    private func partition(_ config: Int32, inside anchors: [UniqueArrayAnchor], keepingInside: Bool) -> Int32 {
        var kept: [Int32] = []
        for node in kernelNodes(config) {
            var current = node
            var inside = false
            while current >= 0 && !inside {
                let (state, parent) = stackNode(current)
                inside = anchors.contains { $0.parent == parent && $0.rule == nfa.stateRules[Int(state)] }
                current = parent
            }
            if inside == keepingInside { kept.append(node) }
        }
        if kept.count == kernelNodes(config).count { return config }
        if kept.isEmpty { return ConfigurationSpace.dead }
        return configuration(kernel: kept, accepting: false)
    }

    /// The index of rule `name` in the automaton, if it survived compilation.
    public func ruleIndex(named name: String) -> Int32? {
        nfa.rules.firstIndex { $0.name == name }.map(Int32.init)
    }
}
