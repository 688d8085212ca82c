/// The language of a regex fragment, split by which ends of the input its matches rely on.
///
/// `^` and `$` are assertions about the whole input, not about the fragment: `^` holds only
/// at input position 0 and `$` only at the input's end (patterns are never multiline). So a
/// fragment's match may *require* starting at the input's start (it passed a `^` before
/// consuming anything) or ending at the input's end (a `$` after its last character). The
/// four variants hold the strings matched with each combination of requirements:
///
/// | variant            | the match must start at | the match must end at |
/// |--------------------|-------------------------|-----------------------|
/// | `[]`               | anywhere                | anywhere              |
/// | `.start`           | the input's start       | anywhere              |
/// | `.end`             | anywhere                | the input's end       |
/// | `[.start, .end]`   | the input's start       | the input's end       |
///
/// An anchor that can never hold (`a^b`) leaves no variant: the fragment matches nothing.
/// The operations below combine variants exactly, so the split stays exact through
/// concatenation, alternation and repetition, wherever the anchors sit (`(^a|b)c`,
/// `(^a)*`, `a$|^b`).
struct AnchoredLanguage {
    /// Which ends of the input a match relies on.
    struct Anchoring: OptionSet {
        var rawValue: Int

        /// The match must start at the input's start.
        static let start = Anchoring(rawValue: 1)
        /// The match must end at the input's end.
        static let end = Anchoring(rawValue: 2)

        /// The four combinations, indexed by raw value.
        static let all: [Anchoring] = [[], .start, .end, [.start, .end]]
    }

    /// The variants, indexed by the raw value of their anchoring.
    private var variants = Array(repeating: LanguageExpression.nothing, count: 4)

    /// The strings matched with exactly the requirements of `anchoring`.
    subscript(anchoring: Anchoring) -> LanguageExpression {
        get { variants[anchoring.rawValue] }
        set { variants[anchoring.rawValue] = newValue }
    }

    /// The language of a fragment with no anchors, matching `language` anywhere.
    init(unanchored language: LanguageExpression) {
        self[[]] = language
    }

    private init() {}

    /// No match at all.
    static let nothing = AnchoredLanguage()

    /// `^`: the empty string, at the input's start.
    static let startOfInput: AnchoredLanguage = {
        var language = AnchoredLanguage()
        language[.start] = .empty
        return language
    }()

    /// `$`: the empty string, at the input's end.
    static let endOfInput: AnchoredLanguage = {
        var language = AnchoredLanguage()
        language[.end] = .empty
        return language
    }()

    /// The total size of the variants' expressions.
    var size: Int { variants.reduce(0) { $0 + $1.size } }

    /// The strings the fragment matches as a whole input: `^` and `$` hold at its ends, so
    /// every variant applies.
    var wholeInputLanguage: Expression {
        LanguageExpression.union(variants).expression
    }

    /// The inputs containing a match somewhere: any text around an unanchored match, after a
    /// start-anchored one, before an end-anchored one, none around one anchored at both ends.
    var containingLanguage: Expression {
        let any = LanguageExpression.anyText
        // A match of the empty string that may sit in the middle of any input matches it.
        if self[[]].matchesEmpty || self[.start].matchesEmpty || self[.end].matchesEmpty {
            return any.expression
        }
        return LanguageExpression.union([
            .concatenation([any, self[[]], any]),
            .concatenation([self[.start], any]),
            .concatenation([any, self[.end]]),
            self[[.start, .end]],
        ]).expression
    }

    /// The strings of any of the alternatives.
    static func alternation(_ alternatives: [AnchoredLanguage]) -> AnchoredLanguage {
        var result = AnchoredLanguage()
        for anchoring in Anchoring.all {
            result[anchoring] = .union(alternatives.map { $0[anchoring] })
        }
        return result
    }

    /// The parts' matches one after another.
    ///
    /// Runs of parts without anchors are joined in one step, so long patterns concatenate
    /// in linear time.
    static func concatenation(_ parts: [AnchoredLanguage]) -> AnchoredLanguage {
        var result = AnchoredLanguage(unanchored: .empty)
        var unanchoredRun: [LanguageExpression] = []
        for part in parts {
            if let unanchored = part.unanchored {
                unanchoredRun.append(unanchored)
            } else {
                result = result.followed(by: AnchoredLanguage(unanchored: .concatenation(unanchoredRun)))
                    .followed(by: part)
                unanchoredRun = []
            }
        }
        return result.followed(by: AnchoredLanguage(unanchored: .concatenation(unanchoredRun)))
    }

    /// The language, when no match relies on an anchor.
    private var unanchored: LanguageExpression? {
        variants.dropFirst().allSatisfy(\.isNothing) ? self[[]] : nil
    }

    /// This fragment's match followed by `next`'s.
    ///
    /// A match that must start at the input's start can only follow an empty match, and one
    /// that must end at the input's end can only precede an empty match; the combined match
    /// has both parts' requirements.
    private func followed(by next: AnchoredLanguage) -> AnchoredLanguage {
        var parts = Array(repeating: [LanguageExpression](), count: 4)
        for first in Anchoring.all where !self[first].isNothing {
            for second in Anchoring.all where !next[second].isNothing {
                let prefix = second.contains(.start) ? self[first].emptyPart : self[first]
                let suffix = first.contains(.end) ? next[second].emptyPart : next[second]
                parts[first.union(second).rawValue].append(.concatenation([prefix, suffix]))
            }
        }
        var result = AnchoredLanguage()
        for anchoring in Anchoring.all {
            result[anchoring] = .union(parts[anchoring.rawValue])
        }
        return result
    }

    /// `min` to `max` (nil: unbounded) matches of this fragment, one after another.
    ///
    /// Call the variants F (free), S (start-anchored), E (end-anchored) and B (both). In a
    /// valid run of iterations, every S or B iteration follows only empty ones and every E
    /// or B iteration precedes only empty ones. So the iterations that consume text are,
    /// in order: an optional S, any number of F, an optional E — or a single B. Empty
    /// iterations only pad the count towards `min`; they are available when F matches the
    /// empty string (anywhere), S does (at the front, adding the start requirement) or E
    /// does (at the back, adding the end requirement). Hence:
    ///
    /// - free: F{min,max}
    /// - start: S F{lo,max-1}, where lo is 0 if padding is available, else min-1
    /// - end: F{lo,max-1} E, likewise
    /// - both: S F{lo,max-2} E, or B alone (which needs min ≤ 1 or padding; without them
    ///   it still matches the empty string when B does, by repeating that empty match).
    ///
    /// Using S, E and B whole (empty strings included) in the consuming slots stays exact:
    /// an empty S there is itself an allowed empty iteration.
    func repeated(min: Int, max: Int?) -> AnchoredLanguage {
        let free = self[[]], start = self[.start], end = self[.end], both = self[[.start, .end]]
        var result = AnchoredLanguage()
        result[[]] = free.repeated(min: min, max: max)
        guard max != 0 else { return result }

        func freeRun(paddable: Bool, consumingSlots: Int) -> LanguageExpression {
            free.repeated(
                min: paddable ? 0 : Swift.max(min - consumingSlots, 0),
                max: max.map { $0 - consumingSlots })
        }
        let startPaddable = free.matchesEmpty || start.matchesEmpty
        let endPaddable = free.matchesEmpty || end.matchesEmpty
        let anyPaddable = startPaddable || endPaddable
        result[.start] = .concatenation([start, freeRun(paddable: startPaddable, consumingSlots: 1)])
        result[.end] = .concatenation([freeRun(paddable: endPaddable, consumingSlots: 1), end])

        var bothAnchored = [anyPaddable || min <= 1 ? both : both.emptyPart]
        if max.map({ $0 >= 2 }) ?? true {
            bothAnchored.append(.concatenation([start, freeRun(paddable: anyPaddable, consumingSlots: 2), end]))
        }
        result[[.start, .end]] = .union(bothAnchored)
        return result
    }
}
