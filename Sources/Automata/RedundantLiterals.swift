import Grammar

extension RegularAutomatonCache {
    /// `expression` with the literal alternatives that change nothing left out: in a choice,
    /// the literals another alternative already matches; in a difference `a − (…)`, also the
    /// excluded literals outside `a`; and alternatives with a common end joined
    /// (`factoringCommonSuffixes`). The language is the same.
    ///
    /// Key exclusions repeat this shape: an object's extra keys are `any − (names | p₁ | …)`,
    /// with its declared names beside the languages of the patterns they must avoid, and the
    /// names usually match those patterns already. Without the redundant names the excluded
    /// choices of sibling objects (same patterns, different names) become one expression, so
    /// the cache determinizes it once instead of once per object.
    func withoutRedundantLiterals(_ expression: Expression, limits: CompileLimits) -> Expression {
        switch expression {
        case .choice(let parts):
            let kept = keptLiterals(of: parts, within: nil, limits: limits) ?? parts
            return .alternatives(RegularAutomatonCache.factoringCommonSuffixes(kept) ?? kept)
        case .difference(let a, .choice(let parts)):
            let kept = keptLiterals(of: parts, within: a, limits: limits)
            let factored = RegularAutomatonCache.factoringCommonSuffixes(kept ?? parts)
            guard kept != nil || factored != nil else { return expression }
            return .difference(a, .alternatives(factored ?? kept ?? parts))
        default:
            return expression
        }
    }

    /// `parts` with the sequences that end in the same expression joined as one,
    /// `(p₁ | p₂ | …) s` for `p₁ s | p₂ s | …`; nil when no two share their end. Key
    /// exclusions repeat a pattern behind several prefixes (`^description_<tag>$`,
    /// `^title_<tag>$`, …): joined, the tag's states are built once rather than once per prefix
    /// before minimization merges them.
    static func factoringCommonSuffixes(_ parts: [Expression]) -> [Expression]? {
        var groups: [Expression: [Int]] = [:]
        for (index, part) in parts.enumerated() {
            guard case .sequence(let items) = part, items.count >= 2, let last = items.last else { continue }
            groups[last, default: []].append(index)
        }
        guard groups.values.contains(where: { $0.count > 1 }) else { return nil }
        var factored: [Expression] = []
        var joined = Set<Int>()
        for (index, part) in parts.enumerated() where !joined.contains(index) {
            guard case .sequence(let items) = part, items.count >= 2, let last = items.last,
                  let members = groups[last], members.count > 1 else {
                factored.append(part)
                continue
            }
            let prefixes = members.map { (member: Int) -> Expression in
                guard case .sequence(let memberItems) = parts[member] else { return .nothing }
                return .concat(Array(memberItems.dropLast()))
            }
            factored.append(.concat([.alternatives(prefixes), last]))
            joined.formUnion(members)
        }
        return factored
    }

    /// `parts` without the literals that another (non-literal) part matches or, given `within`,
    /// that `within` does not match; nil when nothing is left out or the automata needed refer
    /// to rules or exceed `limits`.
    private func keptLiterals(of parts: [Expression], within: Expression?, limits: CompileLimits) -> [Expression]? {
        var literals: [[UInt8]] = []
        var others: [Expression] = []
        for part in parts {
            if case .literal(let bytes) = part { literals.append(bytes) } else { others.append(part) }
        }
        guard !literals.isEmpty, !others.isEmpty || within != nil else { return nil }
        var covering: RegularAutomaton?
        var bounding: RegularAutomaton?
        if !others.isEmpty {
            let choice = Expression.alternatives(others)
            guard choice.referencedRules.isEmpty, let dfa = try? automaton(for: choice, limits: limits) else { return nil }
            covering = dfa
        }
        if let within {
            guard within.referencedRules.isEmpty, let dfa = try? automaton(for: within, limits: limits) else { return nil }
            bounding = dfa
        }
        let kept = literals.filter { bytes in
            !(covering?.accepts(bytes) ?? false) && (bounding?.accepts(bytes) ?? true)
        }
        guard kept.count < literals.count else { return nil }
        return others + kept.map(Expression.literal)
    }
}

extension RegularAutomaton {
    /// Whether the automaton accepts `bytes`.
    func accepts(_ bytes: [UInt8]) -> Bool {
        guard stateCount > 0 else { return false }
        var state: Int32 = 0
        for byte in bytes {
            state = next(Int(state), byte)
            if state < 0 { return false }
        }
        return isAccepting(Int(state))
    }
}
