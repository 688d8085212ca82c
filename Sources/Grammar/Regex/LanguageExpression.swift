/// An `Expression` with the facts lowering needs about it without walking it again: whether
/// it matches the empty string, and its size.
///
/// The combinators keep the expression compact: adjacent literals merge, `nothing` absorbs
/// sequences and drops out of choices, and trivial repetitions disappear.
struct LanguageExpression: Sendable {
    /// The strings matched.
    var expression: Expression
    /// Whether the empty string is among them.
    var matchesEmpty: Bool
    /// The number of nodes of `expression` counted as a tree (shared parts counted each
    /// time they occur), an upper bound where literals merged.
    var size: Int

    /// No string at all.
    static let nothing = LanguageExpression(expression: .nothing, matchesEmpty: false, size: 1)
    /// Only the empty string.
    static let empty = LanguageExpression(expression: .empty, matchesEmpty: true, size: 1)
    /// Every string of Unicode scalars.
    static let anyText = LanguageExpression(expression: .anyText, matchesEmpty: true, size: 2)

    /// The one-scalar strings of `scalars`: a literal when there is one scalar.
    static func scalars(_ scalars: ScalarSet) -> LanguageExpression {
        switch scalars.count {
        case 0: return .nothing
        case 1: return codePoint(scalars.ranges[0].lowerBound)
        default: return LanguageExpression(expression: .characterClass(scalars), matchesEmpty: false, size: 1)
        }
    }

    /// The string of one code point, as UTF-8; nothing for a lone surrogate, which no UTF-8
    /// text contains.
    static func codePoint(_ value: UInt32) -> LanguageExpression {
        guard let scalar = Unicode.Scalar(value) else { return .nothing }
        var bytes: [UInt8] = []
        UTF8.encode(scalar) { bytes.append($0) }
        return LanguageExpression(expression: .literal(bytes), matchesEmpty: false, size: 1)
    }

    /// Whether no string matches.
    var isNothing: Bool {
        if case .nothing = expression { return true }
        return false
    }

    /// The empty string if this matches it, else nothing.
    var emptyPart: LanguageExpression { matchesEmpty ? .empty : .nothing }

    /// The strings made of one string of each part, in order.
    static func concatenation(_ parts: [LanguageExpression]) -> LanguageExpression {
        if parts.contains(where: \.isNothing) { return .nothing }
        let nonempty = parts.filter { $0.expression != .empty }
        if nonempty.count <= 1 { return nonempty.first ?? .empty }
        return LanguageExpression(
            expression: .concat(nonempty.map(\.expression)),
            matchesEmpty: nonempty.allSatisfy(\.matchesEmpty),
            size: nonempty.reduce(1) { $0 + $1.size })
    }

    /// The strings of any of the parts.
    static func union(_ parts: [LanguageExpression]) -> LanguageExpression {
        let possible = parts.filter { !$0.isNothing }
        if possible.count <= 1 { return possible.first ?? .nothing }
        return LanguageExpression(
            expression: .alternatives(possible.map(\.expression)),
            matchesEmpty: possible.contains(where: \.matchesEmpty),
            size: possible.reduce(1) { $0 + $1.size })
    }

    /// `min` to `max` (nil: any number of) strings of this language, one after another.
    func repeated(min: Int, max: Int?) -> LanguageExpression {
        switch expression {
        case _ where max == 0, .empty: return .empty
        case .nothing: return min == 0 ? .empty : .nothing
        case _ where min == 1 && max == 1: return self
        default: break
        }
        return LanguageExpression(
            expression: .repetition(expression, min: min, max: max),
            matchesEmpty: min == 0 || matchesEmpty,
            size: size + 1)
    }

    /// The strings of both languages.
    func intersecting(_ other: LanguageExpression) -> LanguageExpression {
        if isNothing || other.isNothing { return .nothing }
        if other.expression == .anyText { return self }
        if expression == .anyText { return other }
        return LanguageExpression(
            expression: .intersection([expression, other.expression]),
            matchesEmpty: matchesEmpty && other.matchesEmpty,
            size: size + other.size + 1)
    }

    /// The strings of this language that `other` lacks.
    func subtracting(_ other: LanguageExpression) -> LanguageExpression {
        if isNothing || other.expression == .anyText { return .nothing }
        if other.isNothing { return self }
        return LanguageExpression(
            expression: .difference(expression, other.expression),
            matchesEmpty: matchesEmpty && !other.matchesEmpty,
            size: size + other.size + 1)
    }
}
