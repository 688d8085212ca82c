/// A deterministic finite automaton over bytes, embedded in the grammar IR as
/// `Expression.automaton`: a front end that has already built a regular language as an
/// automaton (divisibility of numerals, say) hands it to the automaton compiler as a table,
/// which is spliced in with one automaton state per table state, instead of being written out
/// as rules or expressions and rebuilt.
///
/// Bytes are grouped into classes (`classOf`), and each state has one target per class, -1
/// for none. State 0 is the start. States need not all be reachable or co-reachable: the
/// compiler trims them.
public struct ByteAutomaton: Hashable, Sendable {
    /// The class of each of the 256 bytes.
    public let classOf: [UInt8]
    /// The number of byte classes.
    public let classCount: Int
    /// `transitions[state * classCount + class]`: the next state, or -1.
    public let transitions: [Int32]
    /// Whether each state accepts.
    public let accepting: [Bool]
    /// Whether the language is not empty: an accepting state is reachable from the start.
    public let acceptsSomething: Bool

    /// An automaton from its tables. `classOf` has 256 entries below `classCount`,
    /// `transitions` one entry per state and class, each -1 or a state.
    public init(classOf: [UInt8], classCount: Int, transitions: [Int32], accepting: [Bool]) {
        precondition(classOf.count == 256 && classOf.allSatisfy { Int($0) < classCount }, "a class for every byte")
        precondition(transitions.count == accepting.count * classCount, "one target per state and class")
        precondition(transitions.allSatisfy { $0 >= -1 && Int($0) < accepting.count }, "targets are states or -1")
        self.classOf = classOf
        self.classCount = classCount
        self.transitions = transitions
        self.accepting = accepting
        acceptsSomething = ByteAutomaton.reachesAcceptance(classCount: classCount, transitions: transitions, accepting: accepting)
    }

    /// Whether an accepting state is reachable from state 0.
    private static func reachesAcceptance(classCount: Int, transitions: [Int32], accepting: [Bool]) -> Bool {
        guard !accepting.isEmpty else { return false }
        var seen = [Bool](repeating: false, count: accepting.count)
        var stack: [Int32] = [0]
        seen[0] = true
        while let state = stack.popLast() {
            if accepting[Int(state)] { return true }
            for target in transitions[Int(state) * classCount..<(Int(state) + 1) * classCount] where target >= 0 && !seen[Int(target)] {
                seen[Int(target)] = true
                stack.append(target)
            }
        }
        return false
    }

    /// An automaton over the bytes `symbols` (each its own class; other bytes lead nowhere):
    /// `transitions[state * symbols.count + i]` is the target on `symbols[i]`, or -1.
    public init(symbols: [UInt8], transitions: [Int32], accepting: [Bool]) {
        // Class 0 is every other byte, with no targets; symbol i is class i + 1.
        var classOf = [UInt8](repeating: 0, count: 256)
        for (i, byte) in symbols.enumerated() {
            precondition(classOf[Int(byte)] == 0, "distinct symbols")
            classOf[Int(byte)] = UInt8(i + 1)
        }
        let width = symbols.count + 1
        var table = [Int32](repeating: -1, count: accepting.count * width)
        for state in 0..<accepting.count {
            for i in 0..<symbols.count { table[state * width + i + 1] = transitions[state * symbols.count + i] }
        }
        self.init(classOf: classOf, classCount: width, transitions: table, accepting: accepting)
    }

    /// The number of states.
    public var stateCount: Int { accepting.count }

    /// The state after reading `byte` in `state`, or -1.
    public func next(_ state: Int, _ byte: UInt8) -> Int32 {
        transitions[state * classCount + Int(classOf[Int(byte)])]
    }

    /// Whether the automaton accepts `bytes`.
    public func accepts<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> Bool {
        guard stateCount > 0 else { return false }
        var state = 0
        for byte in bytes {
            let target = next(state, byte)
            if target < 0 { return false }
            state = Int(target)
        }
        return accepting[state]
    }

    /// Equal when the tables are equal (automata of one language with different tables differ).
    public static func == (a: ByteAutomaton, b: ByteAutomaton) -> Bool {
        a.classCount == b.classCount && a.accepting == b.accepting && a.classOf == b.classOf && a.transitions == b.transitions
    }

    /// Hashes the sizes, the byte classes and the first rows: enough to tell automata apart
    /// in practice, in constant time however large they are (equality compares everything).
    public func hash(into hasher: inout Hasher) {
        hasher.combine(stateCount)
        hasher.combine(classCount)
        hasher.combine(classOf)
        for target in transitions.prefix(64) { hasher.combine(target) }
    }
}
