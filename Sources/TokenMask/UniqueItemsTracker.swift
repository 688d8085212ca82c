import Automata
import Grammar

/// Follows the JSON structure of an output, byte by byte, and keeps the elements of every open
/// array of a `Grammar.uniqueArrayRules` rule distinct (JSON equality, `JSONCanonicalKey`).
///
/// **Which arrays.** When `[` is read, the automaton's parses that read it from a unique
/// rule's opening state give the array's *anchors* (`ConfigurationSpace.uniqueArrayAnchors`);
/// none: a plain array, nothing to do. Parses of a plain array may run beside them (`anyOf` of
/// a unique and a plain array both starting with `[`): nothing needs deciding then.
///
/// **The rule.** An element's value is *determined* by the first byte of a literal, the
/// closing quote of a string, the first byte after a number (before that byte is read), and
/// the bracket closing an object or array, and for a number whose digits so far are zeros, the
/// exponent mark (`0e5`, `0.00E-1` are all 0). When a byte determines an element equal to an
/// earlier one of its array, the parses inside the array are dropped from the configuration
/// before the byte (`ConfigurationSpace.removingParses`): only parses placing the output in
/// some other array may go on. When none remains the byte, and the token holding it, is
/// refused. This is exact: a document with a repeated element is rejected by every unique
/// parse and kept by every other.
///
/// **No dead ends.** The front end emits unique rules only for *open* elements (see
/// `SchemaGrammarBuilder+UniqueItems.swift`): every prefix of an element that does not
/// determine it yet has infinitely many completing values, so after any accepted token some
/// completion avoids the finitely many values used; a refused token leaves the output where it
/// was, on such a prefix. Inside the element and around it the grammar's own guarantee holds.
struct UniqueItemsTracker: Sendable {
    /// What the next byte belongs to.
    private enum Mode: Sendable {
        case structure, string, number, literal
    }

    /// An open object or array.
    private struct Frame: Sendable {
        var isObject: Bool
        /// The index in `arrays` of the frame's unique array, or -1.
        var unique: Int
    }

    /// An open unique array.
    private struct UniqueArray: Sendable {
        /// The index of its frame in `frames`.
        var level: Int
        var anchors: [UniqueArrayAnchor]
        /// Whether its elements are not open (`Grammar.closedUniqueArrayRules`): after each
        /// token, its element must still have an unused completion.
        var isClosed: Bool
        /// The keys of its elements so far.
        var used: Set<[UInt8]> = []
        /// With `isClosed`: the values of its elements so far.
        var values: [JSONValue] = []
        /// Where the current element starts in `text`, or -1 between elements.
        var elementStart = -1
        /// The configuration before the current element's first byte.
        var elementConfig = ConfigurationSpace.dead
        /// Whether a comma was read after its last element and the next one has not started.
        var awaitsElement = false
        /// Set when an element repeated and parses outside the array went on: no parse inside
        /// it is left, so it is not checked any more.
        var isReleased = false
    }

    private var frames: [Frame] = []
    private var arrays: [UniqueArray] = []
    private var mode = Mode.structure
    /// In a string: the previous byte was an unescaped backslash (`\u` digits hold no quote).
    private var escaped = false
    /// Whether the string, number or literal being read is an element of the innermost unique
    /// array (the string or number determines it when it ends).
    private var scalarIsElement = false
    /// In a number element: no nonzero digit was read yet (an exponent then fixes the value 0).
    private var zeroMantissa = false
    /// In a number element: its value was fixed by an exponent after a zero mantissa.
    private var numberDetermined = false
    /// The output read so far.
    private(set) var text: [UInt8] = []

    /// Whether some unique array is open (otherwise no token can repeat an element).
    var hasOpenUniqueArray: Bool { !arrays.isEmpty }

    /// Whether a unique array of closed elements is open and checked: a token may then lead
    /// its element into a dead end without repeating anything.
    var hasOpenClosedArray: Bool { arrays.contains { $0.isClosed && !$0.isReleased } }

    /// Whether the next byte is read inside a string.
    var isInString: Bool { mode == .string }

    // MARK: Reading

    /// Reads `bytes` from configuration `config`; returns the configuration after them, or
    /// `dead` (the tracker then in an unspecified state) when they leave the language or
    /// repeat an element no other parse admits.
    /// Arrays of closed elements are checked after the last byte: their elements must still
    /// have an unused completion (`UniqueElementCompletion`), else the parses inside them are
    /// dropped, as for a repeated element.
    mutating func consume(_ bytes: some Sequence<UInt8>, from config: Int32, index: UniqueArrayIndex) -> Int32 {
        var c = config
        for byte in bytes {
            c = consume(byte, from: c, index: index)
            if c < 0 { return c }
        }
        return removingDeadElements(from: c, index: index)
    }

    /// `config` without the parses inside the checked arrays of closed elements whose current
    /// element (or the one a comma calls for) has no unused completion left.
    private mutating func removingDeadElements(from config: Int32, index: UniqueArrayIndex) -> Int32 {
        var c = config
        for array in arrays.indices where arrays[array].isClosed && !arrays[array].isReleased && !arrays[array].used.isEmpty {
            guard let element = currentElement(of: array) else { continue }
            let start = element.isEmpty ? c : arrays[array].elementConfig
            if index.hasUnusedCompletion(of: element, startingAt: start, inside: arrays[array].anchors,
                                         values: arrays[array].values, keys: arrays[array].used) { continue }
            c = index.removingParses(inside: arrays[array].anchors, from: c)
            if c < 0 { return c }
            arrays[array].isReleased = true
        }
        return c
    }

    /// The text of the element being read in `arrays[array]`: empty after a comma, nil between
    /// an element and the next comma or bracket.
    private func currentElement(of array: Int) -> [UInt8]? {
        let start = arrays[array].elementStart
        if start >= 0 { return Array(text[start...]) }
        return arrays[array].awaitsElement ? [] : nil
    }

    /// Reads one byte (see `consume(_:from:index:)`).
    private mutating func consume(_ byte: UInt8, from config: Int32, index: UniqueArrayIndex) -> Int32 {
        var before = config
        for (array, withByte) in determinations(by: byte) {
            guard let key = elementKey(of: array, determinedBy: byte, withByte: withByte) else { continue }
            let value = arrays[array].isClosed ? elementValue(of: array, determinedBy: byte, withByte: withByte) : nil
            arrays[array].elementStart = -1
            if arrays[array].used.insert(key).inserted {
                if let value { arrays[array].values.append(value) }
                continue
            }
            before = index.removingParses(inside: arrays[array].anchors, from: before)
            if before < 0 { return before }
            // Only parses outside the array are left: it needs no checking any more.
            arrays[array].isReleased = true
        }
        let after = index.step(before, byte)
        if after < 0 { return after }
        advance(byte, from: before, index: index)
        return after
    }

    /// The innermost frame's unique array, unless it is released or there is none.
    private var innermostUnique: Int? {
        guard let unique = frames.last?.unique, unique >= 0, !arrays[unique].isReleased else { return nil }
        return unique
    }

    /// The unique arrays whose current element `byte` determines, innermost first, each with
    /// whether the element's text includes the byte (a number ends before it).
    private func determinations(by byte: UInt8) -> [(array: Int, withByte: Bool)] {
        var result: [(array: Int, withByte: Bool)] = []
        switch mode {
        case .string:
            if !escaped, byte == UInt8(ascii: "\""), scalarIsElement, let unique = innermostUnique { result.append((unique, true)) }
            return result
        case .number:
            let exponent = byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
            if JSONCanonicalKey.isNumberByte(byte) && !(exponent && zeroMantissa) { return result }
            if scalarIsElement, !numberDetermined, let unique = innermostUnique { result.append((unique, false)) }
            if exponent { return result }
        case .literal:
            if (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) { return result }
        case .structure:
            break
        }
        switch byte {
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            if let unique = innermostUnique { result.append((unique, true)) }
        case UInt8(ascii: "]"), UInt8(ascii: "}"):
            // The closed container is an element of the frame below it.
            if frames.count >= 2, case let unique = frames[frames.count - 2].unique, unique >= 0, !arrays[unique].isReleased {
                result.append((unique, true))
            }
        default:
            break
        }
        return result
    }

    /// The key of the current element of `arrays[array]`, determined by `byte`.
    private func elementKey(of array: Int, determinedBy byte: UInt8, withByte: Bool) -> [UInt8]? {
        if withByte, mode != .string {
            switch byte {
            case UInt8(ascii: "t"): return JSONCanonicalKey.true
            case UInt8(ascii: "f"): return JSONCanonicalKey.false
            case UInt8(ascii: "n"): return JSONCanonicalKey.null
            default: break
            }
        }
        let start = arrays[array].elementStart
        guard start >= 0 else { return nil }
        if mode == .number && (byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")) { return JSONCanonicalKey.zero }
        return withByte ? JSONCanonicalKey.of(text[start...] + CollectionOfOne(byte)) : JSONCanonicalKey.of(text[start...])
    }

    /// The value of the current element of `arrays[array]`, determined by `byte` (nil for a
    /// string no JSON parser reads: a lone surrogate escape, which gramc never writes).
    private func elementValue(of array: Int, determinedBy byte: UInt8, withByte: Bool) -> JSONValue? {
        if withByte, mode != .string {
            switch byte {
            case UInt8(ascii: "t"): return .bool(true)
            case UInt8(ascii: "f"): return .bool(false)
            case UInt8(ascii: "n"): return .null
            default: break
            }
        }
        if mode == .number && (byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")) { return .number(JSONNumber(0)) }
        let start = arrays[array].elementStart
        guard start >= 0 else { return nil }
        let element = withByte ? Array(text[start...]) + [byte] : Array(text[start...])
        return try? JSONParser().parse(bytes: element)
    }

    /// Updates the structure after `byte` (read from `config`, already checked).
    private mutating func advance(_ byte: UInt8, from config: Int32, index: UniqueArrayIndex) {
        text.append(byte)
        switch mode {
        case .string:
            if UniqueItemsTracker.closesString(byte, escaped: &escaped) { mode = .structure }
            return
        case .number:
            if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                numberDetermined = numberDetermined || zeroMantissa
                zeroMantissa = false
            } else if (UInt8(ascii: "1")...UInt8(ascii: "9")).contains(byte) {
                zeroMantissa = false
            }
            if JSONCanonicalKey.isNumberByte(byte) { return }
            mode = .structure
        case .literal:
            if (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) { return }
            mode = .structure
        case .structure:
            break
        }
        let position = text.count - 1
        switch byte {
        case UInt8(ascii: "["), UInt8(ascii: "{"):
            startElement(at: position, from: config)
            var frame = Frame(isObject: byte == UInt8(ascii: "{"), unique: -1)
            if !frame.isObject {
                let anchors = index.anchors(openedFrom: config)
                if !anchors.isEmpty {
                    frame.unique = arrays.count
                    arrays.append(UniqueArray(level: frames.count, anchors: anchors, isClosed: index.isClosed(anchors)))
                }
            }
            frames.append(frame)
        case UInt8(ascii: "]"), UInt8(ascii: "}"):
            if let closed = frames.popLast(), closed.unique >= 0 { arrays.removeLast() }
        case UInt8(ascii: ","):
            if let top = frames.last, top.unique >= 0 { arrays[top.unique].awaitsElement = true }
        case UInt8(ascii: "\""):
            scalarIsElement = startElement(at: position, from: config)
            mode = .string
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            scalarIsElement = startElement(at: position, from: config)
            zeroMantissa = !(UInt8(ascii: "1")...UInt8(ascii: "9")).contains(byte)
            numberDetermined = false
            mode = .number
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            // Determined already (by `consume`): an element, but no longer a current one.
            if let top = frames.last, top.unique >= 0 { arrays[top.unique].awaitsElement = false }
            scalarIsElement = false
            mode = .literal
        default:
            break
        }
    }

    /// Notes that a value starts at `position`; true when it is an element of the innermost
    /// unique array. In an object, a string is a member name or value: neither is an element.
    @discardableResult
    private mutating func startElement(at position: Int, from config: Int32) -> Bool {
        guard let top = frames.last, top.unique >= 0 else { return false }
        arrays[top.unique].elementStart = position
        arrays[top.unique].elementConfig = config
        arrays[top.unique].awaitsElement = false
        return true
    }

    /// Reads `byte` inside a string, after a backslash when `escaped` (updated); true when it is
    /// the closing quote.
    @inline(__always)
    static func closesString(_ byte: UInt8, escaped: inout Bool) -> Bool {
        if escaped {
            escaped = false
            return false
        }
        if byte == UInt8(ascii: "\\") {
            escaped = true
            return false
        }
        return byte == UInt8(ascii: "\"")
    }

    /// Whether `byte` can start a number, literal, array or object.
    static func mayStartElement(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"),
             UInt8(ascii: "["), UInt8(ascii: "{"):
            return true
        default:
            return false
        }
    }

    // MARK: Masks

    /// Whether reading `bytes` might determine a repeated element: a quick, conservative look
    /// that neither steps the automaton nor copies the tracker. Tokens it clears are allowed;
    /// the others are read exactly by `consume` on a copy. It checks the first element a token
    /// determines in an array open before it (a string, number or container begun before the
    /// token, a string or number begun in it, a literal); a second determination, or one in an
    /// array the token opens (whose kind only the automaton knows), is referred on.
    /// `keyAtStart` is the key of the current element when the token's first byte ends it (a
    /// closing quote, or a byte after a number), shared by every token of a mask.
    /// With `anyDetermination`, whether the token determines any element at all: an answer
    /// that depends only on `lexicalSignature`, for tokens closing fewer than
    /// `signatureLevels` levels.
    func mayRepeat(_ bytes: some Collection<UInt8>, keyAtStart: [UInt8]?, anyDetermination: Bool = false) -> Bool {
        let quote = UInt8(ascii: "\"")
        var mode = self.mode, escaped = self.escaped, scalarInArray = scalarIsElement
        // Frames of this tracker still open: frames[0..<inherited]; then frames opened by
        // `bytes`, bit i of `pushed` set when the i-th is an array (which may be unique).
        var inherited = frames.count
        var pushed: UInt64 = 0, pushedCount = 0
        // Where the scalar being read starts in `bytes` (-1: before them).
        var scalarStart = -1
        var determined = false
        func innermostMayBeUnique() -> Bool {
            if pushedCount > 0 { return pushed & (1 << UInt64(pushedCount - 1)) != 0 }
            return inherited > 0 && frames[inherited - 1].unique >= 0
        }
        /// Whether a determination in the innermost inherited frame may repeat: `key` computes
        /// the element's key (nil: not known).
        func mayRepeatElement(_ key: () -> [UInt8]?) -> Bool {
            guard !anyDetermination, !determined, pushedCount == 0, inherited > 0 else { return true }
            determined = true
            let array = frames[inherited - 1].unique
            guard array >= 0, !arrays[array].isReleased, !arrays[array].used.isEmpty else { return false }
            guard let key = key() else { return true }
            return arrays[array].used.contains(key)
        }
        /// The key of the scalar element ending at `end` in `bytes`.
        func scalarKey(through end: Int) -> [UInt8]? {
            if scalarStart >= 0 { return JSONCanonicalKey.of(bytes.dropFirst(scalarStart).prefix(end - scalarStart)) }
            guard inherited == frames.count else { return nil }
            if end == 0 || (end == 1 && mode == .structure && bytes.first == quote) { return keyAtStart }
            let start = arrays[frames[inherited - 1].unique].elementStart
            return start < 0 ? nil : JSONCanonicalKey.of(text[start...] + bytes.prefix(end))
        }
        var offset = -1
        for byte in bytes {
            offset += 1
            switch mode {
            case .string:
                if UniqueItemsTracker.closesString(byte, escaped: &escaped) {
                    mode = .structure
                    if scalarInArray, mayRepeatElement({ scalarKey(through: offset + 1) }) { return true }
                }
                continue
            case .number:
                // An exponent after a zero mantissa fixes the value 0: referred on.
                if scalarInArray, byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") { return true }
                if JSONCanonicalKey.isNumberByte(byte) { continue }
                mode = .structure
                if scalarInArray, mayRepeatElement({ scalarKey(through: offset) }) { return true }
            case .literal:
                if (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) { continue }
                mode = .structure
            case .structure:
                break
            }
            switch byte {
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                guard pushedCount < 64 else { return true }
                if byte == UInt8(ascii: "[") { pushed |= 1 << UInt64(pushedCount) }
                pushedCount += 1
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                if pushedCount > 0 {
                    pushedCount -= 1
                    pushed &= ~(1 << UInt64(pushedCount))
                    // A container opened by `bytes` closes: an element begun in the token.
                    if innermostMayBeUnique() { return true }
                } else if inherited > 0 {
                    inherited -= 1
                    // An inherited container closes: the element of the frame below, if unique.
                    if innermostMayBeUnique(), mayRepeatElement({
                        let start = arrays[frames[inherited - 1].unique].elementStart
                        return start < 0 ? nil : JSONCanonicalKey.of(text[start...] + bytes.prefix(offset + 1))
                    }) { return true }
                }
            case quote:
                scalarInArray = innermostMayBeUnique()
                scalarStart = offset
                mode = .string
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                scalarInArray = innermostMayBeUnique()
                scalarStart = offset
                mode = .number
            case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                if innermostMayBeUnique(), mayRepeatElement({
                    byte == UInt8(ascii: "t") ? JSONCanonicalKey.true : byte == UInt8(ascii: "f") ? JSONCanonicalKey.false : JSONCanonicalKey.null
                }) { return true }
                mode = .literal
            default:
                break
            }
        }
        return false
    }

    /// What decides whether a token determines any element (`mayRepeat` with
    /// `anyDetermination`): the mode, the escape and number states, and the kind of the
    /// `signatureLevels` innermost frames (object, plain or unique array).
    var lexicalSignature: UInt64 {
        var signature: UInt64
        switch mode {
        case .structure: signature = 0
        case .string: signature = 1
        case .number: signature = 2
        case .literal: signature = 3
        }
        if escaped { signature |= 1 << 2 }
        if scalarIsElement { signature |= 1 << 3 }
        if zeroMantissa { signature |= 1 << 4 }
        if numberDetermined { signature |= 1 << 5 }
        signature |= UInt64(min(frames.count, UniqueItemsTracker.signatureLevels)) << 6
        var shift: UInt64 = 12
        for level in stride(from: frames.count - 1, through: max(0, frames.count - UniqueItemsTracker.signatureLevels), by: -1) {
            let kind: UInt64 = frames[level].isObject ? 1 : frames[level].unique >= 0 ? 2 : 0
            signature |= kind << shift
            shift += 2
        }
        return signature
    }

    /// This tracker after the closing quote of the string it is in, as `mayRepeat` reads what
    /// follows: its lexical state is a function of `lexicalSignature`.
    var afterClosingQuote: UniqueItemsTracker {
        var closed = self
        closed.mode = .structure
        closed.escaped = false
        return closed
    }

    /// The frames `lexicalSignature` describes.
    static let signatureLevels = 8

    /// The key of the current element if the next byte ended it: a string's closing quote, or
    /// any byte after a number; nil elsewhere.
    var keyIfEndedNow: [UInt8]? {
        guard scalarIsElement, let unique = innermostUnique, case let start = arrays[unique].elementStart, start >= 0 else { return nil }
        switch mode {
        case .string where !escaped: return JSONCanonicalKey.of(text[start...] + CollectionOfOne(UInt8(ascii: "\"")))
        case .number: return numberDetermined ? nil : JSONCanonicalKey.of(text[start...])
        default: return nil
        }
    }
}

extension UniqueItemsTracker {
    /// Clears from `words` (the mask of `config`) every allowed token that would repeat an
    /// element no other parse admits.
    ///
    /// Inside a string only tokens with a quote can end it. In a string element of the only
    /// open unique array, at no pending escape, the single-quote tokens that would complete a
    /// used string are looked up by the rest of each used string in the configuration's table
    /// of closing texts (`KeyClosers`, as for member names); the others close
    /// it with an unused value and, with no unique array around, determine nothing more.
    /// Elsewhere each allowed token is looked at (`mayRepeat`), and the few it refers are read
    /// exactly.
    func removeRepeatedElements(from words: UnsafeMutableBufferPointer<UInt32>, config: Int32, index: UniqueArrayIndex,
                                quoteTokens: QuoteTokenCache?, vocabulary: PreparedVocabulary) {
        guard hasOpenUniqueArray else { return }
        if hasOpenClosedArray {
            removeDeadEnds(from: words, config: config, index: index, vocabulary: vocabulary)
            return
        }
        let vocab = vocabulary.vocabulary
        let keyAtStart = keyIfEndedNow
        @inline(__always) func isAllowed(_ id: Int32) -> Bool { words[Int(id) >> 5] & (1 << UInt32(id & 31)) != 0 }
        @inline(__always) func check(_ id: Int, referred: Bool = false) {
            guard !vocab.isSpecial(id) else { return }
            let bytes = vocab.bytes(of: id)
            guard referred || mayRepeat(bytes, keyAtStart: keyAtStart) else { return }
            var copy = self
            if copy.consume(bytes, from: config, index: index) < 0 { words[id >> 5] &= ~(1 << UInt32(id & 31)) }
        }
        guard isInString else {
            // The allowed tokens that determine some element from here, listed once per state
            // and lexical signature.
            for id in index.determiningTokens(for: config, tracker: self, vocabulary: vocabulary) where isAllowed(id) { check(Int(id)) }
            return
        }
        if quoteTokens != nil, scalarIsElement, arrays.count == 1, let unique = innermostUnique, let keyAtStart {
            // `keyAtStart` is the string tag then the content so far: only the used strings
            // it begins can be completed (any, when the content so far is keyed by its
            // spelling: an unpaired surrogate escape or an unfinished escape).
            var completesUsed = keyAtStart.first != JSONCanonicalKey.string(unescaped: EmptyCollection()).first
            let closers = vocabulary.keyClosers
            for key in arrays[unique].used where key.starts(with: keyAtStart) {
                completesUsed = true
                for id in closers.tokens(closingWith: key[keyAtStart.count...]) where isAllowed(id) { check(Int(id), referred: true) }
            }
            // Multi-quote tokens end the string with the text before their first quote, which
            // no closer lists: read when some used string may be completed.
            if completesUsed {
                for id in index.quoteCandidates(for: config, vocabulary: vocabulary).multiple where isAllowed(id) { check(Int(id)) }
            }
            // After their first quote, tokens determine more only when they determine some
            // element from the tracker after the quote (listed once per state and signature).
            for id in index.tokensDeterminingAfterQuote(for: config, tracker: self, vocabulary: vocabulary) where isAllowed(id) { check(Int(id)) }
            return
        }
        for id in index.quoteCandidates(for: config, vocabulary: vocabulary).all where isAllowed(id) { check(Int(id)) }
    }
}

extension UniqueItemsTracker {
    /// When the current element of the innermost unique array is an unfinished string (no
    /// escape pending), or is awaited after a comma, and that array is the only checked one
    /// with used values: the UTF-8 rests, after its content so far, of the used strings it may
    /// still become, sorted; `opening` when the element is awaited (a token then opens it).
    private func usedStringRests() -> (rests: [ArraySlice<UInt8>], opening: Bool)? {
        guard let unique = frames.last?.unique, unique >= 0, !arrays[unique].isReleased, arrays[unique].isClosed else { return nil }
        for array in arrays.indices where array != unique && arrays[array].isClosed && !arrays[array].isReleased
            && !arrays[array].used.isEmpty { return nil }
        guard let element = currentElement(of: unique) else { return nil }
        let content: [UInt8]
        if element.isEmpty && mode == .structure {
            content = []
        } else if mode == .string, scalarIsElement, let unfinished = JSONSpellingPrefix.unfinishedStringContent(element) {
            content = unfinished
        } else {
            return nil
        }
        var rests: [ArraySlice<UInt8>] = []
        for case .string(let string) in arrays[unique].values {
            let bytes = Array(string.utf8)
            if bytes.starts(with: content) { rests.append(bytes[content.count...]) }
        }
        rests.sort { $0.lexicographicallyPrecedes($1) }
        return (rests, element.isEmpty)
    }

    /// The string content `bytes` spell when read in a string (`opening`: after whitespace and
    /// the opening quote, which must be there), or nil when they hold a quote or backslash
    /// (anything may follow) or, opening, do not open a string.
    private static func stringBytes(_ bytes: ArraySlice<UInt8>, opening: Bool) -> ArraySlice<UInt8>? {
        var content = bytes
        if opening {
            content = content.drop(while: JSONCanonicalKey.isWhitespace)
            guard content.first == UInt8(ascii: "\"") else { return nil }
            content = content.dropFirst()
        }
        guard !content.contains(UInt8(ascii: "\"")), !content.contains(UInt8(ascii: "\\")) else { return nil }
        return content
    }

    /// Whether some of `rests` (sorted) starts with `bytes`.
    private static func someRest(of rests: [ArraySlice<UInt8>], startsWith bytes: ArraySlice<UInt8>) -> Bool {
        var low = 0, high = rests.count
        while low < high {
            let mid = (low + high) / 2
            if rests[mid].lexicographicallyPrecedes(bytes) { low = mid + 1 } else { high = mid }
        }
        return low < rests.count && rests[low].starts(with: bytes)
    }

    /// Whether, after `bytes`, the current element of some checked array of closed elements
    /// may still spell one of its used values.
    private func keepsSpelling(after bytes: ArraySlice<UInt8>) -> Bool {
        for array in arrays.indices where arrays[array].isClosed && !arrays[array].isReleased && !arrays[array].used.isEmpty {
            guard let element = currentElement(of: array) else { continue }
            let extended = element + bytes
            if arrays[array].values.contains(where: { JSONSpellingPrefix.mayExtend(extended, to: $0) }) { return true }
        }
        return false
    }

    /// Clears from `words` (the mask of `config`) every allowed token that would repeat an
    /// element or lead an element of a checked array of closed elements into a dead end.
    ///
    /// A token can do the latter only by starting a new element (it holds a comma) or by
    /// keeping the current element a possible spelling of a used value (`JSONSpellingPrefix`;
    /// its first byte is looked up first: once a text cannot spell a value, no longer one
    /// can). Those tokens, and those `mayRepeat` refers, are read exactly on a copy.
    func removeDeadEnds(from words: UnsafeMutableBufferPointer<UInt32>, config: Int32, index: UniqueArrayIndex,
                        vocabulary: PreparedVocabulary) {
        // The first bytes that keep some checked element a possible spelling of a used value,
        // among those the allowed tokens start with (`keeps` is asked of no other).
        var spellingBytes = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        // Looked up only when some element may spell a used value (none while no array has
        // one or between elements).
        var allowedFirstBytes: [UInt8]?
        withUnsafeMutableBytes(of: &spellingBytes) { raw in
            let bits = raw.bindMemory(to: UInt64.self)
            for array in arrays.indices where arrays[array].isClosed && !arrays[array].isReleased && !arrays[array].used.isEmpty {
                guard var element = currentElement(of: array) else { continue }
                element.append(0)
                if allowedFirstBytes == nil { allowedFirstBytes = index.firstBytes(for: config, vocabulary: vocabulary) }
                for byte in allowedFirstBytes! where bits[Int(byte) >> 6] & (1 << UInt64(byte & 63)) == 0 {
                    element[element.count - 1] = byte
                    if arrays[array].values.contains(where: { JSONSpellingPrefix.mayExtend(element, to: $0) }) {
                        bits[Int(byte) >> 6] |= 1 << UInt64(byte & 63)
                    }
                }
            }
        }
        let firstBytes = spellingBytes
        func keeps(_ byte: UInt8) -> Bool {
            let word = byte < 128 ? (byte < 64 ? firstBytes.0 : firstBytes.1) : (byte < 192 ? firstBytes.2 : firstBytes.3)
            return word & (1 << UInt64(byte & 63)) != 0
        }
        let vocab = vocabulary.vocabulary
        let keyAtStart = keyIfEndedNow
        let limit = min(vocab.definedCount, words.count * 32)
        @inline(__always) func isAllowed(_ id: Int32) -> Bool { words[Int(id) >> 5] & (1 << UInt32(id & 31)) != 0 }
        if mode == .string && firstBytes == (0, 0, 0, 0) {
            // No byte keeps a checked element a spelling of a used value: only tokens holding
            // a quote may leave the string and do something.
            for id in index.quoteCandidates(for: config, vocabulary: vocabulary).all where isAllowed(id) {
                let bytes = vocab.bytes(of: Int(id))
                guard bytes.contains(UInt8(ascii: ",")) || mayRepeat(bytes, keyAtStart: keyAtStart) else { continue }
                var copy = self
                if copy.consume(bytes, from: config, index: index) < 0 { words[Int(id) >> 5] &= ~(1 << UInt32(id & 31)) }
            }
            return
        }
        // A string element of the only checked array: the rests of the used strings it may
        // still become, sorted, so that a token without quote or backslash (it spells its
        // bytes) is looked up by binary search.
        let rests = usedStringRests()
        func visit(_ id: Int) {
            guard id < limit, !vocab.isSpecial(id) else { return }
            let bytes = vocab.bytes(of: id)
            guard let first = bytes.first else { return }
            if let rests, let spelled = UniqueItemsTracker.stringBytes(bytes, opening: rests.opening) {
                guard keeps(first), UniqueItemsTracker.someRest(of: rests.rests, startsWith: spelled) else { return }
                var copy = self
                if copy.consume(bytes, from: config, index: index) < 0 { words[id >> 5] &= ~(1 << UInt32(id & 31)) }
                return
            }
            // Whitespace between values changes no completing value: the element stays as
            // live as it is now.
            if mode == .structure && bytes.allSatisfy(JSONCanonicalKey.isWhitespace) { return }
            // In a string, a token without a quote stays in it: it determines nothing and
            // starts no element.
            let staysInString = mode == .string && !bytes.contains(UInt8(ascii: "\""))
            if staysInString || (!bytes.contains(UInt8(ascii: ",")) && !mayRepeat(bytes, keyAtStart: keyAtStart)) {
                // Only the current elements can reach a dead end: not when none of them
                // stays a possible spelling of a used value.
                guard keeps(first), keepsSpelling(after: bytes) else { return }
            }
            var copy = self
            if copy.consume(bytes, from: config, index: index) < 0 { words[id >> 5] &= ~(1 << UInt32(id & 31)) }
        }
        guard mode == .string else {
            TokenBitmask.forEachSetBit(in: UnsafeBufferPointer(words)) { visit($0) }
            return
        }
        // In a string, a token without a quote is read only when its bytes keep some element a
        // possible spelling (above): the allowed quote tokens, then the tokens under the token
        // trie's first-byte nodes that `firstBytes` holds, whose subtrees are walked down to the
        // prefixes that no longer keep one (`keepsSpelling`: once a text cannot spell a value,
        // no longer one can), and not below a quote.
        for id in index.quoteCandidates(for: config, vocabulary: vocabulary).all where isAllowed(id) { visit(Int(id)) }
        let trie = vocabulary.trie
        var prefix = [UInt8](repeating: 0, count: trie.maxDepth + 1)
        var node = 1
        while node < Int(trie.subtreeEnd[0]) {
            let next = Int(trie.subtreeEnd[node])
            guard keeps(trie.byte[node]), trie.byte[node] != UInt8(ascii: "\"") else {
                node = next
                continue
            }
            var m = node
            var backslashDepth = Int.max   // the depth of the prefix's first backslash
            while m < next {
                let depth = Int(trie.depth[m])
                let byte = trie.byte[m]
                prefix[depth - 1] = byte
                if backslashDepth >= depth { backslashDepth = byte == UInt8(ascii: "\\") ? depth : .max }
                if m != node && (byte == UInt8(ascii: "\"")
                                 || (backslashDepth == .max && !keepsSpelling(after: prefix[..<depth]))) {
                    m = Int(trie.subtreeEnd[m])
                    continue
                }
                for k in Int(trie.tokenStart[m])..<Int(trie.tokenStart[m + 1]) where isAllowed(trie.tokenIDs[k]) {
                    visit(Int(trie.tokenIDs[k]))
                }
                m += 1
            }
            node = next
        }
    }
}
