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
/// `maxZeroRun` zeros is not lengthened; in an exponent, texts whose mantissas have one value
/// and whose exponents differ in leading zeros are one place of the walk). A complete
/// element whose value is unused also answers yes; a number is complete where the automaton
/// lets the element end after it. `nodeBudget` bounds the walk; past it the answer is yes.
///
/// The walk reads the element with a tracker of its own, so the unique arrays inside it stay
/// distinct and free of dead ends on the way.
enum UniqueElementCompletion {
    /// The most zeros in a row the walk writes in a number.
    static let maxZeroRun = 24
    /// The most element prefixes one walk looks at.
    static let nodeBudget = 20_000

    /// Whether some completion of the element read by `element` (a tracker of the element
    /// alone: its text is the element's bytes so far, possibly none), now in `config`, has a
    /// value outside `keys` (whose values are `values`). The tracker keeps the unique arrays
    /// inside the element distinct on the way.
    static func hasUnusedCompletion(from config: Int32, element: UniqueItemsTracker, index: UniqueArrayIndex,
                                    values: [JSONValue], keys: Set<[UInt8]>) -> Bool {
        guard !values.isEmpty else { return true }
        let root = values.filter { JSONSpellingPrefix.mayExtend(element.text, to: $0) }
        if root.isEmpty { return true }
        // Each place with the used values its text may still spell (fewer down the walk).
        var pending: [(config: Int32, tracker: UniqueItemsTracker, alive: [JSONValue])] = [(config, element, root)]
        var seen: Set<Node> = []
        while let (config, tracker, alive) = pending.popLast() {
            let text = tracker.text
            let scan = ElementScan(text)
            guard seen.insert(Node(config: config, text: scan.normalized(text))).inserted else { continue }
            if seen.count > nodeBudget { return true }
            if let key = scan.completeKey(text) {
                if !keys.contains(key) { return true }
                continue
            }
            if scan.mode == .number && scan.depth == 0 {
                // The number may end here when the automaton lets the element end.
                let terminators: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: "]"), 0x20, 0x0A, 0x09, 0x0D]
                if terminators.contains(where: { index.step(config, $0) >= 0 }),
                   let key = JSONCanonicalKey.of(text), !keys.contains(key) { return true }
            }
            for (byte, _) in index.liveSteps(from: config) {
                guard scan.mayWalk(byte) else { continue }
                if scan.mode == .number && scan.depth == 0 && scan.zeroMantissa && (byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")) {
                    // A zero mantissa before an exponent: the value is 0 whatever follows.
                    if !keys.contains(JSONCanonicalKey.zero) { return true }
                    continue
                }
                var next = tracker
                let after = next.consume(CollectionOfOne(byte), from: config, index: index)
                guard after >= 0 else { continue }
                // A text that can no longer spell a used value ends the walk at once.
                let stillAlive = alive.filter { JSONSpellingPrefix.mayExtend(next.text, to: $0) }
                if stillAlive.isEmpty { return true }
                pending.append((after, next, stillAlive))
            }
        }
        return false
    }

    /// A place of the walk: a configuration and the element's text, normalized so that texts
    /// with the same completing values meet.
    private struct Node: Hashable {
        var config: Int32
        var text: [UInt8]
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
        /// In a number: where it starts in the text, and where its exponent mark is (-1: none).
        var numberStart = 0
        var exponentMark = -1
        /// The numbers read whole, as ranges of the text.
        var numbers: [Range<Int>] = []

        init(_ text: [UInt8]) {
            for (offset, byte) in text.enumerated() {
                switch mode {
                case .string:
                    if UniqueItemsTracker.closesString(byte, escaped: &escaped) {
                        mode = .structure
                        if depth == 0 { closed = true }
                    }
                    continue
                case .number:
                    if JSONCanonicalKey.isNumberByte(byte) {
                        if byte == UInt8(ascii: "0") { zeroRun += 1 } else { zeroRun = 0 }
                        if (UInt8(ascii: "1")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                            zeroMantissa = false
                        }
                        if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") { exponentMark = offset }
                        continue
                    }
                    mode = .structure
                    numbers.append(numberStart..<offset)
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
                    numberStart = offset
                    exponentMark = -1
                case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"): mode = .literal
                default: break
                }
            }
        }

        /// `text` with its whole numbers written by value, and the number it ends in, once in
        /// its exponent, as its mantissa's value and its exponent without leading zeros: texts
        /// that differ only there (`[1.0,0.10e+00`, `[1,1.0e+0`) have the same completing values.
        func normalized(_ text: [UInt8]) -> [UInt8] {
            var result: [UInt8] = []
            var copied = 0
            for range in numbers {
                result += text[copied..<range.lowerBound]
                guard let number = JSONNumber(String(decoding: text[range], as: UTF8.self)) else { return text }
                ElementScan.append(number, to: &result)
                copied = range.upperBound
            }
            guard mode == .number, exponentMark >= 0,
                  let mantissa = JSONNumber(String(decoding: text[numberStart..<exponentMark], as: UTF8.self)) else {
                return result + text[copied...]
            }
            result += text[copied..<numberStart]
            ElementScan.append(mantissa, to: &result)
            result.append(UInt8(ascii: ";"))
            var exponent = text[(exponentMark + 1)...]
            if let sign = exponent.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                result.append(sign)
                exponent = exponent.dropFirst()
            }
            result += exponent.drop { $0 == UInt8(ascii: "0") }
            return result
        }

        /// Appends a spelling of `number` no other number has (digits, `e`, the power of ten).
        private static func append(_ number: JSONNumber, to result: inout [UInt8]) {
            if number.isNegative { result.append(UInt8(ascii: "-")) }
            result += number.digits.map { $0 + UInt8(ascii: "0") }
            result.append(UInt8(ascii: "e"))
            result += Array(String(number.exponent).utf8)
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
                if depth == 0 && !JSONCanonicalKey.isNumberByte(byte) { return false }
                return byte != UInt8(ascii: "0") || zeroRun < UniqueElementCompletion.maxZeroRun
            case .literal:
                return !JSONCanonicalKey.isWhitespace(byte)
            case .structure:
                // At depth 0 the element has not started (a closed one is not walked on).
                if depth == 0 && (byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: ",")) { return false }
                return !JSONCanonicalKey.isWhitespace(byte)
            }
        }
    }
}
