/// Cleans up a freshly built schema grammar without changing its language:
/// rules that derive no string become `.nothing` (and absorb what contains them), small or
/// once-used non-recursive rules are inlined, and rules the root no longer reaches are dropped.
enum GrammarSimplifier {
    /// The simplified grammar. Rules named in `keeping` (with the sorted names of the rules
    /// each refers to) are never inlined; their bodies must already be simplified, derive at
    /// least one string and refer only to rules named in `keeping`, and are kept as they are.
    ///
    /// Each rule the root reaches is rebuilt once, innermost first: references to rules
    /// deriving no string become `.nothing`, references to inlined rules their rebuilt bodies.
    static func simplify(_ grammar: Grammar, keeping: [String: [String]]) -> Grammar {
        var bodies: [String: Expression] = [:]
        for rule in grammar.rules { bodies[rule.name] = rule.body }
        var successors = keeping
        let reached = postorder(from: grammar.root, bodies, successors: &successors)
        let rebuilt = reached.filter { keeping[$0] == nil }

        let productive = productiveRules(bodies, order: rebuilt, known: Set(keeping.keys))
        let recursive = recursiveRules(successors, order: rebuilt)
        var uses: [String: Int] = [:]
        for name in rebuilt { countReferences(bodies[name] ?? .nothing, into: &uses) }

        // Inline non-recursive rules that are tiny or used once, innermost first.
        var inlined: [String: Expression] = [:]
        for name in rebuilt {
            guard let body = bodies[name] else { continue }
            let expanded = rebuild(body) { productive.contains($0) ? inlined[$0] : .nothing }
            bodies[name] = expanded
            successors[name] = nil
            if name != grammar.root, !recursive.contains(name),
               uses[name, default: 0] <= 1 || size(expanded) <= 4 {
                inlined[name] = expanded
            }
        }

        // Keep what the root reaches, in the original order.
        let reachable = Set(postorder(from: grammar.root, bodies, successors: &successors))
        let rules = grammar.rules.map(\.name).filter { reachable.contains($0) && inlined[$0] == nil }
            .map { Grammar.Rule(name: $0, body: bodies[$0] ?? .nothing) }
        return Grammar(rules: rules, root: grammar.root)
    }

    /// `e` rebuilt bottom-up with the simplifying constructors, each rule reference replaced
    /// by `substitute(name)` when that is non-nil.
    static func rebuild(_ e: Expression, _ substitute: (String) -> Expression?) -> Expression {
        switch e {
        case .empty, .nothing, .literal: return e
        case .byteClass(let ranges): return ranges.isEmpty ? .nothing : e
        case .characterClass(let set): return set.isEmpty ? .nothing : e
        case .ruleReference(let name): return substitute(name) ?? e
        case .sequence(let parts): return .concat(parts.map { rebuild($0, substitute) })
        case .choice(let parts): return choice(parts.map { rebuild($0, substitute) })
        case .repetition(let inner, let min, let max):
            return repetition(rebuild(inner, substitute), min: min, max: max)
        case .intersection(let parts):
            let operands = parts.map { rebuild($0, substitute) }
            if operands.contains(.nothing) { return .nothing }
            return operands.count == 1 ? operands[0] : .intersection(operands)
        case .difference(let a, let b):
            let (left, right) = (rebuild(a, substitute), rebuild(b, substitute))
            if left == .nothing { return .nothing }
            return right == .nothing ? left : .difference(left, right)
        }
    }

    /// A choice, flattening nested choices and dropping `nothing`s; duplicates are dropped
    /// only among leaves (hashing large alternatives over and over would cost more than it saves).
    static func choice(_ parts: [Expression]) -> Expression {
        var flat: [Expression] = []
        var seen = Set<Expression>()
        func add(_ e: Expression) {
            switch e {
            case .nothing: return
            case .choice(let nested): for inner in nested { add(inner) }
            case .empty, .literal, .byteClass, .characterClass, .ruleReference:
                if seen.insert(e).inserted { flat.append(e) }
            default: flat.append(e)
            }
        }
        for part in parts { add(part) }
        if flat.isEmpty { return .nothing }
        return flat.count == 1 ? flat[0] : .choice(flat)
    }

    /// A repetition with the empty and impossible cases folded.
    static func repetition(_ inner: Expression, min: Int, max: Int?) -> Expression {
        if max == 0 { return .empty }
        switch inner {
        case .nothing: return min == 0 ? .empty : .nothing
        case .empty: return .empty
        default: return min == 1 && max == 1 ? inner : .repetition(inner, min: min, max: max)
        }
    }

    /// Adds `weight` to `counts[name]` for every occurrence of a reference to `name` in `e`.
    private static func countReferences(_ e: Expression, into counts: inout [String: Int], weight: Int = 1) {
        switch e {
        case .empty, .nothing, .literal, .byteClass, .characterClass: return
        case .ruleReference(let name): counts[name, default: 0] += weight
        case .sequence(let parts), .choice(let parts), .intersection(let parts):
            for part in parts { countReferences(part, into: &counts, weight: weight) }
        case .repetition(let inner, _, _): countReferences(inner, into: &counts, weight: weight)
        case .difference(let a, let b):
            countReferences(a, into: &counts, weight: weight)
            countReferences(b, into: &counts, weight: weight)
        }
    }

    /// The number of nodes of `e`.
    static func size(_ e: Expression) -> Int {
        switch e {
        case .empty, .nothing, .literal, .byteClass, .characterClass, .ruleReference: return 1
        case .sequence(let parts), .choice(let parts), .intersection(let parts): return parts.reduce(1) { $0 + size($1) }
        case .repetition(let inner, _, _): return 1 + size(inner)
        case .difference(let a, let b): return 1 + size(a) + size(b)
        }
    }

    /// The rules deriving at least one string (intersections count when every operand does):
    /// `known` and those of `order` (best listed callees first) that do.
    private static func productiveRules(_ bodies: [String: Expression], order: [String], known: Set<String>) -> Set<String> {
        var productive = known
        var changed = true
        while changed {
            changed = false
            for name in order where !productive.contains(name) {
                if let body = bodies[name], derives(body, productive) {
                    productive.insert(name)
                    changed = true
                }
            }
        }
        return productive
    }

    private static func derives(_ e: Expression, _ productive: Set<String>) -> Bool {
        switch e {
        case .empty, .literal: return true
        case .nothing: return false
        case .byteClass(let ranges): return !ranges.isEmpty
        case .characterClass(let set): return !set.isEmpty
        case .ruleReference(let name): return productive.contains(name)
        case .sequence(let parts), .intersection(let parts): return parts.allSatisfy { derives($0, productive) }
        case .choice(let parts): return parts.contains { derives($0, productive) }
        case .repetition(let inner, let min, _): return min == 0 || derives(inner, productive)
        case .difference(let a, _): return derives(a, productive)
        }
    }

    /// The rules that can reach themselves.
    private static func recursiveRules(_ successors: [String: [String]], order: [String]) -> Set<String> {
        // Tarjan's strongly connected components, iteratively.
        var index: [String: Int] = [:], lowLink: [String: Int] = [:]
        var stack: [String] = [], onStack = Set<String>()
        var recursive = Set<String>()
        var counter = 0
        for start in order where index[start] == nil {
            var work: [(name: String, successors: [String], next: Int)] = []
            func open(_ name: String) {
                index[name] = counter; lowLink[name] = counter; counter += 1
                stack.append(name); onStack.insert(name)
                work.append((name, successors[name] ?? [], 0))
            }
            open(start)
            while let top = work.last {
                if top.next < top.successors.count {
                    work[work.count - 1].next += 1
                    let successor = top.successors[top.next]
                    guard successors[successor] != nil else { continue }
                    if index[successor] == nil {
                        open(successor)
                    } else if onStack.contains(successor) {
                        lowLink[top.name] = min(lowLink[top.name] ?? 0, index[successor] ?? 0)
                    }
                    continue
                }
                work.removeLast()
                if let parent = work.last {
                    lowLink[parent.name] = min(lowLink[parent.name] ?? 0, lowLink[top.name] ?? 0)
                }
                guard lowLink[top.name] == index[top.name] else { continue }
                var component: [String] = []
                while let member = stack.popLast() {
                    onStack.remove(member)
                    component.append(member)
                    if member == top.name { break }
                }
                if component.count > 1 || top.successors.contains(top.name) { recursive.formUnion(component) }
            }
        }
        return recursive
    }

    /// The rules reachable from `root`, each after the rules it refers to (cycles cut).
    /// `successors` caches the sorted names each rule refers to; a rule without a body has none.
    private static func postorder(from root: String, _ bodies: [String: Expression],
                                  successors: inout [String: [String]]) -> [String] {
        func referenced(by name: String) -> [String] {
            if let known = successors[name] { return known }
            let names = bodies[name]?.referencedRules.sorted() ?? []
            successors[name] = names
            return names
        }
        var result: [String] = []
        var visited: Set<String> = [root]
        var work: [(name: String, successors: [String], next: Int)] = [(root, referenced(by: root), 0)]
        while let top = work.last {
            if top.next < top.successors.count {
                work[work.count - 1].next += 1
                let successor = top.successors[top.next]
                if bodies[successor] != nil, visited.insert(successor).inserted {
                    work.append((successor, referenced(by: successor), 0))
                }
                continue
            }
            work.removeLast()
            result.append(top.name)
        }
        return result
    }
}
