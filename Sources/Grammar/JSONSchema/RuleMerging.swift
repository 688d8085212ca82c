/// Merges the rules of a grammar that are equal up to the names of equal rules: the coarsest
/// partition of the rules in which two rules of one class have bodies of the same shape (equal
/// when every rule reference is read as one symbol) whose references, in order, name rules of
/// the same classes. Each class keeps one rule (the root when it is in the class, else the
/// first in grammar order); references to the others name it instead, and they are dropped.
///
/// The language of every kept rule is unchanged: replacing each rule by its class's is a
/// congruence (bodies of one class are the same expression once references name classes), so
/// a derivation in one grammar is one in the other, reference for reference. Rules of one
/// class also unfold to the same infinite tree, so a recursive rule never joins a
/// non-recursive one: regular operands (of intersections and differences) stay regular and no
/// left recursion appears. The JSON Schema builder makes such rules where it builds the same
/// object or conjunction in several contexts (each under a name of its own); the automaton
/// compiler would otherwise build each copy.
///
/// `GrammarSimplifier.simplify` merges the rules it keeps, before they are factored (factoring
/// then also shares beginnings that differed only in the names of equal rules).
enum RuleMerging {
    /// For each rule of `bodies`, the rule kept for it: itself, or the rule of its class
    /// (`root` when it is in the class, else the first in order); nil when every rule is kept.
    /// `rules` lists the rules to merge among (the others, and those `mergeable` refuses, are
    /// kept as they are; nil when fewer than `minimumCount` are left); `references` has, for
    /// each of them, the rules its body refers to in preorder.
    ///
    /// Rules are told apart first by a digest of their first nodes (references read as one
    /// symbol) mixed with those of the rules they refer to, then by the classes of their
    /// references, then by their shapes whole, the last two again until neither splits a
    /// class; a class is looked at again only when a rule its members refer to changes class,
    /// and only rules in a class are compared whole. Most grammars have no two rules of equal
    /// first nodes: they are answered from those digests alone.
    static func representatives(_ bodies: [Expression], among rules: [Int], root: Int, mergeable: (Int) -> Bool,
                                references: GrammarSimplifier.ReferenceLists, minimumCount: Int = minimumCount) -> [Int]? {
        let candidates = rules.filter(mergeable)
        guard candidates.count >= minimumCount else { return nil }
        // The digests of the rules' first nodes; nothing to merge unless two are equal.
        var keyed: [(key: UInt64, rule: Int)] = []
        keyed.reserveCapacity(candidates.count)
        for rule in candidates {
            var digest = ShapeDigest(seed: shapeSeed)
            var budget = shapeDigestNodes
            shape(of: bodies[rule], into: &digest, budget: &budget)
            keyed.append((digest.value & ~(1 << 63), rule))
        }
        keyed.sort { ($0.key, $0.rule) < ($1.key, $1.rule) }
        guard zip(keyed, keyed.dropFirst()).contains(where: { $0.key == $1.key }) else { return nil }

        // Then, `hashedRounds` times, each key mixed with those of the rules referred to
        // (other rules keep their numbers). Rules equal up to equal rules have equal keys
        // every round, so the rules of a key are a first partition coarser than the one
        // sought; it spares the exact refinement below most of its rounds.
        var keys = bodies.indices.map { UInt64($0) | 1 << 63 }
        for entry in keyed { keys[entry.rule] = entry.key }
        var nextKeys = keys
        for _ in 0..<hashedRounds {
            for entry in keyed {
                var digest = ShapeDigest(seed: shapeSeed)
                digest.add(keys[entry.rule])
                for referenced in references[entry.rule] { digest.add(referenced < 0 ? UInt64.max : keys[referenced]) }
                nextKeys[entry.rule] = digest.value & ~(1 << 63)
            }
            swap(&keys, &nextKeys)
        }
        for index in keyed.indices { keyed[index].key = keys[keyed[index].rule] }
        keyed.sort { ($0.key, $0.rule) < ($1.key, $1.rule) }
        var partition = Partition(ruleCount: bodies.count)
        var start = 0
        while start < keyed.count {
            var end = start + 1
            while end < keyed.count, keyed[end].key == keyed[start].key { end += 1 }
            if end - start > 1 { partition.add(keyed[start..<end].map(\.rule)) }
            start = end
        }
        guard !partition.classes.isEmpty else { return nil }
        partition.findUsers(references)

        var groups: [Int] = []
        var leaders: [Int] = []
        repeat {
            partition.refine(references)
            // Shapes whole, against each group's first member.
            for number in partition.classes.indices where partition.classes[number].count > 1 {
                let members = partition.classes[number]
                groups.removeAll(keepingCapacity: true)
                leaders.removeAll(keepingCapacity: true)
                for member in members {
                    if let group = leaders.firstIndex(where: { sameShape(bodies[members[$0]], bodies[member]) }) {
                        groups.append(group)
                    } else {
                        groups.append(leaders.count)
                        leaders.append(groups.count - 1)
                    }
                }
                if leaders.count > 1 { partition.split(number, groups: groups, count: leaders.count) }
            }
        } while !partition.work.isEmpty

        var representative = Array(bodies.indices)
        for members in partition.classes where members.count > 1 {
            let chosen = members.contains(root) ? root : members.min()!
            for member in members { representative[member] = chosen }
        }
        return representative
    }

    /// Classes of rules (only those of two rules or more are held: a class's number is the
    /// rule count plus its index in `classes`; a rule in no class is its own), who refers to
    /// their members, and the classes to look at again.
    private struct Partition {
        private(set) var classes: [[Int]] = []
        /// Each rule's class number.
        private(set) var classOf: [Int]
        /// For each member `r` of a class, the members of classes that refer to it:
        /// `users[userStart[r]..<userStart[r + 1]]`.
        private var users: [Int] = []
        private var userStart: [Int]
        /// Classes to refine again (`queued` marks them).
        private(set) var work: [Int] = []
        private var queued: [Bool] = []
        private let ruleCount: Int
        // Scratch of `refine`.
        private var keyed: [(hash: UInt64, position: Int)] = []
        private var groups: [Int] = []
        private var leaders: [Int] = []

        init(ruleCount: Int) {
            self.ruleCount = ruleCount
            classOf = Array(0..<ruleCount)
            userStart = Array(repeating: 0, count: ruleCount + 1)
        }

        /// A new class of `members` (at least two rules in no class), queued.
        mutating func add(_ members: [Int]) {
            for member in members { classOf[member] = ruleCount + classes.count }
            work.append(classes.count)
            queued.append(true)
            classes.append(members)
        }

        /// Records who refers to each member of a class, among the members of classes.
        mutating func findUsers(_ references: GrammarSimplifier.ReferenceLists) {
            // Counted, then placed: one buffer for all.
            for members in classes {
                for member in members {
                    for referenced in references[member] where referenced >= 0 && classOf[referenced] >= ruleCount {
                        userStart[referenced + 1] += 1
                    }
                }
            }
            for rule in 0..<ruleCount { userStart[rule + 1] += userStart[rule] }
            var next = userStart
            users = Array(repeating: 0, count: userStart[ruleCount])
            for members in classes {
                for member in members {
                    for referenced in references[member] where referenced >= 0 && classOf[referenced] >= ruleCount {
                        users[next[referenced]] = member
                        next[referenced] += 1
                    }
                }
            }
        }

        /// Splits the queued classes by the classes their members' references name, until none
        /// splits. A class's keys are all read before any of its members moves, so each split
        /// reads one partition coarser than the coarsest stable one, and never parts two rules
        /// of it.
        mutating func refine(_ references: GrammarSimplifier.ReferenceLists) {
            while let number = work.popLast() {
                queued[number] = false
                let members = classes[number]
                guard members.count > 1 else { continue }
                // Members by key hash; equal hashes compared in full with each group's first.
                keyed.removeAll(keepingCapacity: true)
                for (position, member) in members.enumerated() {
                    var digest = ShapeDigest(seed: shapeSeed)
                    for referenced in references[member] { digest.add(referenced < 0 ? -1 : classOf[referenced]) }
                    keyed.append((digest.value, position))
                }
                keyed.sort { ($0.hash, $0.position) < ($1.hash, $1.position) }
                groups.removeAll(keepingCapacity: true)
                groups.append(contentsOf: repeatElement(0, count: members.count))
                var groupCount = 0
                var runStart = 0
                while runStart < keyed.count {
                    var runEnd = runStart + 1
                    while runEnd < keyed.count, keyed[runEnd].hash == keyed[runStart].hash { runEnd += 1 }
                    leaders.removeAll(keepingCapacity: true)
                    for entry in keyed[runStart..<runEnd] {
                        let member = members[entry.position]
                        if let leader = leaders.first(where: { sameKeys(references[members[$0]], references[member]) }) {
                            groups[entry.position] = groups[leader]
                        } else {
                            leaders.append(entry.position)
                            groups[entry.position] = groupCount
                            groupCount += 1
                        }
                    }
                    runStart = runEnd
                }
                if groupCount > 1 { split(number, groups: groups, count: groupCount) }
            }
        }

        /// Splits class `number`: its members of group 0 (`groups`, in member order) stay, each
        /// other group of the `count` becomes a class; the classes of rules that refer to a
        /// moved member are queued.
        mutating func split(_ number: Int, groups: [Int], count: Int) {
            let members = classes[number]
            let firstNew = classes.count
            classes[number] = []
            classes.append(contentsOf: repeatElement([], count: count - 1))
            queued.append(contentsOf: repeatElement(false, count: count - 1))
            for (member, group) in zip(members, groups) {
                let target = group == 0 ? number : firstNew + group - 1
                classes[target].append(member)
                classOf[member] = ruleCount + target
            }
            for (member, group) in zip(members, groups) where group != 0 {
                for user in users[userStart[member]..<userStart[member + 1]] {
                    let userClass = classOf[user] - ruleCount
                    if !queued[userClass] && classes[userClass].count > 1 {
                        queued[userClass] = true
                        work.append(userClass)
                    }
                }
            }
        }

        /// Whether two reference lists name rules of the same classes, in order.
        private func sameKeys(_ a: ArraySlice<Int>, _ b: ArraySlice<Int>) -> Bool {
            guard a.count == b.count else { return false }
            for (x, y) in zip(a, b) where (x < 0 ? -1 : classOf[x]) != (y < 0 ? -1 : classOf[y]) { return false }
            return true
        }
    }

    /// The fewest rules to merge among that `representatives` looks at: a grammar of fewer
    /// rules has little to gain (its copies, if any, are small to compile) and would pay the
    /// digests on every schema (the median JSON Schema grammar has a dozen rules).
    static let minimumCount = 64

    /// How many nodes of a body the first digest reads.
    private static let shapeDigestNodes = 64

    /// How many times the first keys mix in the keys of the rules referred to.
    private static let hashedRounds = 12

    /// A word folding the kinds, leaves, operand counts and bounds of an expression's nodes,
    /// every rule reference as one symbol: `Expression.Digest` from a seed of its own.
    private typealias ShapeDigest = Expression.Digest

    /// The seed of the shape digests.
    private static let shapeSeed: UInt64 = 0x1319_8A2E_0370_7344

    /// Adds the shape of `e`'s first `budget` nodes in preorder to `digest`.
    private static func shape(of e: Expression, into digest: inout ShapeDigest, budget: inout Int) {
        guard budget > 0 else { return }
        budget -= 1
        switch e {
        case .empty: digest.add(0)
        case .nothing: digest.add(1)
        case .literal(let bytes):
            digest.add(2)
            digest.add(bytes.count)
            for byte in bytes.prefix(16) { digest.add(Int(byte)) }
        case .byteClass(let ranges):
            digest.add(3)
            for range in ranges { digest.add(UInt64(range.lowerBound) << 8 | UInt64(range.upperBound)) }
        case .characterClass(let set):
            digest.add(4)
            for range in set.ranges { digest.add(UInt64(range.lowerBound) << 32 | UInt64(range.upperBound)) }
        case .ruleReference: digest.add(5)
        case .sequence(let parts): shape(of: parts, kind: 6, into: &digest, budget: &budget)
        case .choice(let parts): shape(of: parts, kind: 7, into: &digest, budget: &budget)
        case .intersection(let parts): shape(of: parts, kind: 8, into: &digest, budget: &budget)
        case .repetition(let inner, let min, let max):
            digest.add(9); digest.add(min); digest.add(max ?? -1)
            shape(of: inner, into: &digest, budget: &budget)
        case .difference(let a, let b):
            digest.add(10)
            shape(of: a, into: &digest, budget: &budget)
            shape(of: b, into: &digest, budget: &budget)
        case .automaton(let automaton): digest.add(11); digest.add(automaton.stateCount)
        case .lazyAutomaton: digest.add(12)
        }
    }

    private static func shape(of parts: [Expression], kind: Int, into digest: inout ShapeDigest, budget: inout Int) {
        digest.add(kind)
        digest.add(parts.count)
        for part in parts {
            guard budget > 0 else { return }
            shape(of: part, into: &digest, budget: &budget)
        }
    }

    /// Whether `a` and `b` are equal when every rule reference is read as one symbol.
    private static func sameShape(_ a: Expression, _ b: Expression) -> Bool {
        switch (a, b) {
        case (.ruleReference, .ruleReference): return true
        case (.sequence(let x), .sequence(let y)), (.choice(let x), .choice(let y)), (.intersection(let x), .intersection(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { sameShape($0, $1) }
        case (.repetition(let x, let xMin, let xMax), .repetition(let y, let yMin, let yMax)):
            return xMin == yMin && xMax == yMax && sameShape(x, y)
        case (.difference(let x1, let x2), .difference(let y1, let y2)):
            return sameShape(x1, y1) && sameShape(x2, y2)
        case (.sequence, _), (.choice, _), (.intersection, _), (.repetition, _), (.difference, _), (.ruleReference, _):
            return false
        default:
            return a == b
        }
    }

    /// `e` with each rule reference renamed to `rename(position)` where that is non-nil, or nil
    /// when none is; `position` counts the references of `e` in preorder from 0 (the order of
    /// `GrammarSimplifier.ReferenceLists`, so that no name is looked up).
    static func renamed(_ e: Expression, _ rename: (Int) -> String?) -> Expression? {
        var position = 0
        return renamed(e, &position, rename)
    }

    private static func renamed(_ e: Expression, _ position: inout Int, _ rename: (Int) -> String?) -> Expression? {
        switch e {
        case .empty, .nothing, .literal, .byteClass, .characterClass, .automaton, .lazyAutomaton: return nil
        case .ruleReference:
            position += 1
            return rename(position - 1).map(Expression.ruleReference)
        case .sequence(let parts): return parts.mappedIfChanged { renamed($0, &position, rename) }.map(Expression.sequence)
        case .choice(let parts): return parts.mappedIfChanged { renamed($0, &position, rename) }.map(Expression.choice)
        case .intersection(let parts):
            return parts.mappedIfChanged { renamed($0, &position, rename) }.map(Expression.intersection)
        case .repetition(let inner, let min, let max):
            return renamed(inner, &position, rename).map { .repetition($0, min: min, max: max) }
        case .difference(let a, let b):
            let left = renamed(a, &position, rename)
            let right = renamed(b, &position, rename)
            return left == nil && right == nil ? nil : .difference(left ?? a, right ?? b)
        }
    }
}
