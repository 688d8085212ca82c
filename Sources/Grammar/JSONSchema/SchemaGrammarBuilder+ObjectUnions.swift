/// `anyOf` of closed objects as one object automaton: the product of the branches' member
/// chains.
///
/// Distributed as usual, an `anyOf` of objects is a choice of one object rule per branch, and
/// while the output reads a key several branches declare, the matcher keeps a stack per
/// branch (their futures differ: what each branch may take next). Skaffold-style schemas
/// (an `anyOf` of a dozen closed objects sharing most of their optional properties) then
/// carry thousands of stacks per configuration. Here the object's state is instead what
/// every branch still alive has read: per branch, its position in its declared order (or
/// dead), and the number of members so far when some branch counts them. A key moves every
/// live branch declaring it past it (skipping only optional members) and kills the others,
/// so a key shared by several branches is read by one stack.
///
/// Exact: a branch stays alive exactly while the members read so far are a prefix of an
/// object it accepts, and the object may end when some live branch may end, which is
/// `anyOf` over these branches. Values: branches whose schemas for a key are the same
/// (`areEquivalentSchemas`) form one *value class*; a member of that key is read once per
/// class, each reading keeping alive only that class's branches. A value valid under several
/// classes is then read along each (nondeterminism, not a wrong answer): a branch survives
/// along the reading of its own class exactly when the value satisfies its schema.
///
/// Built only when every branch is a closed object in declared property order (no
/// `patternProperties`, no extra members, no `propertyNames`, negated or unevaluated member
/// conditions, and no disjunction left inside it), and the reachable states stay within
/// `JSONSchemaLimits.maxObjectUnionStates` and their moves within
/// `JSONSchemaLimits.maxObjectUnionMoves`; otherwise the `anyOf` is distributed as before.
extension SchemaGrammarBuilder {
    /// One branch of an object union: its declared members in order and its member counts.
    struct UnionBranch {
        /// Declared properties in order: name, whether required, and the value class of
        /// the name (nil: the name may not appear in this branch).
        var members: [(name: String, required: Bool, valueClass: Int?)]
        var minimum: Int
        var maximum: Int?

        /// Where `name` is, at `position` or after it with only optional members skipped.
        func index(of name: String, from position: Int) -> Int? {
            var index = position
            while index < members.count {
                if members[index].name == name { return index }
                if members[index].required { return nil }
                index += 1
            }
            return nil
        }

        /// Whether an object may end at `position` with `count` members.
        func mayEnd(at position: Int, count: Int) -> Bool {
            count >= minimum && members[position...].allSatisfy { !$0.required }
        }
    }

    /// A state of the union automaton.
    struct UnionState: Hashable {
        /// Per branch, its position in its declared members (-1: dead).
        var positions: [Int32]
        /// Members so far, clamped at the largest count a branch tells apart.
        var count: Int
    }

    /// The values of one key in a set of branches asserting the same schemas for it.
    struct ValueClass {
        var atoms: [String]
        var value: Expression
    }

    /// The objects of `closure` (restricted to objects) under its pending `anyOf` `group`, as
    /// one automaton over the branches' members; nil when a branch is not a closed object in
    /// declared order or the automaton would pass its budget (see the type's comment).
    mutating func objectUnion(of group: BranchGroup, in closure: Closure, ruleName: String) throws(GrammarError) -> Expression? {
        guard options.readsObjectUnions, group.kind == .anyOf, !document.usesUnevaluated, options.propertyOrder == .declared,
              closure.types.contains(.object), group.branches.count >= 2 else { return nil }
        let base = try withFoldedConstraints(self.closure(restricting: closure, to: .object))
        // Every branch is checked before any value rule is asked for.
        var objects: [SchemaConstraints] = []
        for branch in group.branches {
            let branchClosure = try self.closure(extending: base, with: branch, types: .object)
            guard branchClosure.pendingGroups.isEmpty else { return nil }
            let merged = try constraints(of: branchClosure)
            if merged.types.isEmpty { continue }
            if try isContradictory(merged) { continue }
            guard try isClosedMemberChain(merged) else { return nil }
            objects.append(merged)
        }
        var branches: [UnionBranch] = []
        var classes: [String: [ValueClass]] = [:]
        for merged in objects {
            if let chain = try unionBranch(merged, classes: &classes) { branches.append(chain) }
        }
        guard branches.count >= 2 else { return nil }

        // Counts are told apart up to the largest bound of any branch.
        let countCap = branches.map { max($0.minimum, ($0.maximum ?? 0) + 1, 1) }.max() ?? 1
        guard countCap <= JSONSchemaLimits.maxObjectUnionCount else { return nil }
        let start = UnionState(positions: Array(repeating: 0, count: branches.count), count: 0)

        // The reachable states and their moves, before any rule is written.
        struct Move { var name: String; var valueClass: Int; var target: UnionState }
        var moves: [UnionState: [Move]] = [:]
        var reached: Set<UnionState> = [start]
        var frontier = [start]
        var moveCount = 0
        while let state = frontier.popLast() {
            var stateMoves: [Move] = []
            let candidates = Self.candidates(in: state, branches)
            // Each state lists every member it may take next (no skip rules to share them).
            moveCount += candidates.count
            guard moveCount <= JSONSchemaLimits.maxObjectUnionMoves else { return nil }
            for (name, valueClass) in candidates {
                let target = Self.successor(of: state, reading: name, valueClass: valueClass, branches, countCap: countCap)
                guard target.positions.contains(where: { $0 >= 0 }) else { continue }
                stateMoves.append(Move(name: name, valueClass: valueClass, target: target))
                if reached.insert(target).inserted {
                    guard reached.count <= JSONSchemaLimits.maxObjectUnionStates else { return nil }
                    frontier.append(target)
                }
            }
            moves[state] = stateMoves
        }

        var rules = StateRules<UnionState>(prefix: "\(ruleName).u")
        let startReference = rules.reference(start)
        while let (state, name) = rules.next() {
            var alternatives: [Expression] = []
            if state.count > 0 && Self.mayEnd(state, branches) { alternatives.append(.empty) }
            for move in moves[state] ?? [] {
                let value = classes[move.name]![move.valueClass].value
                alternatives.append(.concat([state.count > 0 ? lexicon.comma : .empty,
                                             lexicon.member(key: JSONStringEncoding.quoted(move.name), value: value),
                                             rules.reference(move.target)]))
            }
            grammar.define(name, .alternatives(alternatives))
        }
        return lexicon.bracketed("{", startReference, "}", allowsEmpty: Self.mayEnd(start, branches))
    }

    /// Whether the objects of `merged` are a closed chain of declared members: no extra
    /// members, and no member condition but `required` and the counts.
    private mutating func isClosedMemberChain(_ merged: SchemaConstraints) throws(GrammarError) -> Bool {
        guard merged.allowedValues == nil, merged.propertyNames.isEmpty, merged.existence.isEmpty,
              merged.unevaluatedProperties.isEmpty, merged.unevaluatedPropertyExistence.isEmpty,
              merged.objectShapes.allSatisfy({ $0.patterns.isEmpty }) else { return false }
        for shape in merged.objectShapes {
            if let additional = shape.additional, try isFalse(additional) { return true }
        }
        return false
    }

    /// The member chain of the closed objects of `merged`, its value classes added to
    /// `classes`; nil when it admits no object.
    private mutating func unionBranch(_ merged: SchemaConstraints, classes: inout [String: [ValueClass]]) throws(GrammarError) -> UnionBranch? {
        if let maximum = merged.maxProperties, maximum < merged.minProperties { return nil }
        let required = Set(merged.required)
        var members: [(name: String, required: Bool, valueClass: Int?)] = []
        let index = PropertySchemaIndex(merged.objectShapes)
        for name in merged.declaredNames {
            let isRequired = required.contains(name)
            let atoms = propertySchemas(for: name, in: index)
            var valueClass: Int?
            if try admitsMember(named: name, schemas: atoms, keyMatcher: nil) {
                valueClass = try self.valueClass(of: name, atoms: atoms, in: &classes)
            }
            if valueClass == nil && isRequired { return nil }
            members.append((name, isRequired, valueClass))
        }
        return UnionBranch(members: members, minimum: merged.minProperties, maximum: merged.maxProperties)
    }

    /// The index of the value class of `name` whose schemas are `atoms` (a new class when no
    /// earlier branch asserts the same schemas for it); nil when no value satisfies them.
    private mutating func valueClass(of name: String, atoms: [String], in classes: inout [String: [ValueClass]]) throws(GrammarError) -> Int? {
        let known = classes[name] ?? []
        if let index = known.firstIndex(where: { candidate in
            candidate.atoms.count == atoms.count && zip(candidate.atoms, atoms).allSatisfy { areEquivalentSchemas($0, $1) }
        }) {
            return index
        }
        let value = try reference(to: atoms)
        if value == .nothing { return nil }
        if let index = known.firstIndex(where: { $0.value == value }) { return index }
        classes[name, default: []].append(ValueClass(atoms: atoms, value: value))
        return known.count
    }

    /// The (name, value class) pairs some live branch of `state` may read next, in order of
    /// first appearance.
    private static func candidates(in state: UnionState, _ branches: [UnionBranch]) -> [(String, Int)] {
        var result: [(String, Int)] = []
        for (branch, position) in zip(branches, state.positions) where position >= 0 {
            if let maximum = branch.maximum, state.count >= maximum { continue }
            for member in branch.members[Int(position)...] {
                if let valueClass = member.valueClass, !result.contains(where: { $0.0 == member.name && $0.1 == valueClass }) {
                    result.append((member.name, valueClass))
                }
                if member.required { break }
            }
        }
        return result
    }

    /// The state after a member `name` whose value is read as `valueClass`: the branches
    /// declaring the name with that class move past it, the others die.
    private static func successor(of state: UnionState, reading name: String, valueClass: Int,
                                  _ branches: [UnionBranch], countCap: Int) -> UnionState {
        let count = state.count + 1
        var target = UnionState(positions: state.positions, count: min(count, countCap))
        for (i, branch) in branches.enumerated() where state.positions[i] >= 0 {
            if let maximum = branch.maximum, count > maximum {
                target.positions[i] = -1
            } else if let index = branch.index(of: name, from: Int(state.positions[i])), branch.members[index].valueClass == valueClass {
                target.positions[i] = Int32(index + 1)
            } else {
                target.positions[i] = -1
            }
        }
        return target
    }

    /// Whether some live branch of `state` may end the object there.
    private static func mayEnd(_ state: UnionState, _ branches: [UnionBranch]) -> Bool {
        zip(branches, state.positions).contains { branch, position in
            position >= 0 && branch.mayEnd(at: Int(position), count: state.count)
        }
    }
}
