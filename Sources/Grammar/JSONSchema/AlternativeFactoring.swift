/// Left-factors the choices of a grammar: alternatives that begin with the same expression
/// share it, recursively (`a b c | a b d | e` becomes `a b (c | d) | e`). The language is the
/// same; the pushdown automaton then reads a shared beginning once, as one stack, instead of
/// once per alternative. The JSON Schema front end writes such choices where it splits
/// overlapping `oneOf` branches into cases that differ only after their first members: each
/// case otherwise keeps a stack of its own through the whole common part, and every step
/// there scans all of them.
enum AlternativeFactoring {
    /// `grammar` with the choices of its rules factored. Shared rules (`Grammar.Rule.isShared`)
    /// are left as they are: automata caches recognize them by their bodies. So are the first
    /// `factoredCount` rules, already factored (a lexicon's, factored once per process).
    static func factored(_ grammar: Grammar, skippingFirst factoredCount: Int = 0) -> Grammar {
        var result = grammar
        for rule in grammar.rules[factoredCount...] where !rule.isShared {
            if let body = factoredIfChanged(rule.body) { result.define(rule.name, body) }
        }
        return result
    }

    /// `e` with its choices factored, or nil when none changes. Intersections and differences
    /// are left whole: their operands are determinized, where sharing a beginning buys nothing.
    static func factoredIfChanged(_ e: Expression) -> Expression? {
        switch e {
        case .sequence(let parts):
            return factoredOperands(parts).map(Expression.concat)
        case .choice(let parts):
            let operands = factoredOperands(parts)
            let alternatives = operands ?? parts
            guard mayShareFirstElements(alternatives) else { return operands.map(Expression.alternatives) }
            return factoredChoice(alternatives.map(elements)) ?? operands.map(Expression.alternatives)
        case .repetition(let inner, let min, let max):
            return factoredIfChanged(inner).map { .repetition($0, min: min, max: max) }
        default:
            return nil
        }
    }

    /// `parts` with each factored, or nil when none changes. Operands other than sequences,
    /// choices and repetitions (which `factoredIfChanged` leaves as they are) are passed over
    /// without a call: most operands of a grammar are leaves.
    private static func factoredOperands(_ parts: [Expression]) -> [Expression]? {
        var result: [Expression]?
        for index in parts.indices {
            switch parts[index] {
            case .sequence, .choice, .repetition: break
            default: continue
            }
            guard let changed = factoredIfChanged(parts[index]) else { continue }
            if result == nil { result = parts }
            result![index] = changed
        }
        return result
    }

    /// Whether two of `alternatives` may begin with the same element (their first elements'
    /// `shallowKey`s agree): most choices share none, and are then left without grouping. The
    /// keys are sorted in a temporary buffer (on the stack for small choices).
    private static func mayShareFirstElements(_ alternatives: [Expression]) -> Bool {
        guard alternatives.count > 1 else { return false }
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: alternatives.count) { keys in
            var count = 0
            for alternative in alternatives {
                switch alternative {
                case .empty: continue
                case .sequence(let parts): keys[count] = shallowKey(parts[0])
                default: keys[count] = shallowKey(alternative)
                }
                count += 1
            }
            var filled = UnsafeMutableBufferPointer(rebasing: keys[..<count])
            filled.sort()
            return zip(filled, filled.dropFirst()).contains { $0 == $1 }
        }
    }

    /// The elements of `e` read as a sequence.
    private static func elements(_ e: Expression) -> [Expression] {
        switch e {
        case .empty: []
        case .sequence(let parts): parts
        default: [e]
        }
    }

    /// The choice of `alternatives` (each a sequence of elements), those with the same first
    /// element sharing it, in the order of first appearance; nil when no two share one.
    private static func factoredChoice(_ alternatives: [[Expression]]) -> Expression? {
        // Heads are told apart by a cheap key first, compared whole only when keys agree
        // (hashing whole expressions over large grammars costs more than the comparisons).
        var groups: [(head: Expression?, members: [ArraySlice<Expression>])] = []
        var groupsByKey: [Int: [Int]] = [:]
        for alternative in alternatives {
            guard let head = alternative.first else {
                groups.append((nil, [alternative[...]]))
                continue
            }
            let key = shallowKey(head)
            if let group = groupsByKey[key]?.first(where: { groups[$0].head == head }) {
                groups[group].members.append(alternative.dropFirst())
            } else {
                groupsByKey[key, default: []].append(groups.count)
                groups.append((head, [alternative.dropFirst()]))
            }
        }
        guard groups.count < alternatives.count else { return nil }
        let choices = groups.map { group -> Expression in
            guard let head = group.head else { return .empty }
            if group.members.count == 1 { return .concat([head] + group.members[0]) }
            let rests = group.members.map(Array.init)
            return .concat([head, factoredChoice(rests) ?? .alternatives(rests.map(Expression.concat))])
        }
        return .alternatives(choices)
    }

    /// A key equal expressions share: the kind, and a hash of the bytes of a name or literal
    /// (object members' keys all begin and end with `"`: their lengths and end bytes agree
    /// too often), or an operand count.
    private static func shallowKey(_ e: Expression) -> Int {
        func bytes(_ kind: Int, _ b: some Sequence<UInt8>) -> Int {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in b { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            return kind | Int(truncatingIfNeeded: hash) << 4
        }
        switch e {
        case .ruleReference(let name): return bytes(1, name.utf8)
        case .literal(let literal): return bytes(2, literal)
        case .sequence(let parts): return 3 | parts.count << 4
        case .choice(let parts): return 4 | parts.count << 4
        case .repetition(_, let min, let max): return 5 | min << 4 | (max ?? -1) << 32
        case .byteClass(let ranges): return 6 | ranges.count << 4
        default: return 7
        }
    }
}
