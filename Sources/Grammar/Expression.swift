/// One expression of the grammar IR: a context-free language over bytes.
///
/// Terminals are byte strings, byte classes and classes of Unicode scalars (matched as their
/// UTF-8 encodings). Rules refer to each other by name, so grammars may be recursive.
/// `intersection` and `difference` are allowed only over *regular* operands (operands that
/// reach no recursive rule); the compiler reports an error otherwise. `automaton` embeds a
/// regular language already built as a deterministic automaton.
public indirect enum Expression: Hashable, Sendable {
    /// The empty string.
    case empty
    /// The empty language: matches nothing.
    case nothing
    /// An exact byte string.
    case literal([UInt8])
    /// One byte whose value lies in one of the ranges.
    case byteClass([ClosedRange<UInt8>])
    /// One Unicode scalar of the set, as its UTF-8 bytes.
    case characterClass(ScalarSet)
    /// A reference to a rule of the grammar by name.
    case ruleReference(String)
    /// The operands one after another.
    case sequence([Expression])
    /// Any one of the operands.
    case choice([Expression])
    /// `min` to `max` (nil: unbounded) repetitions of the operand.
    case repetition(Expression, min: Int, max: Int?)
    /// The strings every operand matches. Operands must be regular.
    case intersection([Expression])
    /// The strings the first operand matches and the second does not. Both must be regular.
    case difference(Expression, Expression)
    /// The language of a deterministic automaton over bytes (regular; spliced into the
    /// compiled automaton state for state).
    case automaton(ByteAutomaton)
    /// The language of a deterministic automaton too large to build, whose states the
    /// compiled automaton creates as the output reaches them (regular, but not an operand of
    /// `intersection` or `difference`).
    case lazyAutomaton(LazyAutomaton)

    /// A literal of the UTF-8 bytes of `text`.
    public static func text(_ text: String) -> Expression { .literal(Array(text.utf8)) }

    /// Zero or one occurrence.
    public static func optional(_ e: Expression) -> Expression { .repetition(e, min: 0, max: 1) }

    /// Zero or more occurrences.
    public static func zeroOrMore(_ e: Expression) -> Expression { .repetition(e, min: 0, max: nil) }

    /// One or more occurrences.
    public static func oneOrMore(_ e: Expression) -> Expression { .repetition(e, min: 1, max: nil) }

    /// Any byte string (every byte, any number of times).
    public static let anyBytes: Expression = .repetition(.byteClass([0...255]), min: 0, max: nil)

    /// Any string of Unicode scalars, as valid UTF-8.
    public static let anyText: Expression = .repetition(.characterClass(.all), min: 0, max: nil)

    /// A sequence, flattening nested sequences and dropping empties; `nothing` absorbs.
    public static func concat(_ parts: [Expression]) -> Expression {
        var flat: [Expression] = []
        flat.reserveCapacity(parts.count)
        for part in parts {
            switch part {
            case .empty: continue
            case .nothing: return .nothing
            case .sequence(let inner): flat.append(contentsOf: inner)
            case .literal(let bytes):
                if case .literal(let previous)? = flat.last {
                    flat[flat.count - 1] = .literal(previous + bytes)
                } else {
                    flat.append(part)
                }
            default: flat.append(part)
            }
        }
        if flat.isEmpty { return .empty }
        return flat.count == 1 ? flat[0] : .sequence(flat)
    }

    /// A choice, flattening nested choices and dropping `nothing`s and duplicates.
    public static func alternatives(_ parts: [Expression]) -> Expression {
        var flat: [Expression] = []
        flat.reserveCapacity(parts.count)
        // Few alternatives are compared directly; a set (hashing each) only beyond that, made
        // with room for every operand: a set grown by insertions rehashes (digests) all its
        // elements at each growth.
        var seen: Set<Expression>?
        func add(_ e: Expression) {
            if seen == nil {
                if flat.contains(e) { return }
                flat.append(e)
                if flat.count == 8 {
                    var set = Set<Expression>(minimumCapacity: operandCount(parts))
                    for element in flat { set.insert(element) }
                    seen = set
                }
            } else if seen!.insert(e).inserted {
                flat.append(e)
            }
        }
        for part in parts {
            switch part {
            case .nothing: continue
            case .choice(let nested): for e in nested { add(e) }
            default: add(part)
            }
        }
        if flat.isEmpty { return .nothing }
        return flat.count == 1 ? flat[0] : .choice(flat)
    }

    /// The number of alternatives `parts` hold once nested choices are flattened (one level,
    /// as `alternatives` flattens them): an upper bound of the distinct ones.
    static func operandCount(_ parts: [Expression]) -> Int {
        var count = 0
        for part in parts {
            if case .choice(let nested) = part { count += nested.count } else { count += 1 }
        }
        return count
    }

    /// Hashes the first `hashedNodeBudget` nodes in preorder (kinds, leaves, operand counts
    /// and bounds). Equal expressions hash equally; deep hashing would make every set insertion
    /// or cache lookup linear in the size of the expression, and grammars nest large
    /// expressions in choices many times over. The nodes are folded into one word by a
    /// multiply-and-shift mix, which the hasher then reads once: a hasher round per node field
    /// cost several times more, and expressions are hashed on every cache lookup.
    public func hash(into hasher: inout Hasher) {
        hash(into: &hasher, nodes: Expression.hashedNodeBudget)
    }

    /// Hashes the first `nodes` nodes in preorder, as `hash(into:)` hashes the first 64: for
    /// keys that tell a few large expressions apart by their first nodes (equal expressions
    /// still hash equally).
    package func hash(into hasher: inout Hasher, nodes: Int) {
        hasher.combine(digest(nodes: nodes))
    }

    /// A word folding the kinds, leaves, operand counts and bounds of the first `nodes` nodes
    /// in preorder — of the whole tree by default (`ExpressionKey`'s hash). Equal expressions
    /// have equal digests.
    package func digest(nodes: Int = .max) -> UInt64 {
        var digest = Digest()
        var budget = nodes
        digestPrefix(into: &digest, budget: &budget)
        return digest.value
    }

    /// The number of nodes `hash(into:)` reads.
    private static let hashedNodeBudget = 64

    /// A word folding the fields of the nodes `hash(into:)` reads (and, from another seed,
    /// `RuleMerging`'s shapes).
    package struct Digest {
        /// The words folded so far.
        private(set) package var value: UInt64

        /// A digest of nothing yet, starting from `seed`.
        package init(seed: UInt64 = 0x243F_6A88_85A3_08D3) { value = seed }

        /// Folds `word` in.
        package mutating func add(_ word: UInt64) {
            value = (value ^ word) &* 0x9E37_79B9_7F4A_7C15
            value ^= value >> 29
        }

        /// Folds `word` in.
        package mutating func add(_ word: Int) { add(UInt64(bitPattern: Int64(word))) }

        /// Adds the bytes and their count, eight bytes a word.
        mutating func add(_ bytes: some Collection<UInt8>) {
            add(bytes.count)
            var word: UInt64 = 0
            for (index, byte) in bytes.enumerated() {
                word = word << 8 | UInt64(byte)
                if index & 7 == 7 { add(word); word = 0 }
            }
            if bytes.count & 7 != 0 { add(word) }
        }
    }

    private func digestPrefix(into digest: inout Digest, budget: inout Int) {
        guard budget > 0 else { return }
        budget -= 1
        switch self {
        case .empty: digest.add(0)
        case .nothing: digest.add(1)
        case .literal(let bytes): digest.add(2); digest.add(bytes)
        case .byteClass(let ranges):
            digest.add(3)
            digest.add(ranges.count)
            for range in ranges { digest.add(UInt64(range.lowerBound) << 8 | UInt64(range.upperBound)) }
        case .characterClass(let set):
            digest.add(4)
            digest.add(set.ranges.count)
            for range in set.ranges { digest.add(UInt64(range.lowerBound) << 32 | UInt64(range.upperBound)) }
        case .ruleReference(let name):
            digest.add(5)
            // In place: an iterator over the UTF-8 view costs tens of instructions a byte.
            var name = name
            name.withUTF8 { digest.add($0) }
        case .sequence(let parts): Expression.digestOperands(6, parts, into: &digest, budget: &budget)
        case .choice(let parts): Expression.digestOperands(7, parts, into: &digest, budget: &budget)
        case .intersection(let parts): Expression.digestOperands(8, parts, into: &digest, budget: &budget)
        case .repetition(let inner, let min, let max):
            digest.add(9); digest.add(min); digest.add(max ?? -1)
            inner.digestPrefix(into: &digest, budget: &budget)
        case .difference(let a, let b):
            digest.add(10)
            a.digestPrefix(into: &digest, budget: &budget)
            b.digestPrefix(into: &digest, budget: &budget)
        case .automaton(let automaton): digest.add(11); digest.add(automaton.hashValue)
        case .lazyAutomaton(let automaton): digest.add(12); digest.add(automaton.hashValue)
        }
    }

    private static func digestOperands(_ kind: Int, _ parts: [Expression], into digest: inout Digest, budget: inout Int) {
        digest.add(kind)
        digest.add(parts.count)
        for part in parts {
            guard budget > 0 else { return }
            part.digestPrefix(into: &digest, budget: &budget)
        }
    }

    /// The names of the rules this expression refers to directly.
    public var referencedRules: Set<String> {
        var names = Set<String>()
        collectReferences(into: &names)
        return names
    }

    /// Whether the expression refers to a rule anywhere: `!referencedRules.isEmpty`, answered
    /// by a walk that stops at the first reference instead of collecting the names into a set
    /// (asked of every intersection, difference and automaton an NFA build meets).
    package var refersToRules: Bool {
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

    func collectReferences(into names: inout Set<String>) {
        switch self {
        case .empty, .nothing, .literal, .byteClass, .characterClass, .automaton, .lazyAutomaton: break
        case .ruleReference(let name): names.insert(name)
        case .sequence(let parts), .choice(let parts), .intersection(let parts):
            for p in parts { p.collectReferences(into: &names) }
        case .repetition(let e, _, _): e.collectReferences(into: &names)
        case .difference(let a, let b):
            a.collectReferences(into: &names)
            b.collectReferences(into: &names)
        }
    }
}
