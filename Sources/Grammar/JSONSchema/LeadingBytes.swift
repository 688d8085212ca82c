/// The bytes the leading positions of a language's strings may hold, read off the
/// expression's shape: a cheap, conservative proof that two languages are disjoint.
///
/// Position `i` holds every byte some string of the language may have at offset `i`; when
/// `isFixedLength`, every string has exactly `positions.count` bytes. Two languages are
/// disjoint when some shared position has no byte in common, or both have fixed, different
/// lengths — enough for the key patterns of real schemas (`^table `, `^view `;
/// `^contacts:[0-3]:surName$`, `^contacts:[0-3]:givenName$`), so that `patternProperties`
/// regions need not be formed for patterns no key can match together.
struct LeadingBytes {
    /// The most positions read.
    static let limit = 64

    /// The leading positions known.
    private(set) var positions: [ByteBits]
    /// Whether every string has exactly `positions.count` bytes.
    private(set) var isFixedLength: Bool

    /// The leading positions of the strings of `expression` (a rule-free language).
    init(_ expression: Expression) {
        (positions, isFixedLength) = Self.read(expression)
    }

    /// Whether no string is in both languages.
    func isDisjoint(from other: LeadingBytes) -> Bool {
        if isFixedLength && other.isFixedLength && positions.count != other.positions.count { return true }
        return zip(positions, other.positions).contains { $0.isDisjoint(with: $1) }
    }

    private static func read(_ expression: Expression) -> ([ByteBits], Bool) {
        switch expression {
        case .empty:
            return ([], true)
        case .literal(let bytes):
            let known = bytes.prefix(limit).map { byte in
                var set = ByteBits()
                set.insert(byte)
                return set
            }
            return (known, bytes.count <= limit)
        case .byteClass(let ranges):
            var set = ByteBits()
            for range in ranges { for byte in range { set.insert(byte) } }
            return ([set], true)
        case .characterClass(let scalars):
            // One position when every scalar is ASCII (one byte each); otherwise unknown.
            guard let last = scalars.ranges.last, last.upperBound < 0x80 else { return ([], false) }
            var set = ByteBits()
            for range in scalars.ranges { for value in range { set.insert(UInt8(value)) } }
            return ([set], true)
        case .sequence(let parts):
            var known: [ByteBits] = []
            for part in parts {
                let (next, fixed) = read(part)
                known += next.prefix(limit - known.count)
                if !fixed || known.count >= limit { return (known, false) }
            }
            return (known, true)
        case .choice(let parts):
            guard let first = parts.first else { return ([], false) }
            var (known, fixed) = read(first)
            for part in parts.dropFirst() {
                let (next, nextFixed) = read(part)
                fixed = fixed && nextFixed && next.count == known.count
                known = zip(known, next).map { $0.union($1) }
            }
            return (known, fixed)
        case .repetition(let inner, let min, let max):
            if max == 0 { return ([], true) }
            let (once, fixed) = read(inner)
            // With at least one occurrence, strings start as the operand's do.
            guard fixed else { return (min > 0 ? once : [], false) }
            if once.isEmpty { return ([], true) }
            var known: [ByteBits] = []
            for _ in 0..<min where known.count < limit { known += once.prefix(limit - known.count) }
            return (known, max == min && known.count == min * once.count)
        case .intersection(let parts):
            // Every string is in the first operand.
            return parts.first.map { (read($0).0, false) } ?? ([], false)
        case .difference(let kept, _):
            return (read(kept).0, false)
        case .automaton(let automaton):
            // Every string starts with a byte the start state reads, unless it is empty.
            guard automaton.stateCount > 0, !automaton.accepting[0] else { return ([], false) }
            var set = ByteBits()
            for byte in 0...255 where automaton.next(0, UInt8(byte)) >= 0 { set.insert(UInt8(byte)) }
            return ([set], false)
        case .lazyAutomaton(let automaton):
            let definition = automaton.definition
            guard !definition.isAccepting(definition.start) else { return ([], false) }
            var set = ByteBits()
            for next in definition.successors(of: definition.start) { set.insert(next.byte) }
            return ([set], false)
        case .nothing, .ruleReference:
            return ([], false)
        }
    }
}
