/// A sufficient syntactic test of whether a key language is *open*: every string that is a
/// prefix of some member has infinitely many completions in it.
///
/// Over an open key language a matcher can never be cornered into repeating a member name:
/// whatever names are used, an unfinished name still ends as an unused one. Objects whose
/// extra-member key languages are all open therefore need no dead-end search at run time
/// (`Grammar.narrowedObjectKeys` stays off for them), while a finite language (`^[ab]$`,
/// `propertyNames` enums) or one the test cannot read (intersections, differences with an
/// infinite language) keeps the search. False answers are always safe.
enum OpenKeyLanguage {
    /// Whether every live prefix of `e` has infinitely many completions in its language.
    static func isOpen(_ e: Expression) -> Bool {
        switch e {
        case .empty, .nothing, .literal, .byteClass, .characterClass, .ruleReference, .automaton, .lazyAutomaton:
            return false
        case .repetition(let inner, let min, let max):
            // Unbounded: every prefix completes to a word of the inner language, then repeats a
            // nonempty one forever. Bounded: each copy's prefix is open in the inner language.
            if max == nil { return hasNonemptyWord(inner) }
            return isOpen(inner) && (min == 0 || isNonempty(inner))
        case .sequence(let parts):
            // Every part matches something, and the last part that may match a nonempty
            // string is open: a prefix completes the parts before it, then extends that one.
            guard parts.allSatisfy(isNonempty), let last = parts.lastIndex(where: { !matchesOnlyEmpty($0) }) else { return false }
            return isOpen(parts[last])
        case .choice(let parts):
            // A prefix may be live in one alternative only: each one must be open.
            return parts.contains(where: isOpen) && parts.allSatisfy { $0 == .nothing || isOpen($0) }
        case .intersection(let parts):
            // Only intersections with the universal language are read, and empty ones (no
            // prefix is live): two parts with no word in common.
            let rest = parts.filter { $0 != .anyText }
            if rest.count == 1 { return isOpen(rest[0]) }
            return rest.indices.contains { i in rest.indices.contains { j in i < j && areDisjoint(rest[i], rest[j]) } }
        case .difference(let a, let b):
            // Taking out finitely many strings leaves infinitely many completions, and taking
            // out strings that each hold a byte `a` never uses takes out nothing (a pattern
            // beside `^[a-z]+/[a-z]+$` loses none of its names without `/`).
            guard isOpen(a) else { return false }
            let excluded: [Expression]
            if case .choice(let parts) = b { excluded = parts } else { excluded = [b] }
            return excluded.allSatisfy { hasFinitelyManyStrings($0) || areDisjoint(a, $0) }
        }
    }

    /// Whether `a` and `b` certainly have no word in common: every word of one holds a byte
    /// the other never uses.
    private static func areDisjoint(_ a: Expression, _ b: Expression) -> Bool {
        if let alphabet = bytesUsed(by: a), everyWord(of: b, usesByteOutside: alphabet) { return true }
        if let alphabet = bytesUsed(by: b), everyWord(of: a, usesByteOutside: alphabet) { return true }
        return false
    }

    /// The bytes words of `e` may hold (more is fine), or nil when unknown.
    private static func bytesUsed(by e: Expression) -> Set<UInt8>? {
        switch e {
        case .empty, .nothing: return []
        case .literal(let bytes): return Set(bytes)
        case .byteClass(let ranges): return Set(ranges.flatMap { $0 })
        case .characterClass(let set):
            var bytes: Set<UInt8> = []
            for range in set.ranges {
                if range.lowerBound < 0x80 { bytes.formUnion((range.lowerBound...min(range.upperBound, 0x7F)).map { UInt8($0) }) }
                if range.upperBound >= 0x80 { bytes.formUnion(0x80...0xFF) }
            }
            return bytes
        case .ruleReference, .automaton, .lazyAutomaton: return nil
        case .repetition(let inner, _, _): return bytesUsed(by: inner)
        case .sequence(let parts), .choice(let parts), .intersection(let parts):
            var bytes: Set<UInt8> = []
            for part in parts {
                guard let used = bytesUsed(by: part) else { return nil }
                bytes.formUnion(used)
            }
            return bytes
        case .difference(let a, _): return bytesUsed(by: a)
        }
    }

    /// Whether every word of `e` certainly holds a byte outside `alphabet` (false when unknown).
    private static func everyWord(of e: Expression, usesByteOutside alphabet: Set<UInt8>) -> Bool {
        switch e {
        case .nothing: return true
        case .empty, .ruleReference, .automaton, .lazyAutomaton: return false
        case .literal(let bytes): return bytes.contains { !alphabet.contains($0) }
        case .byteClass(let ranges): return ranges.allSatisfy { $0.allSatisfy { !alphabet.contains($0) } }
        case .characterClass(let set):
            // Each scalar's first UTF-8 byte: itself below 0x80, at least 0xC2 above.
            let highUsed = alphabet.contains { $0 >= 0x80 }
            return set.ranges.allSatisfy { range in
                (range.lowerBound >= 0x80 || (range.lowerBound...min(range.upperBound, 0x7F)).allSatisfy { !alphabet.contains(UInt8($0)) })
                    && (range.upperBound < 0x80 || !highUsed)
            }
        case .repetition(let inner, let min, _): return min >= 1 && everyWord(of: inner, usesByteOutside: alphabet)
        case .sequence(let parts), .intersection(let parts): return parts.contains { everyWord(of: $0, usesByteOutside: alphabet) }
        case .choice(let parts): return parts.allSatisfy { everyWord(of: $0, usesByteOutside: alphabet) }
        case .difference(let a, _): return everyWord(of: a, usesByteOutside: alphabet)
        }
    }

    /// Whether `e` certainly matches no string but the empty one (false when unknown).
    private static func matchesOnlyEmpty(_ e: Expression) -> Bool {
        switch e {
        case .empty: return true
        case .literal(let bytes): return bytes.isEmpty
        case .repetition(let inner, _, let max): return max == 0 || matchesOnlyEmpty(inner)
        case .sequence(let parts), .choice(let parts): return parts.allSatisfy(matchesOnlyEmpty)
        default: return false
        }
    }

    /// Whether `e` certainly matches some string (false when unknown).
    private static func isNonempty(_ e: Expression) -> Bool {
        switch e {
        case .empty, .literal: return true
        case .nothing, .ruleReference, .intersection, .difference, .automaton, .lazyAutomaton: return false
        case .byteClass(let ranges): return !ranges.isEmpty
        case .characterClass(let set): return !set.isEmpty
        case .repetition(let inner, let min, _): return min == 0 || isNonempty(inner)
        case .sequence(let parts): return parts.allSatisfy(isNonempty)
        case .choice(let parts): return parts.contains(where: isNonempty)
        }
    }

    /// Whether `e` certainly matches some nonempty string (false when unknown).
    private static func hasNonemptyWord(_ e: Expression) -> Bool {
        switch e {
        case .empty, .nothing, .ruleReference, .intersection, .difference, .automaton, .lazyAutomaton: return false
        case .literal(let bytes): return !bytes.isEmpty
        case .byteClass(let ranges): return !ranges.isEmpty
        case .characterClass(let set): return !set.isEmpty
        case .repetition(let inner, _, let max): return max != 0 && hasNonemptyWord(inner)
        case .sequence(let parts): return parts.allSatisfy(isNonempty) && parts.contains(where: hasNonemptyWord)
        case .choice(let parts): return parts.contains(where: hasNonemptyWord)
        }
    }

    /// Whether `e` certainly matches finitely many strings: no unbounded repetition.
    private static func hasFinitelyManyStrings(_ e: Expression) -> Bool {
        switch e {
        case .empty, .nothing, .literal, .byteClass, .characterClass: return true
        case .ruleReference, .automaton, .lazyAutomaton: return false
        case .repetition(let inner, _, let max): return max != nil && hasFinitelyManyStrings(inner)
        case .sequence(let parts), .choice(let parts): return parts.allSatisfy(hasFinitelyManyStrings)
        case .intersection(let parts): return parts.contains(where: hasFinitelyManyStrings)
        case .difference(let a, _): return hasFinitelyManyStrings(a)
        }
    }
}
