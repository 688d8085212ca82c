/// The lazily built counterpart of `NumeralAutomaton.divisibility`: plain numerals
/// (`-?int(.digits)?`) whose value v makes v × 10^`scale` an integer divisible by every
/// `required` factor and by no `forbidden` one, intersected with a small numeral automaton
/// `rest` (the bounds and excluded values). Used when the remainders are too many to build:
/// `Expression.lazyAutomaton` computes each state from the one before.
///
/// A state is a *phase* of the numeral (start, after `-`, a leading `0`, integral digits,
/// just after `.`, `p` fraction digits, zeros beyond the scale, a nonzero digit beyond it), the
/// remainder modulo `modulus` of the digits read so far (the dot left out), and a state of
/// `rest`. The automaton must be trim, and a state's liveness is decided without searching
/// the remainders:
/// - A pair whose `rest` state accepts every numeral suffix its phase could still read
///   (*universal*) is live when the divisibility automaton alone is: integral digits reach
///   every remainder after enough more digits, so they are live whenever some remainder is
///   accepted; fraction phases have at most 10^`scale` completions to try.
/// - The other pairs (inside bounds, before the bound's digits run out) are the ones reachable
///   from the start through pairs that are not universal: at most `maxExploredStates` of them,
///   enumerated when the automaton is made, and their liveness found backwards from acceptance.
struct RemainderNumerals: LazyAutomatonDefinition {
    /// The most pairs explored ahead; more and the constraints are refused.
    static let maxExploredStates = 400_000
    /// The largest scale (fraction digits) handled: a fraction phase tries up to 10^scale completions.
    static let maxScale = 4
    /// The largest modulus: remainder × 10 + 9 must fit.
    static let maxModulus = 1_000_000_000_000_000

    private enum Phase: Int {
        case start = 0, minus, zero, integral, dot, zeros, beyond
        /// `fraction(p)` is `firstFraction + p - 1`.
        static let firstFraction = 7
    }

    let modulus: Int
    let scale: Int
    let required: [Int]
    let forbidden: [Int]
    let fractions: NumberLanguage.Fractions
    let rest: NumeralAutomaton
    /// Whether a nonzero digit beyond the scale is accepted (a non-integer at the scale is a
    /// multiple of nothing): nothing required and any fraction allowed.
    let nonMultiples: Bool
    /// Every remainder ending an accepted integral numeral is a multiple of it.
    private var acceptedStep = 1
    /// `universal[phase * rest.stateCount + q]`.
    private var universal: [Bool] = []
    /// The liveness of the pairs that are not universal, reachable from the start.
    private var explored: [LazyAutomatonState: Bool] = [:]

    let identity: String
    var start: LazyAutomatonState { state(phase: Phase.start.rawValue, 0, 0) }
    var alphabet: [UInt8] { NumeralAutomaton.symbols }

    /// The automaton, `.nothing` for an empty language, or nil when beyond the limits above.
    static func expression(modulus: Int, scale: Int, required: [Int], forbidden: [Int], fractions: NumberLanguage.Fractions,
                           rest: NumeralAutomaton) -> Expression? {
        guard modulus <= maxModulus, scale <= maxScale, rest.stateCount > 0,
              (Phase.firstFraction + scale) * rest.stateCount <= maxExploredStates,
              var automaton = RemainderNumerals(modulus: modulus, scale: scale, required: required, forbidden: forbidden,
                                                fractions: fractions, rest: rest) else { return nil }
        guard automaton.explore() else { return nil }
        return automaton.isLive(automaton.start) ? .lazyAutomaton(LazyAutomaton(automaton)) : .nothing
    }

    private init?(modulus: Int, scale: Int, required: [Int], forbidden: [Int], fractions: NumberLanguage.Fractions,
                  rest: NumeralAutomaton) {
        self.modulus = modulus
        self.scale = scale
        self.required = required
        self.forbidden = forbidden
        self.fractions = fractions
        self.rest = rest
        nonMultiples = required.isEmpty && fractions == .any
        var tables: UInt64 = 0xCBF2_9CE4_8422_2325
        for t in rest.transitions { tables = (tables ^ UInt64(UInt32(bitPattern: t))) &* 0x100_0000_01B3 }
        for a in rest.accepting { tables = (tables ^ (a ? 1 : 2)) &* 0x100_0000_01B3 }
        identity = "remainders mod \(modulus) scale \(scale) required \(required) forbidden \(forbidden) fractions \(fractions)"
            + " rest \(rest.stateCount) states #\(String(tables, radix: 16))"
        // Integral phases are live because some remainder ends an accepted integral numeral;
        // constraints no integer meets (values only between integers) keep the eager
        // builder's error.
        acceptedStep = requiredStep()
        guard acceptedStep <= modulus, firstAcceptedRemainder() == true else { return nil }
        universal = universalPairs()
    }

    // MARK: The divisibility automaton alone

    private func state(phase: Int, _ remainder: Int, _ q: Int) -> LazyAutomatonState {
        LazyAutomatonState(control: Int64(phase) << 32 | Int64(q), value: Int64(remainder))
    }

    private func parts(_ s: LazyAutomatonState) -> (phase: Int, remainder: Int, q: Int) {
        (Int(s.control >> 32), Int(s.value), Int(s.control & 0xFFFF_FFFF))
    }

    /// Whether remainder `r` with `pending` fraction digits still to come (zeros) is accepted.
    private func accepts(_ r: Int, pending: Int) -> Bool {
        var x = r
        for _ in 0..<pending where x != 0 { x = x * 10 % modulus }
        return required.allSatisfy { x % $0 == 0 } && !forbidden.contains { x % $0 == 0 }
    }

    /// What each required factor needs of an integral remainder beyond the scale's 10^scale:
    /// accepted remainders are its multiples.
    private func requiredStep() -> Int {
        var step = 1
        var power = 1
        for _ in 0..<scale { power *= 10 }
        for f in required {
            let need = f / gcd(f, power)
            step = step / gcd(step, need) * need
            if step > modulus { return step }
        }
        return step
    }

    /// Whether some remainder ends an accepted integral numeral; nil when the search is too long
    /// to tell.
    private func firstAcceptedRemainder() -> Bool? {
        let count = modulus / gcd(modulus, acceptedStep)
        var r = 0
        for _ in 0..<min(count, 1_000_000) {
            if accepts(r, pending: scale) { return true }
            r = (r + acceptedStep) % modulus
        }
        return count <= 1_000_000 ? false : nil
    }

    private func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }

    /// The phase and remainder after `symbol`, or nil.
    private func step(_ phase: Int, _ r: Int, _ symbol: Int) -> (phase: Int, remainder: Int)? {
        let digit = symbol < 10
        func pastScale() -> (Int, Int)? {
            if symbol == 0 { return (Phase.zeros.rawValue, r) }
            return digit && nonMultiples ? (Phase.beyond.rawValue, 0) : nil
        }
        switch phase {
        case Phase.start.rawValue, Phase.minus.rawValue:
            if symbol == 0 { return (Phase.zero.rawValue, 0) }
            if digit { return (Phase.integral.rawValue, symbol % modulus) }
            return phase == Phase.start.rawValue && symbol == 11 ? (Phase.minus.rawValue, 0) : nil
        case Phase.zero.rawValue, Phase.integral.rawValue:
            if digit && phase == Phase.integral.rawValue { return (phase, (r * 10 + symbol) % modulus) }
            return symbol == 10 && fractions != .none ? (Phase.dot.rawValue, r) : nil
        case Phase.dot.rawValue:
            guard scale > 0 else { return pastScale() }
            return digit ? (Phase.firstFraction, (r * 10 + symbol) % modulus) : nil
        case Phase.zeros.rawValue:
            return pastScale()
        case Phase.beyond.rawValue:
            return digit ? (phase, 0) : nil
        default:
            let p = phase - Phase.firstFraction + 1
            guard p < scale else { return pastScale() }
            return digit ? (phase + 1, (r * 10 + symbol) % modulus) : nil
        }
    }

    /// Whether the divisibility automaton accepts in `phase` with remainder `r`.
    private func divisibilityAccepts(_ phase: Int, _ r: Int) -> Bool {
        switch phase {
        case Phase.start.rawValue, Phase.minus.rawValue, Phase.dot.rawValue: return false
        case Phase.zero.rawValue: return accepts(0, pending: scale)
        case Phase.integral.rawValue: return accepts(r, pending: scale)
        case Phase.zeros.rawValue: return accepts(r, pending: 0)
        case Phase.beyond.rawValue: return nonMultiples
        default: return accepts(r, pending: scale - (phase - Phase.firstFraction + 1))
        }
    }

    /// Whether the divisibility automaton alone reaches acceptance from `phase` and `r`.
    private func divisibilityLive(_ phase: Int, _ r: Int) -> Bool {
        switch phase {
        case Phase.start.rawValue, Phase.minus.rawValue, Phase.integral.rawValue:
            // More digits reach every remainder, and some remainder is accepted.
            return true
        case Phase.zero.rawValue:
            return accepts(0, pending: scale) || (fractions != .none && fractionCompletion(0, read: 0) != nil)
        case Phase.dot.rawValue: return fractionCompletion(r, read: 0) != nil
        case Phase.zeros.rawValue: return fractionCompletion(r, read: scale) != nil
        case Phase.beyond.rawValue: return nonMultiples
        default: return fractionCompletion(r, read: phase - Phase.firstFraction + 1) != nil
        }
    }

    /// The phases a numeral may go through, and whether some remainder accepts in each.
    private var phaseCount: Int { Phase.firstFraction + scale }

    private func mayAccept(_ phase: Int) -> Bool {
        switch phase {
        case Phase.start.rawValue, Phase.minus.rawValue, Phase.dot.rawValue: return false
        case Phase.beyond.rawValue: return nonMultiples
        default: return true
        }
    }

    /// For each (phase, `rest` state): whether `rest` accepts every numeral the phase may still
    /// accept (its phases and symbols, whatever the remainder). A pair is not universal when it
    /// reaches, by symbols both read, a phase that may accept where `rest` does not, or a symbol
    /// the phase reads and `rest` does not.
    private func universalPairs() -> [Bool] {
        let n = rest.stateCount
        var bad = [Bool](repeating: false, count: phaseCount * n)
        var predecessors = [[Int32]](repeating: [], count: phaseCount * n)
        var work: [Int] = []
        for phase in 0..<phaseCount {
            for q in 0..<n {
                let pair = phase * n + q
                var isBad = mayAccept(phase) && !rest.accepting[q]
                for symbol in 0..<NumeralAutomaton.symbolCount {
                    guard let next = step(phase, 0, symbol) else { continue }
                    let target = rest.next(q, symbol)
                    if target < 0 { isBad = true; continue }
                    predecessors[next.phase * n + target].append(Int32(pair))
                }
                if isBad { bad[pair] = true; work.append(pair) }
            }
        }
        while let pair = work.popLast() {
            for p in predecessors[pair] where !bad[Int(p)] {
                bad[Int(p)] = true
                work.append(Int(p))
            }
        }
        return bad.map { !$0 }
    }

    private func isUniversal(_ phase: Int, _ q: Int) -> Bool { universal[phase * rest.stateCount + q] }

    // MARK: The product

    /// The successor of pair `s` on `symbol`, live or not; nil when a side reads no such symbol.
    private func successor(_ s: LazyAutomatonState, _ symbol: Int) -> LazyAutomatonState? {
        let (phase, r, q) = parts(s)
        guard let next = step(phase, r, symbol) else { return nil }
        let target = rest.next(q, symbol)
        guard target >= 0 else { return nil }
        return state(phase: next.phase, next.remainder, target)
    }

    /// Whether a pair reaches acceptance (universal pairs by the divisibility automaton alone,
    /// the others from the table `explore` filled).
    private func isLive(_ s: LazyAutomatonState) -> Bool {
        let (phase, r, q) = parts(s)
        if isUniversal(phase, q) { return divisibilityLive(phase, r) }
        return explored[s] ?? false
    }

    /// Enumerates the pairs that are not universal reachable from the start through such pairs,
    /// and decides their liveness; false beyond `maxExploredStates`.
    private mutating func explore() -> Bool {
        var index: [LazyAutomatonState: Int] = [:]
        var pairs: [LazyAutomatonState] = []
        var predecessors: [[Int32]] = []
        var live: [Bool] = []
        var work: [Int] = []
        func add(_ s: LazyAutomatonState) -> Int? {
            if let known = index[s] { return known }
            guard pairs.count < RemainderNumerals.maxExploredStates else { return nil }
            index[s] = pairs.count
            pairs.append(s)
            predecessors.append([])
            let (phase, r, q) = parts(s)
            let accepting = divisibilityAccepts(phase, r) && rest.accepting[q]
            live.append(accepting)
            if accepting { work.append(pairs.count - 1) }
            return pairs.count - 1
        }
        guard !isUniversal(Phase.start.rawValue, 0) else { return true }
        _ = add(start)
        var next = 0
        while next < pairs.count {
            let s = pairs[next]
            for symbol in 0..<NumeralAutomaton.symbolCount {
                guard let t = successor(s, symbol) else { continue }
                let (phase, r, q) = parts(t)
                if isUniversal(phase, q) {
                    if divisibilityLive(phase, r), !live[next] {
                        live[next] = true
                        work.append(next)
                    }
                } else {
                    guard let i = add(t) else { return false }
                    predecessors[i].append(Int32(next))
                }
            }
            next += 1
        }
        while let i = work.popLast() {
            for p in predecessors[i] where !live[Int(p)] {
                live[Int(p)] = true
                work.append(Int(p))
            }
        }
        explored.reserveCapacity(pairs.count)
        for (i, s) in pairs.enumerated() { explored[s] = live[i] }
        return true
    }

    // MARK: LazyAutomatonDefinition

    func successors(of s: LazyAutomatonState) -> [(byte: UInt8, state: LazyAutomatonState)] {
        var result: [(byte: UInt8, state: LazyAutomatonState)] = []
        for (symbol, byte) in NumeralAutomaton.symbols.enumerated() {
            if let t = successor(s, symbol), isLive(t) { result.append((byte, t)) }
        }
        return result.sorted { $0.byte < $1.byte }
    }

    func isAccepting(_ s: LazyAutomatonState) -> Bool {
        let (phase, r, q) = parts(s)
        return divisibilityAccepts(phase, r) && rest.accepting[q]
    }

    /// Exact where the bounds leave the digits free (`completionLength`); otherwise breadth
    /// first over live states, up to 2,000 of them; beyond, 1 (a lower bound).
    func shortestCompletion(from s: LazyAutomatonState) -> Int {
        if isAccepting(s) { return 0 }
        let (phase, r, q) = parts(s)
        if isUniversal(phase, q), let length = completionLength(phase, r) { return length }
        var seen: Set<LazyAutomatonState> = [s]
        var frontier = [s]
        var depth = 0
        while !frontier.isEmpty && seen.count < 2_000 {
            depth += 1
            var next: [LazyAutomatonState] = []
            for x in frontier {
                for (_, t) in successors(of: x) where seen.insert(t).inserted {
                    if isAccepting(t) { return depth }
                    next.append(t)
                }
            }
            frontier = next
        }
        return 1
    }

    /// The fewest bytes the divisibility automaton alone needs from `phase` and `r` to accept
    /// (not accepting there); nil when a search would be long.
    private func completionLength(_ phase: Int, _ r: Int) -> Int? {
        func shortest(_ lengths: Int?...) -> Int? { lengths.compactMap { $0 }.min() }
        let afterDot = fractionCompletion(r, read: 0)
        switch phase {
        case Phase.start.rawValue, Phase.minus.rawValue:
            let zero = accepts(0, pending: scale) ? 1 : fractionCompletion(0, read: 0).map { 2 + $0 }
            return shortest(zero, integralCompletion(r, leading: true))
        case Phase.integral.rawValue:
            return shortest(afterDot.map { 1 + $0 }, integralCompletion(r, leading: false))
        case Phase.zero.rawValue: return afterDot.map { 1 + $0 }
        case Phase.dot.rawValue: return afterDot
        case Phase.zeros.rawValue, Phase.beyond.rawValue: return nonMultiples ? 1 : nil
        default: return fractionCompletion(r, read: phase - Phase.firstFraction + 1)
        }
    }

    /// The fewest fraction digits (at least one) that, with `read` of them read and remainder
    /// `r`, leave an accepted numeral; nil when none does (the phase is dead).
    private func fractionCompletion(_ r: Int, read: Int) -> Int? {
        if read < scale {
            var base = r, count = 1
            for j in 1...(scale - read) {
                base = base * 10 % modulus
                count *= 10
                if (0..<count).contains(where: { accepts((base + $0) % modulus, pending: scale - read - j) }) { return j }
            }
        } else if accepts(r, pending: 0) {
            return 1
        }
        return nonMultiples ? scale - read + 1 : nil
    }

    /// The fewest integral digits that, appended to remainder `r` (`leading`: the first digits
    /// of the numeral, not starting with 0), leave an accepted numeral; nil after 10,000
    /// candidates at one length.
    private func integralCompletion(_ r: Int, leading: Bool) -> Int? {
        var power = 1  // 10^k
        for k in 0...17 {
            defer { power *= 10 }
            if leading && k == 0 { continue }
            // The values reachable with k more digits form an interval; multiples of `step` in it.
            let low = leading ? power / 10 % modulus : modulus.dividingFullWidth(r.multipliedFullWidth(by: power)).remainder
            let width = min(leading ? power - power / 10 : power, modulus)
            var x = (low + acceptedStep - 1) / acceptedStep * acceptedStep
            var tries = 0
            while x < low + width {
                if accepts(x % modulus, pending: scale) { return k }
                tries += 1
                if tries == 10_000 { return nil }
                x += acceptedStep
            }
        }
        return nil
    }
}
