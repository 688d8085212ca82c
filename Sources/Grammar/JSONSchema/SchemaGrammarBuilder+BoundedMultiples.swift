/// Divisibility over a short bounded range, written out value by value when the automaton
/// would exceed its budget.
///
/// Several divisors and non-divisors multiply the states of a divisibility automaton (their
/// least common multiple), but between two bounds the multiples of the divisors may be few:
/// `multipleOf: 13`, not a multiple of 2, 3, 5, 7 or 11, between 100 and 1000 is 69
/// candidates. Each candidate is checked exactly (`NumberConstraints.admits`), and the
/// survivors are spelled as plain numerals, as the automaton would spell them.
extension SchemaGrammarBuilder {
    /// The numbers satisfying `constraints` (and integral when `integerOnly`, not when
    /// `fractionalOnly`), without `excluded`, when both bounds are set and the multiples of
    /// the divisors' least common multiple (1 for integers without divisors) between them
    /// are at most `JSONSchemaLimits.maxEnumeratedNumbers`; nil otherwise.
    func boundedMultiples(_ constraints: NumberConstraints, divisors: [JSONNumber], integerOnly: Bool, fractionalOnly: Bool,
                          excluded: [JSONNumber]) -> [JSONNumber]? {
        guard let lower = constraints.lower?.value, let upper = constraints.upper?.value else { return nil }
        let steps = divisors.isEmpty && integerOnly ? [JSONNumber(1)] : divisors
        guard !steps.isEmpty else { return nil }
        // Everything as integers in units of 10^-scale.
        let scale = (steps + [lower, upper]).map { max(-$0.exponent, 0) }.max() ?? 0
        func scaled(_ number: JSONNumber) -> Int? {
            number.plainDigitCount + scale <= 15 ? number.shifted(by: scale).intValue : nil
        }
        var step = 1
        for divisor in steps {
            guard let value = scaled(divisor), value > 0 else { return nil }
            let (multiple, overflow) = (step / Self.gcd(step, value)).multipliedReportingOverflow(by: value)
            guard !overflow, multiple <= 1 << 50 else { return nil }
            step = multiple
        }
        guard let low = scaled(lower), let high = scaled(upper) else { return nil }
        let first = -Self.floorDivision(-low, step), last = Self.floorDivision(high, step)
        guard last - first < JSONSchemaLimits.maxEnumeratedNumbers else { return nil }
        guard first <= last else { return [] }
        var values: [JSONNumber] = []
        for k in first...last {
            guard let value = JSONNumber(Self.decimalText(k * step, scale: scale)) else { return nil }
            if constraints.admits(value), !excluded.contains(value), !integerOnly || value.isInteger,
               !fractionalOnly || !value.isInteger {
                values.append(value)
            }
        }
        return values
    }

    private static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }

    /// ⌊a / b⌋ for a positive `b`.
    private static func floorDivision(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a + b - 1) / b) }

    /// `value` × 10^-`scale` as a decimal numeral.
    private static func decimalText(_ value: Int, scale: Int) -> String {
        let digits = String(value.magnitude)
        let padded = String(repeating: "0", count: max(scale + 1 - digits.count, 0)) + digits
        let split = padded.index(padded.endIndex, offsetBy: -scale)
        let sign = value < 0 ? "-" : ""
        return scale == 0 ? sign + padded : sign + padded[..<split] + "." + padded[split...]
    }
}
