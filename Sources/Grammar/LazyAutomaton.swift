/// A deterministic automaton over bytes too large to build, embedded in the grammar IR as
/// `Expression.lazyAutomaton`: the automaton compiler gives its states automaton states only
/// when the output reaches them.
///
/// `multipleOf: 0.123456789` on integers has 123,456,789 remainders; two keys' constraints
/// meeting (`multipleOf` 8,721 and none of 7, 11, 13 or 37) have 323 million. No table holds
/// them, but a decoder only ever visits the few remainders of the numerals it writes, each
/// state computed by arithmetic from the one before.
///
/// The definition must be *trim*: `successors(of:)` lists only states from which an accepting
/// state is reachable, and the start state is one of them (an empty language is `.nothing`,
/// not a lazy automaton). The compiler relies on it for the guarantee that every allowed
/// token leaves a completion.
public protocol LazyAutomatonDefinition: Sendable {
    /// A description that two definitions share exactly when they have the same language
    /// (equality and hashing of the expression go by it).
    var identity: String { get }
    /// The start state.
    var start: LazyAutomatonState { get }
    /// The bytes any state may read (the compiler tells each of them apart).
    var alphabet: [UInt8] { get }
    /// The live successors of `state`, by byte, in increasing byte order.
    func successors(of state: LazyAutomatonState) -> [(byte: UInt8, state: LazyAutomatonState)]
    /// Whether `state` accepts.
    func isAccepting(_ state: LazyAutomatonState) -> Bool
    /// The fewest bytes from `state` to an accepting state: exact, or (when the search would be
    /// long) a lower bound of at least 1 for a state that does not accept.
    func shortestCompletion(from state: LazyAutomatonState) -> Int
}

/// A state of a `LazyAutomatonDefinition`, in two words whose meaning is the definition's.
public struct LazyAutomatonState: Hashable, Sendable {
    /// The first word (a numeral automaton: its phase and the state of its bounds).
    public var control: Int64
    /// The second word (a numeral automaton: the remainder).
    public var value: Int64

    /// The state with these words.
    public init(control: Int64, value: Int64) {
        self.control = control
        self.value = value
    }
}

/// A `LazyAutomatonDefinition` as an operand of `Expression`: equal and hashed by its identity.
public struct LazyAutomaton: Hashable, Sendable {
    /// The definition.
    public let definition: any LazyAutomatonDefinition

    /// Wraps `definition`.
    public init(_ definition: any LazyAutomatonDefinition) {
        self.definition = definition
    }

    public static func == (a: LazyAutomaton, b: LazyAutomaton) -> Bool {
        a.definition.identity == b.definition.identity
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(definition.identity)
    }

    /// The state after reading `byte` in `state`, or nil when the byte leads nowhere.
    public func next(_ state: LazyAutomatonState, _ byte: UInt8) -> LazyAutomatonState? {
        definition.successors(of: state).first { $0.byte == byte }?.state
    }

    /// The state after reading `bytes` from the start, or nil when a byte leads nowhere.
    public func run<C: Collection<UInt8>>(_ bytes: C) -> LazyAutomatonState? {
        var state = definition.start
        for byte in bytes {
            guard let next = next(state, byte) else { return nil }
            state = next
        }
        return state
    }

    /// Whether the automaton accepts `bytes`.
    public func accepts<C: Collection<UInt8>>(_ bytes: C) -> Bool {
        run(bytes).map(definition.isAccepting) ?? false
    }
}
