/// Unsigned plain numerals (`int` or `int.digits`, no exponent) whose value is a multiple of
/// `modulus × 10^-scale`, as a deterministic automaton written as right-linear rules.
///
/// The value × 10^scale must be an integer divisible by `modulus`: the automaton reads digits
/// keeping the remainder modulo `modulus`; after `scale` fraction digits only zeros may follow.
/// It has `modulus × (scale + 1)` states.
struct DivisibilityLanguage {
    /// The automaton's modulus (≥ 1).
    let modulus: Int
    /// How many fraction digits count toward the remainder.
    let scale: Int
    /// Whether an all-zero fraction may follow when `scale` is 0 (not for draft-04 integers).
    let allowsZeroFraction: Bool
    /// The prefix of the generated rule names.
    let namePrefix: String

    /// The number of states, hence rules, the language takes.
    var stateCount: Int { modulus * (scale + 1) }

    /// The expression matching the numerals, and the rules it refers to.
    func build() -> (start: Expression, rules: [(name: String, body: Expression)]) {
        var rules: [(name: String, body: Expression)] = []
        for remainder in 0..<modulus {
            rules.append((integralName(remainder), .alternatives(transitions(from: remainder, to: integralName) + [afterIntegral(remainder)])))
        }
        if scale > 0 {
            for position in 1...scale {
                for remainder in 0..<modulus {
                    let body: Expression
                    if position == scale {
                        body = remainder == 0 ? .zeroOrMore(.text("0")) : .nothing
                    } else {
                        let stop: Expression = accepts(remainder, pendingDigits: scale - position) ? .empty : .nothing
                        body = .alternatives([stop] + transitions(from: remainder) { fractionName(position + 1, $0) })
                    }
                    rules.append((fractionName(position, remainder), body))
                }
            }
        }
        let start = Expression.alternatives([
            .concat([.text("0"), afterIntegral(0)]),
        ] + (1...9).map { digit in
            .concat([.literal([0x30 + UInt8(digit)]), .ruleReference(integralName(digit % modulus))])
        })
        return (start, rules)
    }

    /// What may follow the integral part once its remainder is `remainder`.
    private func afterIntegral(_ remainder: Int) -> Expression {
        let stop: Expression = accepts(remainder, pendingDigits: scale) ? .empty : .nothing
        let fraction: Expression
        if scale == 0 {
            fraction = remainder == 0 && allowsZeroFraction ? .concat([.text("."), .oneOrMore(.text("0"))]) : .nothing
        } else {
            fraction = .concat([.text("."), .alternatives(transitions(from: remainder) { fractionName(1, $0) })])
        }
        return .alternatives([stop, fraction])
    }

    /// One alternative per next remainder: the digits leading there, then that state.
    private func transitions(from remainder: Int, to name: (Int) -> String) -> [Expression] {
        var digitsByTarget: [Int: [UInt8]] = [:]
        var order: [Int] = []
        for digit in 0...9 {
            let target = (remainder * 10 + digit) % modulus
            if digitsByTarget[target] == nil { order.append(target) }
            digitsByTarget[target, default: []].append(UInt8(digit))
        }
        return order.map { target in
            let digits = digitsByTarget[target] ?? []
            return .concat([.byteClass(digits.map { (0x30 + $0)...(0x30 + $0) }), .ruleReference(name(target))])
        }
    }

    /// Whether stopping with `remainder` and `pendingDigits` implicit trailing zeros leaves a multiple.
    private func accepts(_ remainder: Int, pendingDigits: Int) -> Bool {
        var r = remainder
        for _ in 0..<pendingDigits where r != 0 { r = r * 10 % modulus }
        return r == 0
    }

    private func integralName(_ remainder: Int) -> String { "\(namePrefix)-i\(remainder)" }
    private func fractionName(_ position: Int, _ remainder: Int) -> String { "\(namePrefix)-f\(position)-\(remainder)" }
}
