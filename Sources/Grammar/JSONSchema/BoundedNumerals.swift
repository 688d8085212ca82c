/// The deterministic automaton of a bounded `number` or `integer` (`NumberLanguage.bounded` with
/// bounds other than 0 and exponent forms), built directly from digit comparisons instead of by
/// subset construction of its alternatives (plain numerals and one mantissa range per exponent).
///
/// A nonzero value is `0.S × 10^(h + e)`: S its significant digits, h the order of its
/// mantissa (integral digits, or minus the zeros after `0.`), e its written exponent. A bound on
/// the magnitude `0.T × 10^q` admits it when `h + e` is below `q`, or equal to it with S
/// compared to T as the bound asks. So while the mantissa is read, each bound of the value's
/// sign is *tracked*: equal to T's first k digits so far, or decided — and then only the limit it
/// puts on e remains (`q − h`, one less when S compares the wrong way). At the exponent mark the
/// limits become the set of admitted exponents, which the exponent's digits are matched against.
/// Limits beyond the exponents that can be written make a bound free (or the value dead), which
/// keeps the states finite: about the bounds' digits plus the exponent range.
///
/// The language is exactly `NumberLanguage.bounded(lower:upper:fractions:)`'s for
/// `fractions` `.any` (exponents −`exponentLimit`…`exponentLimit`) and `.zerosOnly`
/// (exponents 0…min(`exponentLimit`, the bounds' digit count), at most 15 integral digits and
/// min(e, 9) significant fraction digits in exponent forms; plain ones with zero fractions).
struct BoundedNumerals {
    /// A bound on the magnitude of nonzero values of one sign: `0.digits × 10^order`.
    struct Magnitude: Equatable {
        var digits: [UInt8]
        var order: Int
        var isExclusive: Bool

        init(_ bound: NumericBound) {
            digits = bound.value.digits
            order = bound.value.digits.count + bound.value.exponent
            isExclusive = bound.isExclusive
        }
    }

    /// The bounds on the magnitude of the nonzero values of one sign.
    struct Side: Equatable {
        var lower: Magnitude?
        var upper: Magnitude?
        /// Whether nonzero values of this sign can be within the bounds at all.
        var admitsNonzero: Bool
    }

    /// What a bound says so far about a mantissa being read.
    enum Track {
        /// Nothing: every exponent that can be written passes it.
        case free
        /// Decided: the exponent must be at least (lower bound) or at most (upper bound) this.
        case limit(Int)
        /// The significant digits so far equal the bound's first ones (all of them and zeros
        /// beyond, at the bound's digit count).
        case equal(Int)
    }

    /// Where a mantissa is.
    enum Phase: UInt8 {
        case start, sign, integral, dot, fraction
    }

    /// A state reading the mantissa.
    struct Mantissa {
        var phase: Phase
        var negative = false
        /// Whether a nonzero digit was read.
        var started = false
        /// h: integral digits, or minus the zeros after `0.` (0 when no track needs it).
        var order = 0
        var lower = Track.free
        var upper = Track.free
        /// Integers only: integral digits (at most 16), fraction digits (at most the cap) and
        /// significant fraction digits.
        var integralDigits = 0
        var fractionDigits = 0
        var significant = 0
    }

    /// A state of the automaton.
    enum State {
        case mantissa(Mantissa)
        /// After `e`/`E`: the admitted exponents, as bits 0…20 of their magnitude per sign.
        case mark(positive: UInt32, negative: UInt32)
        /// After the exponent's sign.
        case exponentSign(UInt32)
        /// After exponent digits that are all zeros (or the sign, when 0 is not admitted).
        case exponentZeros(UInt32)
        /// After exponent digits of a nonzero value: whether it is admitted, and the digits
        /// that make an admitted two-digit value after it (bit d for digit d).
        case exponentTail(accepting: Bool, next: UInt16)

        /// The state's key: kind (2 bits), then its fields.
        var key: UInt64 {
            switch self {
            case .mantissa(let m):
                return UInt64(m.phase.rawValue) << 2 | (m.negative ? 1 << 5 : 0) | (m.started ? 1 << 6 : 0)
                    | BoundedNumerals.field(m.order) << 7 | BoundedNumerals.field(m.lower) << 20 | BoundedNumerals.field(m.upper) << 35
                    | UInt64(m.integralDigits) << 50 | UInt64(m.fractionDigits) << 55 | UInt64(m.significant) << 59
            case .mark(let positive, let negative): return 1 | UInt64(positive) << 2 | UInt64(negative) << 23
            case .exponentSign(let bits): return 2 | UInt64(bits) << 2
            case .exponentZeros(let bits): return 3 | UInt64(bits) << 3
            case .exponentTail(let accepting, let next): return 3 | 1 << 2 | (accepting ? 1 << 3 : 0) | UInt64(next) << 4
            }
        }
    }

    // MARK: Keys

    /// A distinct 64-bit key per state (numbers of 13 bits: orders and limits stay within
    /// ±2,100 as bounds have at most 1,000 digits).
    static func field(_ value: Int) -> UInt64 {
        precondition(abs(value) < 1 << 12, "an order or limit beyond the bounds' digits")
        return UInt64(value + (1 << 12))
    }

    static func field(_ track: Track) -> UInt64 {
        switch track {
        case .free: 0
        case .limit(let l): 1 | field(l) << 2
        case .equal(let k): 2 | field(k) << 2
        }
    }

    let positive: Side
    let negative: Side
    let zeroAdmitted: Bool
    /// Whether both signs have the same bounds on magnitudes (then states past the sign
    /// forget it).
    let symmetric: Bool
    let integers: Bool
    let minExponent: Int
    let maxExponent: Int
    /// Integers: the fraction-digit count past which a nonzero digit is beyond every exponent.
    let fractionCap: Int

    /// The automaton of the numerals within `lower`/`upper` (not both absent or 0, not empty),
    /// `fractions` `.any` or `.zerosOnly`.
    init(lower: NumericBound?, upper: NumericBound?, fractions: NumberLanguage.Fractions) {
        precondition(fractions != .none, "plain numerals only need no exponent tracking")
        integers = fractions == .zerosOnly
        if integers {
            let digits = [lower, upper].compactMap { $0.map { max($0.value.integerDigits.count, 1) } }.max() ?? NumberLanguage.exponentLimit
            (minExponent, maxExponent) = (0, min(NumberLanguage.exponentLimit, digits))
        } else {
            (minExponent, maxExponent) = (-NumberLanguage.exponentLimit, NumberLanguage.exponentLimit)
        }
        fractionCap = min(9, maxExponent)
        // Positive values v: lower < v (when it is positive), v < upper (nonzero only when upper > 0).
        positive = Side(lower: lower.flatMap { !$0.value.isZero && !$0.value.isNegative ? Magnitude($0) : nil },
                        upper: upper.flatMap { !$0.value.isZero && !$0.value.isNegative ? Magnitude($0) : nil },
                        admitsNonzero: upper.map { !$0.value.isZero && !$0.value.isNegative } ?? true)
        // Negative values −m: −upper < m (when upper is negative), m < −lower (nonzero only when lower < 0).
        negative = Side(lower: upper.flatMap { $0.value.isNegative ? Magnitude($0) : nil },
                        upper: lower.flatMap { $0.value.isNegative ? Magnitude($0) : nil },
                        admitsNonzero: lower.map { $0.value.isNegative } ?? true)
        symmetric = positive == negative
        zeroAdmitted = (lower.map { $0.value.isNegative || ($0.value.isZero && !$0.isExclusive) } ?? true)
            && (upper.map { (!$0.value.isNegative && !$0.value.isZero) || ($0.value.isZero && !$0.isExclusive) } ?? true)
    }

    /// The automaton, by a search of the states reachable from the start (some may not reach
    /// acceptance: the compiled grammar trims and minimizes it).
    func automaton() -> NumeralAutomaton {
        let width = NumeralAutomaton.symbolCount
        let start = State.mantissa(Mantissa(phase: .start))
        var index = StateIndex()
        index.insert(start.key, id: 0)
        var states: [State] = [start]
        var transitions: [Int32] = []
        var accepting: [Bool] = []
        var i = 0
        while i < states.count {
            let state = states[i]
            accepting.append(accepts(state))
            for symbol in 0..<width {
                guard let target = next(state, symbol) else { transitions.append(-1); continue }
                let key = target.key
                if let id = index.id(of: key) {
                    transitions.append(id)
                } else {
                    index.insert(key, id: Int32(states.count))
                    transitions.append(Int32(states.count))
                    states.append(target)
                }
            }
            i += 1
        }
        return NumeralAutomaton(transitions: transitions, accepting: accepting)
    }

    // MARK: Acceptance

    func accepts(_ state: State) -> Bool {
        switch state {
        case .mantissa(let m):
            guard m.phase == .integral || m.phase == .fraction else { return false }
            guard m.started else { return zeroAdmitted }
            if integers && m.significant > 0 { return false }
            let (low, high) = exponents(m)
            return low <= 0 && 0 <= high
        case .mark, .exponentSign: return false
        case .exponentZeros(let bits): return bits & 1 != 0
        case .exponentTail(let accepting, _): return accepting
        }
    }

    /// The exponents a started mantissa admits, as the bounds alone say (unbounded sides as
    /// ±Int.max / 2).
    func exponents(_ m: Mantissa) -> (low: Int, high: Int) {
        let side = m.negative ? negative : positive
        var low = -Int.max / 2, high = Int.max / 2
        switch m.lower {
        case .free: break
        case .limit(let l): low = l
        case .equal(let k):
            let bound = side.lower!
            let admitted = k >= bound.digits.count && !bound.isExclusive
            low = bound.order - m.order + (admitted ? 0 : 1)
        }
        switch m.upper {
        case .free: break
        case .limit(let l): high = l
        case .equal(let k):
            let bound = side.upper!
            let admitted = k < bound.digits.count || !bound.isExclusive
            high = bound.order - m.order - (admitted ? 0 : 1)
        }
        return (low, high)
    }

    // MARK: Transitions

    func next(_ state: State, _ symbol: Int) -> State? {
        switch state {
        case .mantissa(let m): return next(m, symbol)
        case .mark(let positive, let negative):
            switch symbol {
            case 0...9: return exponentDigits(positive, symbol)
            case 11: return exponentSign(negative)
            case 12: return exponentSign(positive)
            default: return nil
            }
        case .exponentSign(let bits), .exponentZeros(let bits):
            return symbol <= 9 ? exponentDigits(bits, symbol) : nil
        case .exponentTail(_, let next):
            return symbol <= 9 && next & (1 << symbol) != 0 ? .exponentTail(accepting: true, next: 0) : nil
        }
    }

    /// After the exponent's sign, with the admitted magnitudes `bits`: as after zeros when 0
    /// is not admitted (both read the same digits, neither ends there).
    func exponentSign(_ bits: UInt32) -> State? {
        bits == 0 ? nil : bits & 1 == 0 ? .exponentZeros(bits) : .exponentSign(bits)
    }

    /// After an exponent digit making the value `value` (zeros before it), the admitted
    /// magnitudes `bits`; nil when no admitted value is reachable.
    func exponentDigits(_ bits: UInt32, _ value: Int) -> State? {
        if value == 0 { return bits == 0 ? nil : .exponentZeros(bits) }
        // Only 1 and 2 have admitted two-digit values after them (up to 20).
        let accepting = bits & (1 << value) != 0
        let next = UInt16(truncatingIfNeeded: value == 1 ? bits >> 10 & 0x3FF : value == 2 ? bits >> 20 & 1 : 0)
        return accepting || next != 0 ? .exponentTail(accepting: accepting, next: next) : nil
    }

    func next(_ m: Mantissa, _ symbol: Int) -> State? {
        switch (m.phase, symbol) {
        case (.start, 11):
            var n = m
            n.phase = .sign
            n.negative = true
            return .mantissa(n)
        case (.start, 0...9), (.sign, 0...9):
            var n = m
            n.phase = .integral
            if symmetric { n.negative = false }
            n.integralDigits = 1
            if symbol == 0 { return .mantissa(n) }
            return significant(n, symbol, order: 1)
        case (.integral, 0...9):
            guard m.started else { return nil }   // no leading zero
            var n = m
            if integers { n.integralDigits = min(n.integralDigits + 1, 16) }
            if case .limit(let l) = n.lower { n.lower = .limit(l - 1) }
            if case .limit(let l) = n.upper { n.upper = .limit(l - 1) }
            return significant(n, symbol, order: m.order + 1)
        case (.integral, 10):
            var n = m
            n.phase = .dot
            return normalized(n)
        case (.dot, 0...9), (.fraction, 0...9):
            var n = m
            n.phase = .fraction
            if integers {
                if symbol != 0 {
                    guard m.fractionDigits < fractionCap else { return nil }
                    n.significant = m.fractionDigits + 1
                }
                n.fractionDigits = min(m.fractionDigits + 1, fractionCap)
            }
            if m.started { return significant(n, symbol, order: m.order) }
            if symbol != 0 { return significant(n, symbol, order: m.order) }
            n.order = max(m.order - 1, -zeroRunCap(m.negative ? negative : positive))
            return .mantissa(n)
        case (.integral, 13), (.integral, 14), (.fraction, 13), (.fraction, 14):
            return mark(m)
        default:
            return nil
        }
    }

    /// The zeros after `0.` beyond which a nonzero digit meets the same fate: every lower bound
    /// out of reach, every upper bound free.
    func zeroRunCap(_ side: Side) -> Int {
        max(side.lower.map { maxExponent - $0.order + 1 } ?? 0, side.upper.map { maxExponent - $0.order + 1 } ?? 0, 0)
    }

    /// After a significant digit (the first one starts the tracks), the mantissa's order `order`
    /// after it (the limits of decided tracks already moved).
    func significant(_ m: Mantissa, _ digit: Int, order: Int) -> State? {
        let side = m.negative ? negative : positive
        var n = m
        if !m.started {
            guard side.admitsNonzero else { return nil }
            n.started = true
            n.lower = side.lower == nil ? .free : .equal(0)
            n.upper = side.upper == nil ? .free : .equal(0)
        }
        n.order = order
        n.lower = advance(n.lower, side.lower, digit, order: order, isLower: true)
        n.upper = advance(n.upper, side.upper, digit, order: order, isLower: false)
        return normalized(n)
    }

    /// A track after a significant digit read at mantissa order `order`.
    func advance(_ track: Track, _ bound: Magnitude?, _ digit: Int, order: Int, isLower: Bool) -> Track {
        guard case .equal(let k) = track, let bound else { return track }
        let expected = k < bound.digits.count ? Int(bound.digits[k]) : 0
        if digit == expected { return .equal(k < bound.digits.count ? k + 1 : k) }
        // Decided: S is below T when the digit is.
        let below = digit < expected
        return isLower ? .limit(bound.order - order + (below ? 1 : 0)) : .limit(bound.order - order - (below ? 0 : 1))
    }

    /// The canonical form of a state (free tracks, the order only where a track needs it), or
    /// nil when no continuation is accepted.
    func normalized(_ m: Mantissa) -> State? {
        var n = m
        guard m.started else { return .mantissa(n) }
        let side = m.negative ? negative : positive
        // The order no longer grows once the integral part is over.
        let fixed = m.phase == .dot || m.phase == .fraction
        // All of a bound's digits matched: further zeros keep it so and a nonzero digit makes
        // the value exceed it, which an inclusive lower bound (and an exclusive upper one)
        // treats as equality: decided.
        if case .equal(let k) = n.lower, let bound = side.lower, k >= bound.digits.count, !bound.isExclusive {
            n.lower = .limit(bound.order - m.order)
        }
        if case .equal(let k) = n.upper, let bound = side.upper, k >= bound.digits.count, bound.isExclusive {
            n.upper = .limit(bound.order - m.order - 1)
        }
        switch n.lower {
        case .free: break
        case .limit(let l):
            if l <= minExponent { n.lower = .free } else if fixed && l > maxExponent { return nil }
        case .equal:
            let q = side.lower!.order - m.order   // the limit is q or q + 1
            if q + 1 <= minExponent { n.lower = .free } else if fixed && q > maxExponent { return nil }
        }
        switch n.upper {
        case .free: break
        case .limit(let l):
            if l < minExponent { return nil } else if fixed && l >= maxExponent { n.upper = .free }
        case .equal:
            let q = side.upper!.order - m.order   // the limit is q or q − 1
            if q < minExponent { return nil } else if fixed && q - 1 >= maxExponent { n.upper = .free }
        }
        if case .limit(let low) = n.lower, case .limit(let high) = n.upper, low > high { return nil }
        if integers && fixed {
            // Past the integral part only whether it has more than 15 digits matters; exponents
            // at least the significant fraction digits are admitted, at most `high`, so fraction
            // digits beyond `high` leave no room for a nonzero one.
            n.integralDigits = m.integralDigits <= 15 ? 1 : 16
            var high = maxExponent
            switch n.upper {
            case .free: break
            case .limit(let l): high = min(high, l)
            case .equal: high = min(high, side.upper!.order - m.order)
            }
            if m.significant > high { return nil }
            n.fractionDigits = min(m.fractionDigits, high)
            if n.integralDigits > 15 {
                // Plain forms only: no nonzero fraction digit, however many digits came before.
                if m.significant > 0 { return nil }
                n.fractionDigits = 0
            }
            // Significant digits below a lower limit of at least 1 (no plain form) say nothing.
            if case .limit(let low) = n.lower, low >= m.significant { n.significant = 0 }
        }
        switch (n.lower, n.upper) {
        case (.equal, _), (_, .equal): break
        default:
            // Decided tracks no longer read the order or the sign's bounds.
            n.order = 0
            n.negative = false
        }
        return .mantissa(n)
    }

    /// After the exponent mark: the exponents the mantissa admits, nil when none.
    func mark(_ m: Mantissa) -> State? {
        var low = minExponent, high = maxExponent
        if m.started {
            let bounds = exponents(m)
            low = max(low, bounds.low)
            high = min(high, bounds.high)
            if integers {
                guard m.integralDigits <= 15 else { return nil }
                low = max(low, m.significant)
            }
        } else if !zeroAdmitted {
            return nil
        } else if integers && m.integralDigits > 15 {
            return nil
        }
        guard low <= high else { return nil }
        var positive: UInt32 = 0, negative: UInt32 = 0
        for e in low...high {
            if e >= 0 { positive |= 1 << e }
            if e <= 0 { negative |= 1 << -e }
        }
        return .mark(positive: positive, negative: negative)
    }
}
