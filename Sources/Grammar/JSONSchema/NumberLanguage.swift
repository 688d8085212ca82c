/// Languages of JSON number lexemes (RFC 8259 syntax), optionally restricted by value.
///
/// Which lexemes stand for which values:
/// - Numbers: every RFC 8259 number.
/// - Integers (draft-06 and later): `-?int` of any length; and, with at most 15 integral digits
///   (so that validators reading them as doubles cannot overflow), `-?int.0+`, either followed
///   by a non-negative exponent of at most two digits (`e`/`E`, optional `+`), and `-?int.f`
///   with at most 9 significant fraction digits followed by such an exponent at least as large
///   (`1.5e1`). Integral values written with a negative exponent (`10e-1`), more fraction
///   digits, longer integral parts or larger exponents are not accepted in those spellings.
/// - Integers in draft-04, which excludes fractions and exponents: `-?int` only.
/// - Under bounds, exactly the lexemes whose value is within them, with exponent forms only
///   where no bound other than 0 applies to their sign (`1e-6` satisfies `minimum: 0`); numbers
///   compared to other bounds are plain, `-?int(.digits)?` (`-?int(.0+)?` for integers).
///   `-0` is zero.
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
            // A fraction or exponent makes common validators (Python's json, JavaScript) read the
            // number as a double, which overflows to infinity — no longer an integer — at
            // ~1.8e308. So those spellings keep at most 15 integral digits and a two-digit
            // exponent (values below 1e114); plain integers of any length stay exact.
            let shortIntegral = Expression.alternatives([.text("0"), .concat([nonzeroDigit, .repetition(digit, min: 0, max: 14)])])
            let positiveExponent = Expression.concat([exponentMark, .optional(.text("+")), .zeroOrMore(.text("0"))])
            let zeroFraction = Expression.concat([.text("."), .oneOrMore(.text("0"))])
            var tails: [Expression] = [zeroFraction, .concat([.optional(zeroFraction), positiveExponent, .repetition(digit, min: 1, max: 2)])]
            for significant in UInt8(1)...9 {
                // A fraction whose last nonzero digit is at position `significant`, then an exponent ≥ it.
                tails.append(.concat([
                    .text("."), .repetition(digit, min: Int(significant) - 1, max: Int(significant) - 1), nonzeroDigit,
                    .zeroOrMore(.text("0")), positiveExponent,
                    .alternatives([.byteClass([(0x30 + significant)...0x39]), .concat([nonzeroDigit, digit])]),
                ]))
            }
            return .alternatives([integralPart, .concat([shortIntegral, .alternatives(tails)])])
        case .none:
            return integralPart
        }
    }

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

    /// The lexemes whose value lies within the bounds.
    static func bounded(lower: NumericBound?, upper: NumericBound?, fractions: Fractions) -> Expression {
        if let lower, let upper {
            if upper.value < lower.value || (upper.value == lower.value && (lower.isExclusive || upper.isExclusive)) {
                return .nothing
            }
            return .intersection([atLeast(lower, fractions), atMost(upper, fractions)])
        }
        if let lower { return atLeast(lower, fractions) }
        if let upper { return atMost(upper, fractions) }
        return any(fractions)
    }

    /// The plain lexemes of exactly `value` (an integer unless fractions are `.any`): its digits
    /// without exponent, trailing fraction zeros optional where fractions are allowed, `-0` for
    /// zero; plus the spelling `value.text` itself unless fractions are `.none`.
    static func lexemes(of value: JSONNumber, _ fractions: Fractions) -> Expression {
        let sign: Expression = value.isZero ? .optional(minus) : (value.isNegative ? minus : .empty)
        let fraction = value.fractionDigits
        let plain = Expression.concat([
            sign, digitLiteral(value.integerDigits),
            fraction.isEmpty ? anyFraction(fractions == .none ? .none : .zerosOnly)
                : .concat([.text("."), digitLiteral(fraction), .zeroOrMore(.text("0"))]),
        ])
        return fractions == .none ? plain : .alternatives([plain, .text(value.text)])
    }

    // MARK: Signed one-sided bounds

    private static func atLeast(_ bound: NumericBound, _ fractions: Fractions) -> Expression {
        let value = bound.value
        if value.isZero {
            return bound.isExclusive
                ? .difference(unsigned(fractions), unsignedZero(fractions))
                : .alternatives([unsigned(fractions), .concat([minus, unsignedZero(fractions)])])
        }
        if !value.isNegative { return magnitude(atLeast: value, strictly: bound.isExclusive, fractions) }
        return .alternatives([unsigned(fractions), .concat([minus, magnitude(atMost: value, strictly: bound.isExclusive, fractions)])])
    }

    private static func atMost(_ bound: NumericBound, _ fractions: Fractions) -> Expression {
        let value = bound.value
        if value.isZero {
            return bound.isExclusive
                ? .concat([minus, .difference(unsigned(fractions), unsignedZero(fractions))])
                : .alternatives([.concat([minus, unsigned(fractions)]), unsignedZero(fractions)])
        }
        if value.isNegative { return .concat([minus, magnitude(atLeast: value, strictly: bound.isExclusive, fractions)]) }
        return .alternatives([.concat([minus, unsigned(fractions)]), magnitude(atMost: value, strictly: bound.isExclusive, fractions)])
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

    /// The literal numeral of `digits` ("0" when empty).
    static func digitLiteral(_ digits: [UInt8]) -> Expression {
        digits.isEmpty ? .text("0") : .literal(digits.map { $0 + 0x30 })
    }
}
