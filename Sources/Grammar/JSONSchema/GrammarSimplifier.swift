/// Cleans up a freshly built schema grammar without changing its language:
/// rules that derive no string become `.nothing` (and absorb what contains them), small or
/// once-used non-recursive rules are inlined, rules the root no longer reaches are dropped,
/// and rules equal up to the names of equal rules are merged (`RuleMerging`).
enum GrammarSimplifier {
    /// Rule indices by name (the grammar's own table), remembering the last name asked:
    /// references come in runs of one rule (the whitespace between tokens above all), which
    /// are then not hashed again.
    struct RuleNumbering {
        private let indexByName: RuleNameTable
        private var lastName = ""
        private var lastIndex: Int?

        /// Numbering by `indexByName` (a grammar's index of its rules).
        init(_ indexByName: RuleNameTable) {
            self.indexByName = indexByName
        }

        /// The index of rule `name`, nil when undefined.
        mutating func index(of name: String) -> Int? {
            // Lengths first: comparing texts of different lengths is not free.
            if name.utf8.count == lastName.utf8.count, name == lastName, !lastName.isEmpty { return lastIndex }
            lastName = name
            lastIndex = indexByName.index(of: name)
            return lastIndex
        }
    }

    /// The rules each rule's body refers to, in preorder (-1 for an undefined rule), as the
    /// last walk of the body found them: one buffer for all rules, so that recording them
    /// allocates nothing per rule.
    struct ReferenceLists {
        private var indices: [Int] = []
        /// Where each rule's references begin and end in `indices` (Ints: an array of ranges
        /// is not filled by a plain memset).
        private var starts: [Int], ends: [Int]

        /// No rule's references known yet, for `ruleCount` rules.
        init(ruleCount: Int) {
            starts = Array(repeating: 0, count: ruleCount)
            ends = starts
        }

        /// Records `occurrences` as the references of `rule` (nothing when made for no rules).
        mutating func record(_ occurrences: [Int], of rule: Int) {
            guard !starts.isEmpty else { return }
            starts[rule] = indices.count
            indices.append(contentsOf: occurrences)
            ends[rule] = indices.count
        }

        /// The references of `rule` (empty when none were recorded).
        subscript(rule: Int) -> ArraySlice<Int> { indices[starts[rule]..<ends[rule]] }
    }

    /// The rules a grammar begins with that `simplify` keeps as they are (a front end's shared
    /// lexicon): how many, and the indices of the rules each refers to, sorted. Known once per
    /// lexicon, so a simplification looks none of their names up.
    struct KeptRules {
        /// The number of leading rules kept.
        let count: Int
        /// For each kept rule, the indices of the rules it refers to (all below `count`), sorted.
        let successors: [[Int]]

        /// The kept rules named `names`, in grammar order, each referring to the rules named
        /// in its entry of `references` (all among `names`).
        init(names: [String], references: [[String]]) {
            let indexByName = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
            count = names.count
            successors = references.map { $0.map { indexByName[$0]! }.sorted() }
        }
    }

    /// A simplified grammar and how many of its rules, leading it, are kept ones.
    struct Simplified {
        /// The simplified grammar.
        let grammar: Grammar
        /// How many of its first rules are kept rules (`KeptRules`), as they were.
        let keptCount: Int
    }

    /// The simplified grammar. The first `kept.count` rules are never inlined; their bodies
    /// must already be simplified, derive at least one string and refer only to rules among
    /// them, and are kept as they are. Rules named in `opaque` are simplified but never inlined
    /// or merged (`Grammar.uniqueArrayRules`); nor are shared rules and the length counter's
    /// unit merged.
    ///
    /// Each rule the root reaches is rebuilt once, innermost first: references to rules
    /// deriving no string become `.nothing`, references to inlined rules their rebuilt bodies.
    static func simplify(_ grammar: Grammar, keeping kept: KeptRules, opaque: Set<String> = []) -> Simplified {
        // Rules are numbered in grammar order (the grammar's own index); names are looked up
        // only at references.
        let names = grammar.rules.map(\.name)
        var bodies = grammar.rules.map(\.body)
        var numbering = RuleNumbering(grammar.indexByName)
        guard let root = numbering.index(of: grammar.root) else {
            return Simplified(grammar: Grammar(rules: [], root: grammar.root), keptCount: 0)
        }
        let isKept = names.indices.map { $0 < kept.count }
        var successors: [[Int]?] = kept.successors + Array(repeating: nil, count: names.count - kept.count)
        // Shared rules refer to no rule (`Grammar.Rule.isShared`): their bodies, large for
        // formats, are never walked.
        for (index, rule) in grammar.rules.enumerated() where rule.isShared && successors[index] == nil { successors[index] = [] }
        var uses = Array(repeating: 0, count: names.count)
        // Rules whose bodies refer to an undefined rule (such references become `.nothing`).
        var referencesUndefined = Array(repeating: false, count: names.count)
        // Only a grammar with enough rules to merge among (`RuleMerging.minimumCount`) records them.
        let merges = names.count - kept.count >= RuleMerging.minimumCount
        var references = ReferenceLists(ruleCount: merges ? names.count : 0)
        let reached = postorder(from: root, bodies, &numbering, successors: &successors, uses: &uses,
                                referencesUndefined: &referencesUndefined, references: &references)
        // Shared rules that refer to no rule are never inlined, and their bodies (built once
        // per process, already simplified) are kept as they are: compilers reuse them.
        let isSharedLeaf = grammar.rules.indices.map { grammar.rules[$0].isShared && successors[$0]?.isEmpty == true }
        let rebuilt = reached.filter { !isKept[$0] }

        let productive = productiveRules(bodies, order: rebuilt, known: isKept, successors, referencesUndefined, numbering)
        let recursive = recursiveRules(successors, order: rebuilt, keptCount: kept.count)

        // Inline non-recursive rules that are tiny or used once, innermost first.
        var inlined: [Expression?] = Array(repeating: nil, count: names.count)
        for index in rebuilt {
            // A body whose references all stay as they are is rebuilt without looking them up.
            let substitutes = referencesUndefined[index]
                || successors[index]!.contains { !productive[$0] || inlined[$0] != nil }
            let changed = isSharedLeaf[index] ? nil : substitutes ? rebuiltIfChanged(bodies[index]) { name in
                guard let referenced = numbering.index(of: name), productive[referenced] else { return .nothing }
                return inlined[referenced]
            } : rebuiltIfChanged(bodies[index]) { _ in nil }
            if let changed {
                bodies[index] = changed
                successors[index] = nil  // walked again below; an unchanged body keeps its references
            }
            let expanded = bodies[index]
            if index != root, !recursive[index], !isSharedLeaf[index], opaque.isEmpty || !opaque.contains(names[index]),
               uses[index] <= 1 || hasSize(expanded, atMost: 4) {
                inlined[index] = expanded
            }
        }

        // Keep what the root reaches, in the original order.
        var reachable = Array(repeating: false, count: names.count)
        for index in postorder(from: root, bodies, &numbering, successors: &successors, uses: &uses,
                               referencesUndefined: &referencesUndefined, references: &references) {
            reachable[index] = true
        }
        var remaining = names.indices.filter { reachable[$0] && inlined[$0] == nil }

        // Merge equal rules (`RuleMerging`): references to a merged rule name its class's.
        let unit = grammar.lengthCounter.flatMap { numbering.index(of: $0.unitRule) }
        if merges, let representative = RuleMerging.representatives(bodies, among: remaining, root: root, mergeable: { index in
            !isKept[index] && !grammar.rules[index].isShared && index != unit && (opaque.isEmpty || !opaque.contains(names[index]))
        }, references: references) {
            remaining.removeAll { representative[$0] != $0 }
            // By position in the recorded references (kept and shared rules, not recorded, refer
            // to no merged rule).
            for index in remaining where successors[index]?.contains(where: { representative[$0] != $0 }) ?? true {
                let occurrences = references[index]
                bodies[index] = RuleMerging.renamed(bodies[index]) { position in
                    let referenced = occurrences[occurrences.startIndex + position]
                    return referenced >= 0 && representative[referenced] != referenced ? names[representative[referenced]] : nil
                } ?? bodies[index]
            }
        }
        let rules = remaining.map { Grammar.Rule(name: names[$0], body: bodies[$0], isShared: grammar.rules[$0].isShared) }
        var simplified = Grammar(rules: rules, root: grammar.root)
        simplified.distinctObjectKeys = grammar.distinctObjectKeys
        simplified.narrowedObjectKeys = grammar.narrowedObjectKeys
        simplified.lengthCounter = grammar.lengthCounter
        simplified.uniqueArrayRules = grammar.uniqueArrayRules.filter { simplified.rule(named: $0) != nil }
        simplified.closedUniqueArrayRules = grammar.closedUniqueArrayRules.filter { simplified.rule(named: $0) != nil }
        return Simplified(grammar: simplified, keptCount: remaining.prefix { isKept[$0] }.count)
    }

    /// `e` rebuilt bottom-up with the simplifying constructors, each rule reference replaced
    /// by `substitute(name)` when that is non-nil.
    static func rebuild(_ e: Expression, _ substitute: (String) -> Expression?) -> Expression {
        rebuiltIfChanged(e, substitute) ?? e
    }

    /// `rebuild(e, substitute)`, or nil when that is `e` itself: unchanged subtrees that the
    /// constructors would leave as they are are neither copied nor rehashed.
    static func rebuiltIfChanged(_ e: Expression, _ substitute: (String) -> Expression?) -> Expression? {
        switch e {
        case .empty, .nothing, .literal: return nil
        case .byteClass(let ranges): return ranges.isEmpty ? .nothing : nil
        case .characterClass(let set): return set.isEmpty ? .nothing : nil
        case .ruleReference(let name): return substitute(name)
        case .sequence(let parts):
            guard let operands = rebuiltOperands(parts, substitute) else { return isFlatSequence(parts) ? nil : .concat(parts) }
            return .concat(operands)
        case .choice(let parts):
            guard let operands = rebuiltOperands(parts, substitute) else { return isFlatChoice(parts) ? nil : choice(parts) }
            return choice(operands)
        case .repetition(let inner, let min, let max):
            if let operand = rebuiltIfChanged(inner, substitute) { return repetition(operand, min: min, max: max) }
            switch inner {
            case .nothing, .empty: return repetition(inner, min: min, max: max)
            default: return max == 0 || (min == 1 && max == 1) ? repetition(inner, min: min, max: max) : nil
            }
        case .intersection(let parts):
            let changed = rebuiltOperands(parts, substitute)
            let operands = changed ?? parts
            if operands.contains(.nothing) { return .nothing }
            if operands.count == 1 { return operands[0] }
            return changed.map { .intersection($0) }
        case .difference(let a, let b):
            let (newLeft, newRight) = (rebuiltIfChanged(a, substitute), rebuiltIfChanged(b, substitute))
            let (left, right) = (newLeft ?? a, newRight ?? b)
            if left == .nothing { return .nothing }
            if right == .nothing { return left }
            return newLeft == nil && newRight == nil ? nil : .difference(left, right)
        case .automaton(let automaton): return automaton.acceptsSomething ? nil : .nothing
        case .lazyAutomaton: return nil
        }
    }

    /// `parts` with each operand rebuilt, or nil when none changes. Literals, `empty` and
    /// `nothing` (which `rebuiltIfChanged` leaves as they are) are passed over without a call.
    private static func rebuiltOperands(_ parts: [Expression], _ substitute: (String) -> Expression?) -> [Expression]? {
        var result: [Expression]?
        for index in parts.indices {
            switch parts[index] {
            case .literal, .empty, .nothing: continue
            default: break
            }
            guard let changed = rebuiltIfChanged(parts[index], substitute) else { continue }
            if result == nil { result = parts }
            result![index] = changed
        }
        return result
    }

    /// Whether `Expression.concat(parts)` is `.sequence(parts)`.
    private static func isFlatSequence(_ parts: [Expression]) -> Bool {
        guard parts.count > 1 else { return false }
        var previousIsLiteral = false
        for part in parts {
            switch part {
            case .empty, .nothing, .sequence: return false
            case .literal:
                if previousIsLiteral { return false }
                previousIsLiteral = true
            default: previousIsLiteral = false
            }
        }
        return true
    }

    /// Whether `choice(parts)` is `.choice(parts)`: no nested choice or `nothing`, and no leaf twice.
    private static func isFlatChoice(_ parts: [Expression]) -> Bool {
        guard parts.count > 1 else { return false }
        var leaves: [Expression] = []
        for part in parts {
            switch part {
            case .nothing, .choice: return false
            case .empty, .literal, .byteClass, .characterClass, .ruleReference:
                if leaves.count > 16 { return choice(parts) == .choice(parts) }
                if leaves.contains(part) { return false }
                leaves.append(part)
            default: continue
            }
        }
        return true
    }

    /// A choice, flattening nested choices and dropping `nothing`s; duplicates are dropped
    /// only among leaves (hashing large alternatives over and over would cost more than it saves).
    static func choice(_ parts: [Expression]) -> Expression {
        var flat: [Expression] = []
        // The first leaves are compared directly; a set (hashing each), made with room for
        // every operand, takes over beyond 8 (a set grown by insertions rehashes its elements).
        var leaves: [Expression] = []
        var seen: Set<Expression>?
        func add(_ e: Expression) {
            switch e {
            case .nothing: return
            case .choice(let nested): for inner in nested { add(inner) }
            case .empty, .literal, .byteClass, .characterClass, .ruleReference:
                if seen == nil {
                    if leaves.contains(e) { return }
                    leaves.append(e)
                    flat.append(e)
                    if leaves.count == 8 {
                        var set = Set<Expression>(minimumCapacity: Expression.operandCount(parts))
                        for leaf in leaves { set.insert(leaf) }
                        seen = set
                    }
                } else if seen!.insert(e).inserted {
                    flat.append(e)
                }
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

    /// Whether `e` has at most `limit` nodes (`size(e) <= limit`), counting no further than
    /// that: a large body is not walked whole to learn it is not small.
    static func hasSize(_ e: Expression, atMost limit: Int) -> Bool {
        var budget = limit
        return fits(e, within: &budget)
    }

    /// Counts the nodes of `e` off `budget`; false once it is spent below zero.
    private static func fits(_ e: Expression, within budget: inout Int) -> Bool {
        switch e {
        case .automaton(let automaton):
            budget -= max(automaton.stateCount, 1)
        case .sequence(let parts), .choice(let parts), .intersection(let parts):
            budget -= 1
            for part in parts where budget < 0 || !fits(part, within: &budget) { return false }
        case .repetition(let inner, _, _):
            budget -= 1
            return budget >= 0 && fits(inner, within: &budget)
        case .difference(let a, let b):
            budget -= 1
            return budget >= 0 && fits(a, within: &budget) && fits(b, within: &budget)
        case .empty, .nothing, .literal, .byteClass, .characterClass, .ruleReference, .lazyAutomaton:
            budget -= 1
        }
        return budget >= 0
    }

    /// The number of nodes of `e`.
    static func size(_ e: Expression) -> Int {
        switch e {
        case .empty, .nothing, .literal, .byteClass, .characterClass, .ruleReference: return 1
        case .sequence(let parts), .choice(let parts), .intersection(let parts): return parts.reduce(1) { $0 + size($1) }
        case .repetition(let inner, _, _): return 1 + size(inner)
        case .difference(let a, let b): return 1 + size(a) + size(b)
        case .automaton(let automaton): return max(automaton.stateCount, 1)
        case .lazyAutomaton: return 1
        }
    }

    /// Which rules derive at least one string (intersections count when every operand does):
    /// those `known` and those of `order` (best listed callees first) that do. A body whose
    /// rules (`successors`) are all known to derive one is read without looking them up.
    private static func productiveRules(_ bodies: [Expression], order: [Int], known: [Bool], _ successors: [[Int]?],
                                        _ referencesUndefined: [Bool], _ numbering: RuleNumbering) -> [Bool] {
        var numbering = numbering
        var productive = known
        let isProductive = { (name: String) in numbering.index(of: name).map { productive[$0] } ?? false }
        var changed = true
        while changed {
            changed = false
            for index in order where !productive[index] {
                let calleesDerive = !referencesUndefined[index] && successors[index]!.allSatisfy { productive[$0] }
                guard calleesDerive ? derives(bodies[index], { _ in true }) : derives(bodies[index], isProductive) else { continue }
                productive[index] = true
                changed = true
            }
        }
        return productive
    }

    private static func derives(_ e: Expression, _ productive: (String) -> Bool) -> Bool {
        switch e {
        case .empty, .literal: return true
        case .nothing: return false
        case .byteClass(let ranges): return !ranges.isEmpty
        case .characterClass(let set): return !set.isEmpty
        case .ruleReference(let name): return productive(name)
        case .sequence(let parts), .intersection(let parts): return parts.allSatisfy { derives($0, productive) }
        case .choice(let parts): return parts.contains { derives($0, productive) }
        case .repetition(let inner, let min, _): return min == 0 || derives(inner, productive)
        case .difference(let a, _): return derives(a, productive)
        case .automaton(let automaton): return automaton.acceptsSomething
        case .lazyAutomaton: return true
        }
    }

    /// Which rules can reach themselves, among those `order` reaches (`successors` known for
    /// all of them). The first `keptCount` rules refer only to one another, so no cycle
    /// through another rule passes them: they are not walked (and not marked).
    private static func recursiveRules(_ successors: [[Int]?], order: [Int], keptCount: Int) -> [Bool] {
        // Tarjan's strongly connected components, iteratively; one work stack for all starts,
        // a component read off the stack in place.
        var index = Array(repeating: -1, count: successors.count), lowLink = index
        var stack: [Int] = [], onStack = Array(repeating: false, count: successors.count)
        var recursive = Array(repeating: false, count: successors.count)
        var counter = 0
        var work: [(rule: Int, next: Int)] = []
        for start in order where index[start] < 0 {
            index[start] = counter; lowLink[start] = counter; counter += 1
            stack.append(start); onStack[start] = true
            work.append((start, 0))
            while let top = work.last {
                let next = successors[top.rule] ?? []
                if top.next < next.count {
                    work[work.count - 1].next += 1
                    let successor = next[top.next]
                    if successor < keptCount { continue }
                    if index[successor] < 0 {
                        index[successor] = counter; lowLink[successor] = counter; counter += 1
                        stack.append(successor); onStack[successor] = true
                        work.append((successor, 0))
                    } else if onStack[successor] {
                        lowLink[top.rule] = min(lowLink[top.rule], index[successor])
                    }
                    continue
                }
                work.removeLast()
                if let parent = work.last { lowLink[parent.rule] = min(lowLink[parent.rule], lowLink[top.rule]) }
                guard lowLink[top.rule] == index[top.rule] else { continue }
                // The component: the stack from `top.rule` up.
                let bottom = stack.lastIndex(of: top.rule)!
                let isCycle = stack.count - bottom > 1 || next.contains(top.rule)
                for member in stack[bottom...] {
                    onStack[member] = false
                    if isCycle { recursive[member] = true }
                }
                stack.removeSubrange(bottom...)
            }
        }
        return recursive
    }

    /// The rules reachable from `root`, each after the rules it refers to (cycles cut).
    /// `successors` caches the rules each rule refers to, in index order (nil: not known yet);
    /// references to undefined rules are dropped. Each body walked adds its references to
    /// `uses`, the occurrences of each rule, and marks in `referencesUndefined` those that
    /// refer to an undefined rule; its references, in preorder, go to `references`.
    private static func postorder(from root: Int, _ bodies: [Expression], _ numbering: inout RuleNumbering,
                                  successors: inout [[Int]?], uses: inout [Int], referencesUndefined: inout [Bool],
                                  references: inout ReferenceLists) -> [Int] {
        var occurrences: [Int] = []
        func referenced(by rule: Int) -> [Int] {
            if let known = successors[rule] { return known }
            occurrences.removeAll(keepingCapacity: true)
            collectReferences(bodies[rule], &numbering, into: &occurrences)
            references.record(occurrences, of: rule)
            for index in occurrences where index >= 0 { uses[index] += 1 }
            occurrences.sort()
            if occurrences.first == -1 { referencesUndefined[rule] = true }
            var rules: [Int] = []
            for index in occurrences where index >= 0 && rules.last != index { rules.append(index) }
            successors[rule] = rules
            return rules
        }
        var result: [Int] = []
        var visited = Array(repeating: false, count: bodies.count)
        visited[root] = true
        var work: [(rule: Int, successors: [Int], next: Int)] = [(root, referenced(by: root), 0)]
        while let top = work.last {
            if top.next < top.successors.count {
                work[work.count - 1].next += 1
                let successor = top.successors[top.next]
                if !visited[successor] {
                    visited[successor] = true
                    work.append((successor, referenced(by: successor), 0))
                }
                continue
            }
            work.removeLast()
            result.append(top.rule)
        }
        return result
    }

    /// Appends the index of the rule of every rule reference in `e` (-1 for an undefined rule).
    static func collectReferences(_ e: Expression, _ numbering: inout RuleNumbering, into indices: inout [Int]) {
        switch e {
        case .empty, .nothing, .literal, .byteClass, .characterClass, .automaton, .lazyAutomaton: return
        case .ruleReference(let name): indices.append(numbering.index(of: name) ?? -1)
        case .sequence(let parts), .choice(let parts), .intersection(let parts):
            // Leaves and references among the operands are read here, without a call each.
            for part in parts {
                switch part {
                case .empty, .nothing, .literal, .byteClass, .characterClass, .automaton, .lazyAutomaton: continue
                case .ruleReference(let name): indices.append(numbering.index(of: name) ?? -1)
                default: collectReferences(part, &numbering, into: &indices)
                }
            }
        case .repetition(let inner, _, _): collectReferences(inner, &numbering, into: &indices)
        case .difference(let a, let b):
            collectReferences(a, &numbering, into: &indices)
            collectReferences(b, &numbering, into: &indices)
        }
    }
}
