import Automata
import Grammar

/// Whether an unfinished element of a unique array can still end with a value the array does
/// not hold yet: the dead-end check for arrays whose elements are not open
/// (`Grammar.closedUniqueArrayRules`).
///
/// Some prefixes of such elements have only finitely many completing values (`[0, 0` — after
/// `0` only the value 0; `{"a": 1, "b": true` — only `}`; a string of fixed length near its
/// end; an enum's value half written). When every one of them is already in the array, the
/// element is a dead end. The check walks the automaton from the element's configuration
/// (restricted to the parses inside the array), byte by byte, only as long as the text read
/// can still spell one of the used values (`JSONSpellingPrefix`): a text that cannot, and
/// that the automaton accepts, has only unused completions, so the answer is yes at once.
/// What the walk reaches otherwise are prefixes of used values, finitely many apart from
/// whitespace (never walked: it is optional wherever JSON allows it, and changes no value) and
/// the zeros a number may repeat without changing its value (a run of more than
/// `maxZeroRun` zeros is not lengthened). A complete element whose value is unused also
/// answers yes; a number is complete where the automaton lets the element end after it.
/// `nodeBudget` bounds the walk; past it the answer is yes (documented relaxation).
///
/// Elements inside the element (a nested unique array) are not kept distinct by the walk.
enum UniqueElementCompletion {
    /// The most zeros in a row the walk writes in a number.
    static let maxZeroRun = 24
    /// The most element prefixes one walk looks at.
    static let nodeBudget = 20_000

    /// Whether some completion of the element `text` (its bytes so far, possibly none) read
    /// from `config` has a value outside `keys` (whose values are `values`).
    static func hasUnusedCompletion(in space: ConfigurationSpace, from config: Int32, text: [UInt8],
                                    values: [JSONValue], keys: Set<[UInt8]>) -> Bool {
        guard !values.isEmpty else { return true }
        var pending: [(config: Int32, text: [UInt8])] = [(config, text)]
        var visited = 0
        while let (config, text) = pending.popLast() {
            visited += 1
            if visited > nodeBudget { return true }
            if !values.contains(where: { JSONSpellingPrefix.mayExtend(text, to: $0) }) { return true }
            let scan = ElementScan(text)
            if let key = scan.completeKey(text) {
                if !keys.contains(key) { return true }
                continue
            }
            if scan.mode == .number && scan.depth == 0 {
                // The number may end here when the automaton lets the element end.
                let terminators: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: "]"), 0x20, 0x0A, 0x09, 0x0D]
                if terminators.contains(where: { space.step(config, $0) >= 0 }),
                   let key = JSONCanonicalKey.of(text), !keys.contains(key) { return true }
            }
            for value in 0...255 {
                let byte = UInt8(value)
                guard scan.mayWalk(byte) else { continue }
                let next = space.step(config, byte)
                guard next >= 0 else { continue }
                if scan.mode == .number && scan.depth == 0 && scan.zeroMantissa && (byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")) {
                    // A zero mantissa before an exponent: the value is 0 whatever follows.
                    if !keys.contains(JSONCanonicalKey.zero) { return true }
                    continue
                }
                pending.append((next, text + CollectionOfOne(byte)))
            }
        }
        return false
    }

    /// The lexical state at the end of an element's text.
    private struct ElementScan {
        enum Mode { case structure, string, number, literal }
        var mode = Mode.structure
        /// Open containers of the element.
        var depth = 0
        var escaped = false
        /// Whether a whole value was read at depth 0 (and nothing after it).
        var closed = false
        /// The first non-whitespace byte.
        var first: UInt8?
        /// In a number: no nonzero mantissa digit yet, no exponent yet.
        var zeroMantissa = false
        /// In a number: the zeros ending it.
        var zeroRun = 0

        init(_ text: [UInt8]) {
            for byte in text {
                switch mode {
                case .string:
                    if UniqueItemsTracker.closesString(byte, escaped: &escaped) {
                        mode = .structure
                        if depth == 0 { closed = true }
                    }
                    continue
                case .number:
                    if isNumberByte(byte) {
                        if byte == UInt8(ascii: "0") { zeroRun += 1 } else { zeroRun = 0 }
                        if (UInt8(ascii: "1")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                            zeroMantissa = false
                        }
                        continue
                    }
                    mode = .structure
                    if depth == 0 { closed = true }
                case .literal:
                    if (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) { continue }
                    mode = .structure
                case .structure:
                    break
                }
                if first == nil && !JSONCanonicalKey.isWhitespace(byte) { first = byte }
                switch byte {
                case UInt8(ascii: "["), UInt8(ascii: "{"): depth += 1
                case UInt8(ascii: "]"), UInt8(ascii: "}"):
                    depth -= 1
                    if depth == 0 { closed = true }
                case UInt8(ascii: "\""): mode = .string
                case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    mode = .number
                    zeroMantissa = !(UInt8(ascii: "1")...UInt8(ascii: "9")).contains(byte)
                    zeroRun = byte == UInt8(ascii: "0") ? 1 : 0
                case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"): mode = .literal
                default: break
                }
            }
        }

        /// The key of the element when its value is fixed: a literal from its first byte, a
        /// closed string or container.
        func completeKey(_ text: [UInt8]) -> [UInt8]? {
            switch first {
            case UInt8(ascii: "t"): return JSONCanonicalKey.true
            case UInt8(ascii: "f"): return JSONCanonicalKey.false
            case UInt8(ascii: "n"): return JSONCanonicalKey.null
            default: return closed && mode == .structure ? JSONCanonicalKey.of(text) : nil
            }
        }

        /// Whether the walk reads `byte` next: not whitespace between tokens, not a byte after
        /// a number at depth 0 (the element ends there: see `hasUnusedCompletion`), not a zero
        /// past `maxZeroRun`.
        func mayWalk(_ byte: UInt8) -> Bool {
            switch mode {
            case .string: return true
            case .number:
                if depth == 0 && !isNumberByte(byte) { return false }
                return byte != UInt8(ascii: "0") || zeroRun < UniqueElementCompletion.maxZeroRun
            case .literal:
                return !JSONCanonicalKey.isWhitespace(byte)
            case .structure:
                // At depth 0 the element has not started (a closed one is not walked on).
                if depth == 0 && (byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: ",")) { return false }
                return !JSONCanonicalKey.isWhitespace(byte)
            }
        }

        private func isNumberByte(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"),
                 UInt8(ascii: "+"), UInt8(ascii: "-"):
                return true
            default:
                return false
            }
        }
    }
}
