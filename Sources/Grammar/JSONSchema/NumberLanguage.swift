/// Languages of JSON number lexemes (RFC 8259 syntax), optionally restricted by value.
///
/// Which lexemes stand for which values:
/// - Numbers: every RFC 8259 number.
/// - Integers (draft-06 and later): `-?int` of any length; and `-?int.0+`, `-?int.f`
///   followed by a non-negative exponent at least the fraction's significant digits (`1.5e1`),
///   with at most 15 integral digits, at most 9 significant fraction digits and a value below
///   10^308 (or exactly 10^308), so that validators reading them as doubles cannot overflow or
///   round. Integral values written with a negative exponent (`10e-1`) are not accepted.
/// - Integers in draft-04, which excludes fractions and exponents: `-?int` only.
/// - Under bounds, exactly the lexemes whose value is within them: plain numerals of any
///   magnitude, and exponent forms whose exponent is within ±`exponentLimit` (written with any
///   leading zeros; for integers from 0 up to the larger bound's digit count, at most
///   `exponentLimit`), each exponent e taking the mantissas within the bounds shifted by −e. Bounds at 0 only fix the sign, so every exponent form is
///   accepted there. (Comparing a mantissa of unbounded length with an unbounded exponent is
///   not a regular language, hence the limit.)
/// - Non-integers (where a value must not be an integer): plain numerals with at most 15
///   significant digits (beyond, a double-reading validator sees an integer).
/// - Excluded values (`not` over `const`/`enum`): every plain spelling and every exponent
///   spelling within the limit is removed, and exponent forms beyond the limit are not
///   accepted.
/// `-0` is zero.
enum NumberLanguage {
    /// Which fractions and exponents a lexeme may have.
    enum Fractions {
        /// Any: numbers.
        case any
        /// Only values that stay integral: integers from draft-06 on.
        case zerosOnly
        /// None at all: draft-04 integers.
        case none
    }

    static let digit: Expression = .byteClass([0x30...0x39])
    static let nonzeroDigit: Expression = .byteClass([0x31...0x39])
    static let minus: Expression = .text("-")

    /// `0|[1-9][0-9]*`: an integral part without leading zeros.
    static let integralPart: Expression = .alternatives([.text("0"), .concat([nonzeroDigit, .zeroOrMore(digit)])])

    private static let exponentMark: Expression = .byteClass([0x45...0x45, 0x65...0x65])

    /// The lexemes of any value, without sign.
    static func unsigned(_ fractions: Fractions) -> Expression {
        switch fractions {
        case .any:
            return .concat([
                integralPart, .optional(.concat([.text("."), .oneOrMore(digit)])),
                .optional(.concat([exponentMark, .optional(.byteClass([0x2B...0x2B, 0x2D...0x2D])), .oneOrMore(digit)])),
            ])
        case .zerosOnly:
            return unsignedIntegers
        case .none:
            return integralPart
        }
    }

    /// `unsigned(.zerosOnly)`, built once.
    private static let unsignedIntegers: Expression = {
        // A fraction or exponent makes common validators (Python's json, JavaScript) read the
        // number as a double, which overflows to infinity — no longer an integer — at
        // ~1.8e308. So those spellings keep at most 15 integral digits, at most 9
        // significant fraction digits, and a value below 10^308 (k integral digits and an
        // exponent e with k + e ≤ 308), or 10^308 itself; plain integers of any length stay exact.
        let positiveExponent = Expression.concat([exponentMark, .optional(.text("+")), .zeroOrMore(.text("0"))])
        let zeroFraction = Expression.concat([.text("."), .oneOrMore(.text("0"))])
        /// A fraction whose last nonzero digit is at position `significant` (none for 0).
        func fraction(_ significant: Int) -> Expression {
            significant == 0 ? .optional(zeroFraction)
                : .concat([.text("."), .repetition(digit, min: significant - 1, max: significant - 1), nonzeroDigit, .zeroOrMore(.text("0"))])
        }
        let shortIntegral = Expression.alternatives([.text("0"), .concat([nonzeroDigit, .repetition(digit, min: 0, max: 14)])])
        var tails: [Expression] = [zeroFraction]
        for significant in 0...9 {
            // Exponents from `significant` (so the value stays integral) to 293 (15 + 293 ≤ 308).
            tails.append(.concat([fraction(significant), positiveExponent, integerRange(max(significant, 0), 293)]))
        }
        var forms: [Expression] = [integralPart, .concat([shortIntegral, .alternatives(tails)])]
        for length in 1...14 {
            // Exponents 294…308 − length for integral parts of `length` digits.
            let integral: Expression = length == 1 ? .byteClass([0x31...0x39]) : .concat([nonzeroDigit, .repetition(digit, min: length - 1, max: length - 1)])
            let anyFraction = Expression.alternatives((0...9).map(fraction))
            forms.append(.concat([integral, anyFraction, positiveExponent, integerRange(294, 308 - length)]))
            // And 10^308 itself (below the largest double, about 1.8e308).
            forms.append(.concat([.text("1" + String(repeating: "0", count: length - 1)), .optional(zeroFraction), positiveExponent,
                                  .text(String(309 - length))]))
        }
        return .alternatives(forms)
    }()

    /// The lexemes of zero, without sign.
    static func unsignedZero(_ fractions: Fractions) -> Expression {
        switch fractions {
        case .any:
            return .concat([.text("0"), anyFraction(.zerosOnly),
                             .optional(.concat([exponentMark, .optional(.byteClass([0x2B...0x2B, 0x2D...0x2D])), .oneOrMore(digit)]))])
        case .zerosOnly:
            return .concat([.text("0"), anyFraction(.zerosOnly), .optional(.concat([exponentMark, .optional(.text("+")), .oneOrMore(digit)]))])
        case .none:
            return .text("0")
        }
    }

    /// The lexemes of any value.
    static func any(_ fractions: Fractions) -> Expression { .concat([.optional(minus), unsigned(fractions)]) }

    /// The exponents for which exponent forms are accepted under bounds other than 0 or
    /// exclusions: −`exponentLimit`…`exponentLimit` (written with any leading zeros). Beyond,
    /// comparing the mantissa's magnitude with the exponent is not a regular language.
    static let exponentLimit = 20

    /// The lexemes whose value lies within the bounds: plain ones, and exponent forms with an
    /// exponent within `exponentLimit` (all exponent forms when the only bounds are 0); only
    /// plain ones when `plainOnly`. With no bound and `restrictExponents`, any value with
    /// exponents within `exponentLimit`.
    static func bounded(lower: NumericBound?, upper: NumericBound?, fractions: Fractions, plainOnly: Bool = false,
                        restrictExponents: Bool = false) -> Expression {
        if let lower, let upper,
           upper.value < lower.value || (upper.value == lower.value && (lower.isExclusive || upper.isExclusive)) {
            return .nothing
        }
        let signOnly = (lower?.value.isZero ?? true) && (upper?.value.isZero ?? true) && !restrictExponents
        if plainOnly || fractions == .none || signOnly {
            if let lower, let upper, let union = straddling(lower, upper, fractions, plainOnly) { return union }
            var sides: [Expression] = []
            if let lower { sides.append(atLeast(lower, fractions, plainOnly)) }
            if let upper { sides.append(atMost(upper, fractions, plainOnly)) }
            switch sides.count {
            case 0: return plainOnly ? .concat([.optional(minus), plain(fractions)]) : any(fractions)
            case 1: return sides[0]
            default: return .intersection(sides)
            }
        }
        // Plain numerals, and for each exponent e a mantissa within the bounds shifted by −e
        // (for integers: e ≥ 0, at most e significant fraction digits, at most 15 integral
        // digits and 9 significant fraction digits, as in `unsigned(.zerosOnly)`). Each part is
        // a small automaton; the parts share no lexeme.
        var forms = [bounded(lower: lower, upper: upper, fractions: fractions, plainOnly: true)]
        // Integers: exponents up to the larger bound's digit count (beyond, the mantissa must be
        // below 1, as in `0.1e5`), which keeps the per-bound automata small.
        let digits = [lower, upper].compactMap { $0.map { max($0.value.integerDigits.count, 1) } }.max() ?? exponentLimit
        let exponents = fractions == .zerosOnly ? 0...min(exponentLimit, digits) : -exponentLimit...exponentLimit
        for e in exponents {
            var mantissa = bounded(lower: lower.map { NumericBound(value: $0.value.shifted(by: -e), isExclusive: $0.isExclusive) },
                                   upper: upper.map { NumericBound(value: $0.value.shifted(by: -e), isExclusive: $0.isExclusive) },
                                   fractions: .any, plainOnly: true)
            if fractions == .zerosOnly {
                let shortIntegral = Expression.alternatives([.text("0"), .concat([nonzeroDigit, .repetition(digit, min: 0, max: 14)])])
                let fraction: Expression = e == 0 ? .concat([.text("."), .oneOrMore(.text("0"))])
                    : .concat([.text("."), .repetition(digit, min: 1, max: min(e, 9)), .zeroOrMore(.text("0"))])
                mantissa = .intersection([mantissa, .concat([.optional(minus), shortIntegral, .optional(fraction)])])
            }
            forms.append(.concat([mantissa, exponentPart(e)]))
        }
        return .alternatives(forms)
    }

    /// `bounded(lower:upper:fractions:)` as one deterministic automaton where it has exponent
    /// forms under bounds other than 0 (`BoundedNumerals`, built directly from digit
    /// comparisons): as an expression, its alternatives — plain numerals and one mantissa range
    /// per exponent — are all alive while a value's digits are read (5,324 stacks in one
    /// configuration of `sp_138` for `number` within 0…2147483647). Nil for the languages
    /// without exponent tracking (draft-04 integers, bounds at 0 only, no value at all).
    static func deterministic(lower: NumericBound?, upper: NumericBound?, fractions: Fractions) -> Expression? {
        guard fractions != .none, !((lower?.value.isZero ?? true) && (upper?.value.isZero ?? true)) else { return nil }
        if let lower, let upper,
           upper.value < lower.value || (upper.value == lower.value && (lower.isExclusive || upper.isExclusive)) {
            return nil
        }
        return .automaton(BoundedNumerals(lower: lower, upper: upper, fractions: fractions).automaton().byteAutomaton)
    }

    /// `e`/`E` and the exponent `e`, written with an optional sign and any leading zeros.
    static func exponentPart(_ e: Int) -> Expression {
        let digits = Expression.concat([.zeroOrMore(.text("0")), .text(String(abs(e)))])
        if e == 0 { return .concat([exponentMark, .optional(.byteClass([0x2B...0x2B, 0x2D...0x2D])), .oneOrMore(.text("0"))]) }
        return .concat([exponentMark, e > 0 ? .optional(.text("+")) : .text("-"), digits])
    }

    /// Every lexeme of `value` with no exponent or one within `exponentLimit`.
    static func spellings(of value: JSONNumber, _ fractions: Fractions = .any) -> Expression {
        var forms = [lexemes(of: value, fractions, includingSource: false)]
        guard fractions != .none else { return forms[0] }
        for e in -exponentLimit...exponentLimit {
            forms.append(.concat([lexemes(of: value.shifted(by: -e), .any, includingSource: false), exponentPart(e)]))
        }
        let all = Expression.alternatives(forms)
        return fractions == .zerosOnly ? .intersection([all, any(.zerosOnly)]) : all
    }

    /// Plain numerals without exponent: `int`, `int.digits` as `fractions` allow.
    static func plain(_ fractions: Fractions) -> Expression { .concat([integralPart, anyFraction(fractions)]) }

    /// Plain numerals whose value is not a whole number, with at most 15 significant digits:
    /// validators that read numbers as doubles (Python's json, JavaScript) would see a longer
    /// one as an integer (123456789012345678.5 is 1.2345678901234568e17). Exponent forms are
    /// not accepted (whether the value is whole compares the fraction's length with the
    /// exponent). Used where a value must not be an integer (`not: {type: integer}`).
    static let nonIntegral: Expression = {
        let zeros = Expression.zeroOrMore(.text("0"))
        var forms: [Expression] = [
            // 0.000ddd: up to 15 significant digits after the leading zeros.
            .concat([.text("0."), zeros, nonzeroDigit, .optional(.concat([.repetition(digit, min: 0, max: 13), nonzeroDigit])), zeros]),
        ]
        for length in 1...14 {
            let integral: Expression = .concat([nonzeroDigit, .repetition(digit, min: length - 1, max: length - 1)])
            forms.append(.concat([integral, .text("."), .repetition(digit, min: 0, max: 14 - length), nonzeroDigit, zeros]))
        }
        return .concat([.optional(minus), .alternatives(forms)])
    }()

    /// Plain numerals with at most `scale` significant fraction digits (trailing zeros free).
    static func decimalStep(_ scale: Int) -> Expression {
        let fraction: Expression = scale == 0
            ? .concat([.text("."), .oneOrMore(.text("0"))])
            : .concat([.text("."), .repetition(digit, min: 1, max: scale), .zeroOrMore(.text("0"))])
        return .concat([.optional(minus), integralPart, .optional(fraction)])
    }

    /// The plain lexemes of exactly `value` (an integer unless fractions are `.any`): its digits
    /// without exponent, trailing fraction zeros optional where fractions are allowed, `-0` for
    /// zero; plus the spelling `value.text` itself unless fractions are `.none`.
    static func lexemes(of value: JSONNumber, _ fractions: Fractions, includingSource: Bool = true) -> Expression {
        let sign: Expression = value.isZero ? .optional(minus) : (value.isNegative ? minus : .empty)
        let fraction = value.fractionDigits
        let plain = Expression.concat([
            sign, digitLiteral(value.integerDigits),
            fraction.isEmpty ? anyFraction(fractions == .none ? .none : .zerosOnly)
                : .concat([.text("."), digitLiteral(fraction), .zeroOrMore(.text("0"))]),
        ])
        return fractions == .none || !includingSource ? plain : .alternatives([plain, .text(value.text)])
    }

    // MARK: Signed bounds

    /// Bounds on either side of zero (`lower` below 0 or at 0 inclusive, `upper` above 0 or at 0
    /// inclusive) as a union of the two signs, each under the one bound that can exclude it:
    /// no intersection to determinize. Nil for bounds of one sign or excluding 0.
    private static func straddling(_ lower: NumericBound, _ upper: NumericBound, _ fractions: Fractions,
                                   _ plainOnly: Bool) -> Expression? {
        guard lower.value.isZero ? !lower.isExclusive : lower.value.isNegative,
              upper.value.isZero ? !upper.isExclusive : !upper.value.isNegative else { return nil }
        let zero = zeroLexemes(fractions, plainOnly)
        return .alternatives([
            upper.value.isZero ? zero : magnitude(atMost: upper.value, strictly: upper.isExclusive, fractions),
            .concat([minus, lower.value.isZero ? zero : magnitude(atMost: lower.value, strictly: lower.isExclusive, fractions)]),
        ])
    }

    /// The unsigned lexemes of zero: plain ones only when `plainOnly`.
    private static func zeroLexemes(_ fractions: Fractions, _ plainOnly: Bool) -> Expression {
        plainOnly ? .concat([.text("0"), anyFraction(fractions == .none ? .none : .zerosOnly)]) : unsignedZero(fractions)
    }

    private static func atLeast(_ bound: NumericBound, _ fractions: Fractions, _ plainOnly: Bool) -> Expression {
        let value = bound.value
        let all = plainOnly ? plain(fractions) : unsigned(fractions)
        let zero = zeroLexemes(fractions, plainOnly)
        if value.isZero {
            return bound.isExclusive
                ? .difference(all, zero)
                : .alternatives([all, .concat([minus, zero])])
        }
        if !value.isNegative { return magnitude(atLeast: value, strictly: bound.isExclusive, fractions) }
        return .alternatives([all, .concat([minus, magnitude(atMost: value, strictly: bound.isExclusive, fractions)])])
    }

    private static func atMost(_ bound: NumericBound, _ fractions: Fractions, _ plainOnly: Bool) -> Expression {
        let value = bound.value
        let all = plainOnly ? plain(fractions) : unsigned(fractions)
        let zero = zeroLexemes(fractions, plainOnly)
        if value.isZero {
            return bound.isExclusive
                ? .concat([minus, .difference(all, zero)])
                : .alternatives([.concat([minus, all]), zero])
        }
        if value.isNegative { return .concat([minus, magnitude(atLeast: value, strictly: bound.isExclusive, fractions)]) }
        return .alternatives([.concat([minus, all]), magnitude(atMost: value, strictly: bound.isExclusive, fractions)])
    }

    // MARK: Plain magnitudes (unsigned numerals without exponent)

    /// An optional plain fraction: `(\.[0-9]+)?`, `(\.0+)?`, or none.
    static func anyFraction(_ fractions: Fractions) -> Expression {
        switch fractions {
        case .any: return .optional(.concat([.text("."), .oneOrMore(digit)]))
        case .zerosOnly: return .optional(.concat([.text("."), .oneOrMore(.text("0"))]))
        case .none: return .empty
        }
    }

    /// Numerals whose value is at least (or above) |value|.
    private static func magnitude(atLeast value: JSONNumber, strictly: Bool, _ fractions: Fractions) -> Expression {
        let whole = value.integerDigits
        return .alternatives([
            .concat([integral(atLeast: DecimalArithmetic.incremented(whole)), anyFraction(fractions)]),
            .concat([digitLiteral(whole), fractionSuffix(value.fractionDigits[...], atLeast: true, strictly: strictly, fractions)]),
        ])
    }

    /// Numerals whose value is at most (or below) |value|.
    private static func magnitude(atMost value: JSONNumber, strictly: Bool, _ fractions: Fractions) -> Expression {
        let whole = value.integerDigits
        return .alternatives([
            whole.isEmpty ? .nothing : .concat([integral(atMost: DecimalArithmetic.decremented(whole)), anyFraction(fractions)]),
            .concat([digitLiteral(whole), fractionSuffix(value.fractionDigits[...], atLeast: false, strictly: strictly, fractions)]),
        ])
    }

    /// The optional fraction (`""` or `.digits`) whose value compares to `0.bound` as asked.
    private static func fractionSuffix(_ bound: ArraySlice<UInt8>, atLeast: Bool, strictly: Bool, _ fractions: Fractions) -> Expression {
        // An absent (or all-zero) fraction is 0, which is ≥ 0.bound only when bound is empty,
        // and ≤ 0.bound unless both are zero and the comparison is strict.
        let zeroQualifies = atLeast ? (bound.isEmpty && !strictly) : !(bound.isEmpty && strictly)
        if fractions != .any { return zeroQualifies ? anyFraction(fractions) : .nothing }
        return .alternatives([
            zeroQualifies ? .empty : .nothing,
            .concat([.text("."), fractionDigits(bound, atLeast: atLeast, strictly: strictly)]),
        ])
    }

    /// Nonempty digit strings `f` with `0.f` compared to `0.bound` as asked (`bound` has no
    /// trailing zeros).
    private static func fractionDigits(_ bound: ArraySlice<UInt8>, atLeast: Bool, strictly: Bool) -> Expression {
        guard let first = bound.first else {
            if atLeast {
                return strictly ? .concat([.zeroOrMore(digit), nonzeroDigit, .zeroOrMore(digit)]) : .oneOrMore(digit)
            }
            return strictly ? .nothing : .oneOrMore(.text("0"))
        }
        let rest = bound.dropFirst()
        // After an equal first digit: stopping compares 0 with 0.rest.
        let stopQualifies = atLeast ? (rest.isEmpty && !strictly) : (!rest.isEmpty || !strictly)
        let equalFirst = Expression.concat([
            digitLiteral([first]),
            .alternatives([stopQualifies ? .empty : .nothing, fractionDigits(rest, atLeast: atLeast, strictly: strictly)]),
        ])
        let otherFirst: Expression
        if atLeast {
            otherFirst = first < 9 ? .concat([.byteClass([(0x31 + first)...0x39]), .zeroOrMore(digit)]) : .nothing
        } else {
            otherFirst = first > 0 ? .concat([.byteClass([0x30...(0x2F + first)]), .zeroOrMore(digit)]) : .nothing
        }
        return .alternatives([otherFirst, equalFirst])
    }

    // MARK: Integral parts

    /// Integral parts (no leading zeros) with value ≥ `n`.
    private static func integral(atLeast n: [UInt8]) -> Expression {
        guard let first = n.first else { return integralPart }
        let sameLength = n.count == 1
            ? Expression.byteClass([(0x30 + first)...0x39])
            : fixedLength(n[...], atLeast: true, lowestFirst: 1)
        return .alternatives([sameLength, .concat([nonzeroDigit, .repetition(digit, min: n.count, max: nil)])])
    }

    /// Integral parts (no leading zeros) with value ≤ `n`.
    private static func integral(atMost n: [UInt8]) -> Expression {
        guard !n.isEmpty else { return .text("0") }
        var forms: [Expression] = [.text("0")]
        if n.count >= 2 { forms.append(.concat([nonzeroDigit, .repetition(digit, min: 0, max: n.count - 2)])) }
        forms.append(fixedLength(n[...], atLeast: false, lowestFirst: 1))
        return .alternatives(forms)
    }

    /// Digit strings of `n.count` digits, the first at least `lowestFirst`, comparing to `n`
    /// (lexicographically, i.e. by value) as asked, equality included.
    private static func fixedLength(_ n: ArraySlice<UInt8>, atLeast: Bool, lowestFirst: UInt8) -> Expression {
        guard let first = n.first else { return .empty }
        // Trailing 9s (at most) or 0s (at least) decide nothing: a string compares to `n` as
        // its leading digits compare to those before them. One free tail for them, not one per
        // deciding digit (quadratic in the digits of bounds like 1.79769e308, whose numerals
        // shifted by an exponent end in hundreds of 9s or 0s).
        let deciding = max(n.count - n.reversed().prefix { $0 == (atLeast ? 0 : 9) }.count, 1)
        if deciding < n.count {
            return .concat([fixedLength(n.prefix(deciding), atLeast: atLeast, lowestFirst: lowestFirst),
                            .repetition(digit, min: n.count - deciding, max: n.count - deciding)])
        }
        let rest = n.dropFirst()
        let free = Expression.repetition(digit, min: rest.count, max: rest.count)
        var forms: [Expression] = []
        if first >= lowestFirst {
            forms.append(.concat([digitLiteral([first]), fixedLength(rest, atLeast: atLeast, lowestFirst: 0)]))
        }
        if atLeast, first < 9 {
            forms.append(.concat([.byteClass([(0x30 + max(first + 1, lowestFirst))...0x39]), free]))
        } else if !atLeast, first > lowestFirst {
            forms.append(.concat([.byteClass([(0x30 + lowestFirst)...(0x2F + first)]), free]))
        }
        return .alternatives(forms)
    }

    /// Numerals without leading zeros of the integers `low…high` (0 ≤ low).
    static func integerRange(_ low: Int, _ high: Int) -> Expression {
        guard low <= high, low >= 0 else { return .nothing }
        let lowDigits = String(low).utf8.map { $0 - 0x30 }, highDigits = String(high).utf8.map { $0 - 0x30 }
        if lowDigits.count < highDigits.count {
            var edge = 1
            for _ in 0..<lowDigits.count { edge *= 10 }
            return .alternatives([integerRange(low, edge - 1), integerRange(edge, high)])
        }
        return sameWidth(lowDigits[...], highDigits[...])
    }

    /// Digit strings as wide as `low` and `high` (equally wide) with a value between them.
    private static func sameWidth(_ low: ArraySlice<UInt8>, _ high: ArraySlice<UInt8>) -> Expression {
        guard let a = low.first, let b = high.first else { return .empty }
        if a == b { return .concat([digitLiteral([a]), sameWidth(low.dropFirst(), high.dropFirst())]) }
        var forms: [Expression] = [
            .concat([digitLiteral([a]), fixedLength(low.dropFirst(), atLeast: true, lowestFirst: 0)]),
            .concat([digitLiteral([b]), fixedLength(high.dropFirst(), atLeast: false, lowestFirst: 0)]),
        ]
        if b > a + 1 { forms.append(.concat([.byteClass([(0x31 + a)...(0x2F + b)]), .repetition(digit, min: low.count - 1, max: low.count - 1)])) }
        return .alternatives(forms)
    }

    /// The literal numeral of `digits` ("0" when empty).
    static func digitLiteral(_ digits: [UInt8]) -> Expression {
        digits.isEmpty ? .text("0") : .literal(digits.map { $0 + 0x30 })
    }
}
