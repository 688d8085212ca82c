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
        case .empty, .nothing, .literal, .byteClass, .characterClass, .ruleReference, .automaton:
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
            // Only intersections with the universal language are read.
            let rest = parts.filter { $0 != .anyText }
            return rest.count == 1 && isOpen(rest[0])
        case .difference(let a, let b):
            // Taking out finitely many strings leaves infinitely many completions.
            return isOpen(a) && hasFinitelyManyStrings(b)
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
        case .nothing, .ruleReference, .intersection, .difference, .automaton: return false
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
        case .empty, .nothing, .ruleReference, .intersection, .difference, .automaton: return false
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
        case .ruleReference, .automaton: return false
        case .repetition(let inner, _, let max): return max != nil && hasFinitelyManyStrings(inner)
        case .sequence(let parts), .choice(let parts): return parts.allSatisfy(hasFinitelyManyStrings)
        case .intersection(let parts): return parts.contains(where: hasFinitelyManyStrings)
        case .difference(let a, _): return hasFinitelyManyStrings(a)
        }
    }
}
