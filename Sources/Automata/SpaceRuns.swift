/// Counts the runs of whitespace characters in plain text (`PlainText`), byte by byte: an
/// automaton whose states say whether the last whole character was whitespace and, inside a
/// multi-byte character, which bytes of it were read while it may still be whitespace.
///
/// Whitespace is that of ECMA-262's `\s` (what word-count patterns such as
/// `^(?:\S+\s+){0,N}\S+$` separate words with): the space, U+00A0, U+1680, U+2000–U+200A,
/// U+2028, U+2029, U+202F, U+205F, U+3000 and U+FEFF (the ASCII controls are no plain text).
/// A run is counted when a whitespace character follows the start of the text or a
/// non-whitespace character, so a text's count is its number of maximal whitespace runs.
///
/// A token of a byte-level vocabulary rarely holds more than one run (Llama 3: none holds two),
/// so searches of the strings a configuration accepts need only follow the strings of at most
/// that many runs to cover every token (`ConfigurationSpace.plainTextRunLimit`): a word-count
/// pattern then accepts every such string as long as one more word is allowed, however many
/// words it has left.
public enum SpaceRuns {
    /// The state at the start of a text.
    public static let start: UInt8 = 0

    /// The UTF-8 encodings of the whitespace characters.
    static let whitespace: [[UInt8]] = ([0x20, 0xA0, 0x1680] + Array(0x2000...0x200A) + [0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF])
        .map { Array(String(Character(Unicode.Scalar(UInt32($0))!)).utf8) }

    /// The transitions: the entry at `state << 8 | byte` is the next state in its low 7 bits,
    /// with bit 7 set when the byte completes a whitespace character that starts a run.
    public static let table: [UInt8] = {
        /// A state: after a whole character (`prefix` empty, `remaining` 0), inside a character
        /// that may still be whitespace (its bytes so far in `prefix`), or inside one that is not
        /// (`remaining` continuation bytes to come).
        struct State: Hashable {
            var lastWasSpace: Bool
            var prefix: [UInt8]
            var remaining: Int
        }
        /// The bytes of the character a lead byte starts.
        func length(of lead: UInt8) -> Int {
            switch lead {
            case 0xC0...0xDF: return 2
            case 0xE0...0xEF: return 3
            case 0xF0...0xF7: return 4
            default: return 1
            }
        }
        var states = [State(lastWasSpace: false, prefix: [], remaining: 0)]
        var index = [states[0]: 0]
        var table: [UInt8] = []
        var i = 0
        while i < states.count {
            let s = states[i]
            for byte in 0...255 {
                let b = UInt8(byte)
                var next: State
                var startsRun = false
                if s.remaining > 0 {
                    next = State(lastWasSpace: false, prefix: [], remaining: s.remaining - 1)
                } else {
                    let bytes = s.prefix + [b]
                    if whitespace.contains(bytes) {
                        next = State(lastWasSpace: true, prefix: [], remaining: 0)
                        startsRun = !s.lastWasSpace
                    } else if whitespace.contains(where: { $0.count > bytes.count && Array($0.prefix(bytes.count)) == bytes }) {
                        next = State(lastWasSpace: s.lastWasSpace, prefix: bytes, remaining: 0)
                    } else {
                        next = State(lastWasSpace: false, prefix: [], remaining: max(length(of: bytes[0]) - bytes.count, 0))
                    }
                }
                if index[next] == nil {
                    index[next] = states.count
                    states.append(next)
                }
                table.append(UInt8(index[next]!) | (startsRun ? 0x80 : 0))
            }
            i += 1
        }
        precondition(states.count < 128)
        return table
    }()

    /// The number of states.
    public static var stateCount: Int { table.count >> 8 }

    /// The most runs a run-limited `TextClass` may have, plus one (`plainTransitions(maxRuns:)`).
    public static let limitedRuns = 3

    /// The automaton of the plain text of at most `maxRuns` whitespace runs (below
    /// `limitedRuns`), as `PlainText.transitionTable` is that of all plain text: the entry at
    /// `state << 8 | byte` is the next state, -1 when `byte` leaves plain text or starts run
    /// `maxRuns + 1`; state 0 is the start. A walk reading a class through this table looks at
    /// the runs with no more work per byte than at plain text.
    static func plainTransitions(maxRuns: Int) -> [Int8] {
        switch maxRuns {
        case 0: return noRuns
        case 1: return oneRun
        default: return twoRuns
        }
    }

    /// `plainTransitions(maxRuns:)` of 0, 1 and 2 runs, each built on first use.
    private static let noRuns = runLimitedTable(maxRuns: 0)
    private static let oneRun = runLimitedTable(maxRuns: 1)
    private static let twoRuns = runLimitedTable(maxRuns: 2)

    /// The product of `PlainText`, this automaton and the runs so far up to `maxRuns`, over its
    /// reachable states.
    private static func runLimitedTable(maxRuns: Int) -> [Int8] {
        // The state of each (plain state, run state, runs), at (plain * 128 + run) * limitedRuns + runs.
        var index = [Int8](repeating: -1, count: PlainText.stateCount * 128 * limitedRuns)
        index[0] = 0
        var states = [(plain: Int8, run: UInt8, runs: Int)]([(0, start, 0)])
        var table: [Int8] = []
        var i = 0
        while i < states.count {
            let (p, w, runs) = states[i]
            for byte in 0...255 {
                let q = PlainText.next(p, UInt8(byte))
                let entry = SpaceRuns.table[Int(w) << 8 | byte]
                let r = runs + Int(entry >> 7)
                guard q >= 0, r <= maxRuns else {
                    table.append(-1)
                    continue
                }
                let key = (Int(q) * 128 + Int(entry & 0x7F)) * limitedRuns + r
                if index[key] >= 0 {
                    table.append(index[key])
                } else {
                    precondition(states.count < 128)
                    index[key] = Int8(states.count)
                    table.append(Int8(states.count))
                    states.append((q, entry & 0x7F, r))
                }
            }
            i += 1
        }
        return table
    }

    /// The number of whitespace runs in `bytes`.
    public static func runs<C: Collection<UInt8>>(in bytes: C) -> Int {
        var state = Int(start)
        var runs = 0
        for b in bytes {
            let entry = table[state << 8 | Int(b)]
            runs += Int(entry >> 7)
            state = Int(entry & 0x7F)
        }
        return runs
    }
}
