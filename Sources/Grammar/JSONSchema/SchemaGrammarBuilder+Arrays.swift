/// Arrays: positional schemas and a bounded repetition; with `contains`, `uniqueItems` or
/// `unevaluatedItems`, a finite automaton over elements written as rules.
///
/// The automaton's state is the index (clamped once positions no longer differ), a counter
/// per `contains` (clamped at its bound), and for `uniqueItems` the set of values used. Each
/// element is split by the `contains` schemas it matches — `items ∧ contains` or
/// `items ∧ ¬contains` when the count is bounded above or the match decides what
/// `unevaluatedItems` sees — so counting is exact wherever the negation is. `uniqueItems` is
/// exact when every position has a small finite set of possible values (enum, const,
/// Booleans, null): the elements are then those constants, each at most once. Otherwise, when
/// the elements are open (see `SchemaGrammarBuilder+UniqueItems.swift`), a plain array in a
/// rule of its own that matchers keep distinct at run time (`Grammar.uniqueArrayRules`); when
/// they are not but share one schema, also checked for dead ends after every token
/// (`Grammar.closedUniqueArrayRules`), as are small domains whose sets of used values would
/// need too many automaton states. Negated `uniqueItems` (`repeatedItems`, some two elements
/// equal) is exact over small finite domains the same way, the state also telling whether an
/// element repeated; elsewhere it is an error.
extension SchemaGrammarBuilder {
    struct ArrayState: Hashable {
        var index: Int
        var counters: [Int]
        /// The values used so far (under `uniqueItems` or its negation, until an element repeats).
        var used: Int
        /// Whether an element repeated an earlier one (tracked under negated `uniqueItems`).
        var repeated: Bool
    }

    mutating func array(_ merged: SchemaConstraints, closure: Closure, ruleName: String) throws(GrammarError) -> Expression {
        var maxItems = merged.maxItems
        for shape in merged.arrayShapes {
            if let items = shape.items, try isFalse(items) { maxItems = min(maxItems ?? shape.prefix.count, shape.prefix.count) }
            for (index, schema) in shape.prefix.enumerated() where try isFalse(schema) {
                maxItems = min(maxItems ?? index, index)
                break
            }
        }
        var minItems = merged.minItems
        if let maxItems, maxItems < minItems { return .nothing }
        if merged.uniqueItems && merged.repeatedItems { return .nothing }
        let pointer = describe(firstLocation(of: closure))

        // unevaluatedItems that see something unevaluated.
        var unevaluated: [(schema: String, evaluatedPrefix: Int, contains: Set<Int>)] = []
        for item in merged.unevaluatedItems {
            let scope = inPlaceScope(of: item.owners, in: closure)
            let shapes = merged.arrayShapes.filter { $0.evaluates && scope.contains($0.owner) }
            if shapes.contains(where: { $0.items != nil }) { continue }
            if merged.unevaluatedItems.contains(where: { $0 != item && $0.owners.contains(where: scope.contains) }) { continue }
            let containing = Set(merged.contains.indices.filter { merged.contains[$0].evaluates && scope.contains(merged.contains[$0].owner) })
            unevaluated.append((item.schema, shapes.map(\.prefix.count).max() ?? 0, containing))
        }
        var contains = merged.contains
        for item in merged.unevaluatedItemExistence {
            // Some element the scope does not evaluate satisfies the schema: a contains from the
            // first unevaluated index, among elements no evaluating contains in scope matches.
            let scope = inPlaceScope(of: item.owners, in: closure)
            let shapes = merged.arrayShapes.filter { $0.evaluates && scope.contains($0.owner) }
            if shapes.contains(where: { $0.items != nil }) { return .nothing }
            if merged.unevaluatedItems.contains(where: { $0.owners.contains(where: scope.contains) }) { return .nothing }
            let evaluating = merged.contains.filter { $0.evaluates && scope.contains($0.owner) }.map { "!" + $0.schema }
            contains.append(ContainsConstraint(schema: synthetic.intern(SchemaNode(conjuncts: [item.schema] + evaluating)), min: 1,
                                               start: shapes.map(\.prefix.count).max() ?? 0, owner: "", evaluates: false, pointer: item.pointer))
        }
        let exact = contains.indices.map { j in contains[j].max != nil || unevaluated.contains { $0.contains.contains(j) } }
        let relevant = contains.indices.filter { exact[$0] || contains[$0].min > 0 }

        guard !relevant.isEmpty || merged.uniqueItems || merged.repeatedItems || !unevaluated.isEmpty else {
            return try plainArray(merged, minItems: minItems, maxItems: maxItems, locations: atoms(closure.locations))
        }

        // Positions with distinct element schemas.
        let positions = ([merged.prefixLength] + contains.map(\.start) + unevaluated.map(\.evaluatedPrefix)).max() ?? 0
        var domains: [[JSONValue]]?
        // Unique elements kept apart at run time around a `contains` automaton: whether they
        // are also checked for dead ends (nil: not at run time).
        var checksClosedElements: Bool?
        if merged.uniqueItems || merged.repeatedItems {
            var lists: [[JSONValue]] = []
            var feasible = true
            for position in 0...positions where maxItems.map({ position < $0 }) ?? true {
                guard let values = try finiteValues(of: merged.elementSchemas(at: position), limit: JSONSchemaLimits.maxUniqueValues) else {
                    feasible = false
                    break
                }
                lists.append(values)
            }
            var all: [JSONValue] = []
            for list in lists { for value in list where !all.contains(value) { all.append(value) } }
            if feasible && all.count <= JSONSchemaLimits.maxUniqueValues {
                domains = lists
            } else if merged.repeatedItems {
                // Two equal elements among values too many to track.
                let where_ = merged.uniqueItemsPointer ?? JSONPointer.appending(pointer, "uniqueItems")
                guard options.lenient else {
                    throw GrammarError(.unsupportedKeyword, "uniqueItems under not (or in a oneOf/if branch that must fail) is "
                                       + "supported only when elements have at most \(JSONSchemaLimits.maxUniqueValues) possible "
                                       + "values", at: .jsonPointer(where_))
                }
                relax("uniqueItems", at: where_, "its negation is not enforced: arrays with repeated elements where the "
                      + "schema must fail are not generated")
                return .nothing
            } else if maxItems.map({ $0 <= 1 }) ?? false, relevant.isEmpty, unevaluated.isEmpty {
                // At most one element: nothing to repeat.
                return try plainArray(merged, minItems: minItems, maxItems: maxItems, locations: atoms(closure.locations))
            } else if relevant.isEmpty, unevaluated.isEmpty, try hasOpenItems(merged) {
                // Open elements: a plain array whose elements matchers keep distinct.
                let array = try plainArray(merged, minItems: minItems, maxItems: maxItems, locations: atoms(closure.locations))
                return uniqueArrayRule(array, ruleName: ruleName)
            } else if relevant.isEmpty, unevaluated.isEmpty, case let check = try closedUniqueCheck(merged, minItems: minItems), check != .unsupported {
                // Other elements: also checked for a dead end after every token.
                if check == .unsatisfiable { return .nothing }
                let array = try plainArray(merged, minItems: minItems, maxItems: maxItems, locations: atoms(closure.locations))
                return closedUniqueArrayRule(array, ruleName: ruleName)
            } else if unevaluated.isEmpty, try keepsContainsAtRunTime(merged, contains: relevant.map { contains[$0] }, minItems: minItems) {
                // One `contains` of at least one element, counted by the automaton below.
                checksClosedElements = try !hasOpenItems(merged)
            } else {
                let where_ = merged.uniqueItemsPointer ?? JSONPointer.appending(pointer, "uniqueItems")
                guard options.lenient else {
                    throw GrammarError(.unsupportedKeyword, "uniqueItems is supported with contains or unevaluatedItems only when "
                                       + "elements have at most \(JSONSchemaLimits.maxUniqueValues) possible values, and otherwise "
                                       + "for elements that are open at every position or share one schema (no prefixItems), with "
                                       + "minItems (\(minItems)) at most the number of values they are known to have",
                                       at: .jsonPointer(where_))
                }
                relax("uniqueItems", at: where_, "ignored: repeated elements are not prevented")
                if relevant.isEmpty && unevaluated.isEmpty {
                    return try plainArray(merged, minItems: minItems, maxItems: maxItems, locations: atoms(closure.locations))
                }
            }
        }
        let values: [JSONValue] = {
            var all: [JSONValue] = []
            for list in domains ?? [] { for value in list where !all.contains(value) { all.append(value) } }
            return all
        }()
        if domains != nil, merged.uniqueItems, maxItems.map({ $0 > values.count }) ?? true { maxItems = values.count }
        if let maxItems, maxItems < minItems { return .nothing }

        // Element kinds per position class (0…positions, the last one for all later indices).
        struct Element { var expression: Expression; var increments: [Int]; var value: Int? }
        var kinds: [[Element]] = []
        for position in 0...positions {
            var list: [Element] = []
            let base = merged.elementSchemas(at: position)
            let applicable = relevant.filter { position >= contains[$0].start }
            if let domains {
                let domain = position < domains.count ? domains[position] : []
                for value in domain {
                    guard let valueIndex = values.firstIndex(of: value) else { continue }
                    var increments: [Int] = []
                    var matches = Set<Int>()
                    for j in applicable where try admits(value, atoms: [contains[j].schema]) { matches.insert(j) }
                    for j in relevant { increments.append(matches.contains(j) ? 1 : 0) }
                    var ok = true
                    for rule in unevaluated where position >= rule.evaluatedPrefix && rule.contains.isDisjoint(with: matches) {
                        if try !admits(value, atoms: [rule.schema]) { ok = false }
                    }
                    if ok { list.append(Element(expression: constant(value), increments: increments, value: valueIndex)) }
                }
            } else {
                for choice in 0..<(1 << applicable.count) {
                    var atoms = base
                    var matches = Set<Int>()
                    for (bit, j) in applicable.enumerated() {
                        if choice & (1 << bit) != 0 {
                            atoms.append(contains[j].schema)
                            matches.insert(j)
                        } else if exact[j] {
                            atoms.append("!" + contains[j].schema)
                        }
                    }
                    for rule in unevaluated where position >= rule.evaluatedPrefix && rule.contains.isDisjoint(with: matches) {
                        atoms.append(rule.schema)
                    }
                    let increments = relevant.map { matches.contains($0) ? 1 : 0 }
                    list.append(Element(expression: try reference(to: atoms), increments: increments, value: nil))
                }
            }
            kinds.append(list)
        }

        // Counter ranges.
        let ceilings = relevant.map { j in contains[j].max ?? contains[j].min }
        let cap = maxItems ?? max(positions, minItems, 1)
        var budget = cap + 1
        for ceiling in ceilings { budget = budget.multipliedReportingOverflow(by: ceiling + 1).partialValue }
        if domains != nil { budget = budget.multipliedReportingOverflow(by: 1 << values.count).partialValue }
        if merged.repeatedItems { budget = budget.multipliedReportingOverflow(by: 2).partialValue }
        guard budget <= JSONSchemaLimits.maxAutomatonStates, budget > 0 else {
            if domains != nil, merged.uniqueItems, relevant.isEmpty, unevaluated.isEmpty, try closedUniqueCheck(merged, minItems: minItems) == .applies {
                // Too many sets of used values to write out: checked at run time instead.
                let array = try plainArray(merged, minItems: minItems, maxItems: maxItems, locations: atoms(closure.locations))
                return closedUniqueArrayRule(array, ruleName: ruleName)
            }
            throw GrammarError(.limitExceeded, "the array needs more than \(JSONSchemaLimits.maxAutomatonStates) automaton states "
                               + "(item counts, contains bounds or uniqueItems)", at: .jsonPointer(pointer))
        }
        minItems = max(minItems, 0)
        let mandatory = max(minItems, 1)
        let emptyAllowed = minItems == 0 && relevant.allSatisfy { contains[$0].min == 0 } && !merged.repeatedItems
        if maxItems == 0 { return emptyAllowed ? lexicon.bracketed("[", .nothing, "]", allowsEmpty: true) : .nothing }

        var rules = StateRules<ArrayState>(prefix: "\(ruleName).a")
        let start = rules.reference(ArrayState(index: 0, counters: Array(repeating: 0, count: relevant.count), used: 0, repeated: false))
        while let (state, name) = rules.next() {
            var alternatives: [Expression] = []
            var loops: [Expression] = []
            let accepting = state.index >= mandatory && relevant.indices.allSatisfy { state.counters[$0] >= contains[relevant[$0]].min }
                && (state.repeated || !merged.repeatedItems)
            if accepting { alternatives.append(.empty) }
            if maxItems.map({ state.index < $0 }) ?? true {
                for element in kinds[min(state.index, positions)] {
                    var used = state.used, repeated = state.repeated
                    if let value = element.value {
                        if used & (1 << value) != 0 {
                            if merged.uniqueItems { continue }
                            repeated = true
                        }
                        // Once an element repeated, which values were used no longer matters.
                        used = repeated ? 0 : used | (1 << value)
                    }
                    var counters = state.counters
                    var dead = false
                    for k in counters.indices {
                        counters[k] += element.increments[k]
                        if let max = contains[relevant[k]].max {
                            if counters[k] > max { dead = true }
                        } else {
                            counters[k] = min(counters[k], ceilings[k])
                        }
                    }
                    if dead { continue }
                    let index = maxItems == nil ? min(state.index + 1, cap) : state.index + 1
                    let target = ArrayState(index: index, counters: counters, used: used, repeated: repeated)
                    let separator = state.index > 0 ? lexicon.comma : .empty
                    if target == state {
                        loops.append(.concat([separator, element.expression]))
                    } else {
                        alternatives.append(.concat([separator, element.expression, rules.reference(target)]))
                    }
                }
            }
            var body = Expression.alternatives(alternatives)
            if !loops.isEmpty { body = .concat([.zeroOrMore(.alternatives(loops)), body]) }
            grammar.define(name, body)
        }
        let array = lexicon.bracketed("[", start, "]", allowsEmpty: emptyAllowed)
        switch checksClosedElements {
        case nil: return array
        case false?: return uniqueArrayRule(array, ruleName: ruleName)
        case true?: return closedUniqueArrayRule(array, ruleName: ruleName)
        }
    }

    /// Arrays of positional schemas then a shared one, with a bounded count.
    private mutating func plainArray(_ merged: SchemaConstraints, minItems original: Int, maxItems bound: Int?,
                                     locations: [String]) throws(GrammarError) -> Expression {
        var maxItems = bound
        var minItems = original
        if maxItems == 0 { return lexicon.bracketed("[", .nothing, "]", allowsEmpty: true) }
        let prefixLength = merged.prefixLength
        // Elements from index `prefixLength` on share one schema: a bounded repetition.
        var tail: Expression?
        if maxItems.map({ $0 > prefixLength }) ?? true {
            let element = try reference(to: merged.elementSchemas(at: prefixLength))
            let size = GrammarSimplifier.size(.concat([lexicon.comma, element]))
            if let bound = maxItems, !(try fitsBudget(bound, size: size, keyword: "maxItems", locations: locations)) { maxItems = nil }
            if !(try fitsBudget(minItems, size: size, keyword: "minItems", locations: locations)) { minItems = 0 }
            tail = element
        }
        let firstRequired = max(minItems, 1)
        var rest: Expression = .empty
        if let tail {
            let separated = Expression.concat([lexicon.comma, tail])
            rest = prefixLength == 0
                ? .concat([tail, .repetition(separated, min: firstRequired - 1, max: maxItems.map { $0 - 1 })])
                : .repetition(separated, min: max(firstRequired - prefixLength, 0), max: maxItems.map { $0 - prefixLength })
        }
        // Positions before it, innermost first: each may end the array once enough elements came.
        for index in stride(from: prefixLength - 1, through: 0, by: -1) {
            if let maxItems, maxItems <= index { continue }
            let continued = Expression.concat([index > 0 ? lexicon.comma : .empty, try reference(to: merged.elementSchemas(at: index)), rest])
            rest = index >= firstRequired ? .optional(continued) : continued
        }
        return lexicon.bracketed("[", rest, "]", allowsEmpty: minItems == 0)
    }
}
