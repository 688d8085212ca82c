import Automata

/// Follows the JSON structure of an output, byte by byte, and remembers the member names of
/// every open object, so that a matcher can refuse a token that would repeat a name.
///
/// The grammar has already checked the bytes; the tracker only needs to tell keys from values,
/// decode key spellings (`\"`, `\/`, `\u00e9`… all compare by their unescaped bytes) and match
/// brackets. Tokens that cannot complete a key cost nothing: a key ends at a quote, so outside a
/// key only tokens with two quotes can complete one (read when their lexical class says they
/// may), and inside a key the tokens that would close it as a repeated name are looked up by
/// the rest of that name in the vocabulary's table of closing texts (`KeyClosers`).
struct JSONKeyTracker: Sendable {
    /// What the next byte belongs to.
    private enum Mode: UInt8, Sendable {
        case structure, key, string
    }

    /// How far an escape inside a string has been read.
    enum Escape: Hashable, Sendable {
        case none
        case backslash
        /// `\u` and `digits` hex digits, whose value so far is `value`.
        case unicode(digits: Int, value: UInt32)
    }

    /// Where an object's current member stands (see `place`).
    enum MemberPhase: UInt8, Sendable {
        /// Before a name (after `{` or `,`), or reading one.
        case name
        /// The name is read; its value has not started (`:` and whitespace may follow).
        case beforeValue
        /// A number or literal value is being read (it ends at the next other byte).
        case scalar
        /// A string or container value is being read.
        case value
        /// The value is complete.
        case done
    }

    /// An open object or array.
    private struct Frame: Sendable {
        var isObject: Bool
        /// In an object: the next string is a member name.
        var expectsKey: Bool
        /// In an object: the unescaped names of its members so far.
        var keys: Set<[UInt8]>
        /// In an object: where its current member stands.
        var phase = MemberPhase.name
        /// In an object: whether a name was opened in it where the key language is finite with
        /// several names (`ObjectKeyIndex` then checks it for dead ends).
        var isConstrained = false

        /// The frame without its names.
        var levelState: Level { (isObject, expectsKey, phase, isConstrained) }
    }

    /// A frame's lexical state (`place(after:opensFiniteKey:)` works on these).
    typealias Level = (isObject: Bool, expectsKey: Bool, phase: MemberPhase, isConstrained: Bool)

    /// The places in an object after which `ObjectKeyCompletion` checks that the object can
    /// still be completed with distinct names.
    enum Place: Sendable {
        /// Inside a name.
        case inKey
        /// Before a name: after `{` or `,` (whitespace allowed).
        case beforeKey
        /// After a name, before its value starts.
        case afterKey
        /// After a complete value (a closed string or container, or whitespace after a number
        /// or literal).
        case afterValue
    }

    /// Where the output stands in its innermost open object, or nil when it is not in one or
    /// inside a member's value.
    var place: Place? {
        guard let top = frames.last, top.isObject else { return nil }
        switch mode {
        case .key: return .inKey
        case .string: return nil
        case .structure:
            switch top.phase {
            case .name: return .beforeKey
            case .beforeValue: return .afterKey
            case .done: return .afterValue
            case .scalar, .value: return nil
            }
        }
    }

    /// Whether the next byte is read inside a member name.
    var isReadingKey: Bool { mode == .key }

    /// Whether the next byte is read inside a string value.
    var isReadingString: Bool { mode == .string }

    /// The `place` after reading `bytes`, worked out on the side without copying the tracker
    /// (names play no part), and whether the object it is in is constrained (see `Frame`);
    /// `opensFiniteKey` tells for a name opened at an offset of `bytes` whether its key language
    /// is finite with several names. `known` is false when the bytes open more levels than it
    /// follows.
    func place(after bytes: some Collection<UInt8>, opensFiniteKey: (Int) -> Bool)
        -> (place: Place?, isConstrained: Bool, known: Bool) {
        var mode = self.mode
        var escaped = escape != .none
        // The innermost level, the levels it opened over the tracker's (5 bits each, outermost
        // first), and how many of the tracker's own levels are still open.
        var current: Level? = frames.last?.levelState
        var saved: UInt64 = 0, savedCount = 0
        var inherited = frames.count
        func setPhase(_ phase: MemberPhase) { if current?.isObject == true { current!.phase = phase } }
        for (offset, byte) in bytes.enumerated() {
            switch mode {
            case .string, .key:
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    if mode == .string { setPhase(.done) } else { current?.phase = .beforeValue }
                    mode = .structure
                }
            case .structure:
                switch byte {
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    setPhase(.value)
                    guard savedCount < 10 else { return (nil, false, false) }
                    // 63: no level (the token opened the outermost one).
                    let bits = current.map {
                        ($0.isObject ? 1 : 0) | ($0.expectsKey ? 2 : 0) | ($0.isConstrained ? 4 : 0) | Int($0.phase.rawValue) << 3
                    } ?? 63
                    saved |= UInt64(bits) << (6 * savedCount)
                    savedCount += 1
                    let isObject = byte == UInt8(ascii: "{")
                    current = (isObject, isObject, .name, false)
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    if savedCount > 0 {
                        savedCount -= 1
                        let bits = Int(saved >> (6 * savedCount)) & 0b111111
                        saved &= (UInt64(1) << (6 * savedCount)) - 1
                        current = bits == 63 ? nil : (bits & 1 != 0, bits & 2 != 0, MemberPhase(rawValue: UInt8(bits >> 3))!, bits & 4 != 0)
                    } else if inherited > 0 {
                        inherited -= 1
                        current = inherited > 0 ? frames[inherited - 1].levelState : nil
                    }
                    setPhase(.done)
                case UInt8(ascii: ":"):
                    current?.expectsKey = false
                case UInt8(ascii: ","):
                    if current?.isObject == true {
                        current!.expectsKey = true
                        current!.phase = .name
                    }
                case UInt8(ascii: "\""):
                    if let level = current, level.isObject, level.expectsKey {
                        mode = .key
                        if !level.isConstrained && opensFiniteKey(offset) { current!.isConstrained = true }
                    } else {
                        mode = .string
                        setPhase(.value)
                    }
                case 0x20, 0x0A, 0x09, 0x0D:
                    if current?.phase == .scalar { setPhase(.done) }
                default:
                    if current?.phase == .beforeValue { setPhase(.scalar) }
                }
            }
        }
        guard let level = current, level.isObject else { return (nil, false, true) }
        let place: Place?
        switch mode {
        case .key: place = .inKey
        case .string: place = nil
        case .structure:
            switch level.phase {
            case .name: place = .beforeKey
            case .beforeValue: place = .afterKey
            case .done: place = .afterValue
            case .scalar, .value: place = nil
            }
        }
        return (place, level.isConstrained, true)
    }

    /// Whether the innermost open object is constrained (see `Frame`).
    var isInConstrainedObject: Bool { frames.last.map { $0.isObject && $0.isConstrained } ?? false }

    /// The names of the innermost open object (empty outside objects).
    var innermostNames: Set<[UInt8]> { frames.last?.keys ?? [] }

    /// Inside a name: its unescaped bytes so far, the escape being read, and a high surrogate
    /// waiting for its low half.
    var keyState: (text: [UInt8], escape: Escape, highSurrogate: UInt32?) { (key, escape, highSurrogate) }

    /// The same lexical state with no member names (what `place` depends on), for reading
    /// tokens ahead without copying name sets.
    var lexicalCopy: JSONKeyTracker {
        var copy = self
        for i in copy.frames.indices { copy.frames[i].keys = [] }
        copy.objectsWithKeys = 0
        return copy
    }

    private var frames: [Frame] = []
    private var mode = Mode.structure
    private var escape = Escape.none
    /// The unescaped bytes of the key being read.
    private var key: [UInt8] = []
    /// A `\uD8xx` high surrogate waiting for its low half.
    private var highSurrogate: UInt32?
    /// How many open objects have at least one member name (nothing to check while zero).
    private var objectsWithKeys = 0

    /// Whether some token could now complete a repeated name.
    var mayRepeatKey: Bool { objectsWithKeys > 0 }

    /// Reads `bytes`; returns false, leaving the tracker in an unspecified state, when they
    /// complete a member name its object already has.
    mutating func consume(_ bytes: some Sequence<UInt8>) -> Bool {
        for byte in bytes where !consume(byte, at: 0, opensFiniteKey: { _ in false }) { return false }
        return true
    }

    /// Reads `bytes` as `consume(_:)` does, marking an object constrained where
    /// `opensFiniteKey` says the name opened at an offset has a finite key language with
    /// several names.
    mutating func consume(_ bytes: some Sequence<UInt8>, opensFiniteKey: (Int) -> Bool) -> Bool {
        for (offset, byte) in bytes.enumerated() where !consume(byte, at: offset, opensFiniteKey: opensFiniteKey) { return false }
        return true
    }

    /// Whether reading `bytes` would complete a repeated member name; the tracker is unchanged.
    /// Reads over the open objects without copying them: a token only pushes or pops a few
    /// levels, kept on the side.
    func completesRepeatedKey(_ bytes: some Collection<UInt8>) -> Bool {
        // Outside a key, completing one takes an opening and a closing quote.
        if objectsWithKeys == 0 && mode != .key { return false }
        return completesKey(bytes, repeatedOnly: true)
    }

    /// Whether reading `bytes` would complete any member name (`repeatedOnly` false) or a
    /// repeated one; the tracker is unchanged. The answer without `repeatedOnly` depends only
    /// on `lexicalSignature`.
    func completesKey(_ bytes: some Collection<UInt8>, repeatedOnly: Bool) -> Bool {
        var quotes = 0
        for byte in bytes where byte == UInt8(ascii: "\"") { quotes += 1 }
        if quotes == 0 || (quotes == 1 && mode != .key) { return false }
        let end = walkCompletedNames(bytes) { level, isInherited, name in
            !repeatedOnly || (isInherited && frames[level].keys.contains(name))
        }
        return end != .finished
    }

    /// Whether `bytes`, read from this tracker inside a name, complete that name and no other:
    /// then whether they repeat a name depends only on their text before the first quote
    /// (`closingRepeatsKey`). The answer depends only on `lexicalSignature` (for tokens closing
    /// fewer than `signatureLevels` levels).
    func completesOnlyCurrentKey(_ bytes: some Collection<UInt8>) -> Bool {
        precondition(mode == .key, "outside a name no name is current")
        var names = 0
        _ = walkCompletedNames(bytes) { _, _, _ in
            names += 1
            return false
        }
        return names == 1
    }

    /// The member names a token completes, read from a tracker outside a name: what
    /// `completesRepeatedKey` needs of it, which depends only on `lexicalSignature` (for tokens
    /// closing fewer than `signatureLevels` levels).
    struct CompletedNames: Sendable {
        /// Whether the token completes one name twice in the same object.
        var repeatsItself: Bool
        /// The names it completes in the tracker's own open objects, each with its object's
        /// distance from the innermost one (0: the innermost).
        var inherited: [(depth: Int, name: [UInt8])]
    }

    /// The names `bytes` complete when read from this tracker (outside a name), or nil when
    /// they complete none.
    func completedNames(_ bytes: some Collection<UInt8>) -> CompletedNames? {
        precondition(mode != .key, "inside a name the first completed name depends on its text")
        var any = false
        var inherited: [(depth: Int, name: [UInt8])] = []
        let end = walkCompletedNames(bytes) { level, isInherited, name in
            any = true
            if isInherited { inherited.append((frames.count - 1 - level, name)) }
            return false
        }
        return any ? CompletedNames(repeatsItself: end == .repeatedWithin, inherited: inherited) : nil
    }

    /// Whether the names of `completed` (read from a tracker with this one's lexical
    /// signature) repeat a name of this tracker's open objects.
    func repeatsKey(_ completed: CompletedNames) -> Bool {
        if completed.repeatsItself { return true }
        for (depth, name) in completed.inherited where frames[frames.count - 1 - depth].keys.contains(name) { return true }
        return false
    }

    /// How `walkCompletedNames` ended.
    private enum NameWalkEnd {
        case finished, stopped, repeatedWithin
    }

    /// Reads `bytes` from the tracker's state (unchanged) and calls `body` with each member
    /// name they complete: the level of its object (an index into the open levels, the
    /// tracker's first), whether that object is one of the tracker's, and the unescaped name.
    /// Ends when `body` returns true (`stopped`), or when a name is completed again in the same
    /// object (`repeatedWithin`).
    private func walkCompletedNames(_ bytes: some Collection<UInt8>,
                                    _ body: (_ level: Int, _ isInherited: Bool, _ name: [UInt8]) -> Bool) -> NameWalkEnd {
        var mode = self.mode, escape = self.escape, highSurrogate = self.highSurrogate
        var key = mode == .key ? self.key : []
        // Levels: frames[0..<inherited] are this tracker's, then `pushed` levels opened by
        // `bytes` (bit 2i: object, bit 2i+1: expects a key). `topExpectsKey` overrides the
        // innermost inherited frame's flag.
        var inherited = frames.count
        var topExpectsKey: Bool?
        var pushed: UInt64 = 0, pushedCount = 0
        /// Names completed by `bytes`, with the level of their object.
        var completed: [(level: Int, name: [UInt8])] = []
        // Quotes not read yet: another name takes two more (none is recorded without them).
        var quotesLeft = 0
        for byte in bytes where byte == UInt8(ascii: "\"") { quotesLeft += 1 }
        for byte in bytes {
            if byte == UInt8(ascii: "\"") { quotesLeft -= 1 }
            switch mode {
            case .structure:
                switch byte {
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    guard pushedCount < 32 else { return .finished }
                    if byte == UInt8(ascii: "{") { pushed |= 0b11 << (2 * pushedCount) }
                    pushedCount += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    if pushedCount > 0 {
                        pushedCount -= 1
                        pushed &= ~(0b11 << (2 * pushedCount))
                    } else if inherited > 0 {
                        inherited -= 1
                        topExpectsKey = nil
                    }
                    completed.removeAll { $0.level >= inherited + pushedCount }
                case UInt8(ascii: ":"), UInt8(ascii: ","):
                    let expects = byte == UInt8(ascii: ",")
                    if pushedCount > 0 {
                        let bit = UInt64(1) << (2 * (pushedCount - 1) + 1)
                        if pushed & (bit >> 1) != 0 { pushed = expects ? pushed | bit : pushed & ~bit }
                    } else if inherited > 0, frames[inherited - 1].isObject {
                        topExpectsKey = expects
                    }
                case UInt8(ascii: "\""):
                    let inKey = pushedCount > 0
                        ? pushed & (UInt64(1) << (2 * (pushedCount - 1) + 1)) != 0
                        : inherited > 0 && frames[inherited - 1].isObject && (topExpectsKey ?? frames[inherited - 1].expectsKey)
                    mode = inKey ? .key : .string
                    key.removeAll(keepingCapacity: true)
                default: break
                }
            case .string:
                if JSONKeyTracker.closesValueString(byte, escape: &escape) { mode = .structure }
            case .key:
                guard JSONKeyTracker.decodeKeyByte(byte, escape: &escape, highSurrogate: &highSurrogate, into: &key) else { continue }
                mode = .structure
                let level = inherited + pushedCount - 1
                if body(level, pushedCount == 0, key) { return .stopped }
                if completed.contains(where: { $0.level == level && $0.name == key }) { return .repeatedWithin }
                if quotesLeft < 2 { return .finished }
                completed.append((level, key))
            }
        }
        return .finished
    }

    /// Reads one byte; false when it completes a repeated member name.
    private mutating func consume(_ byte: UInt8, at offset: Int, opensFiniteKey: (Int) -> Bool) -> Bool {
        switch mode {
        case .structure:
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                setPhase(.value)
                frames.append(Frame(isObject: byte == UInt8(ascii: "{"), expectsKey: byte == UInt8(ascii: "{"), keys: []))
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if let last = frames.popLast(), !last.keys.isEmpty { objectsWithKeys -= 1 }
                setPhase(.done)
            case UInt8(ascii: ":"):
                if !frames.isEmpty { frames[frames.count - 1].expectsKey = false }
            case UInt8(ascii: ","):
                if let last = frames.last, last.isObject {
                    frames[frames.count - 1].expectsKey = true
                    frames[frames.count - 1].phase = .name
                }
            case UInt8(ascii: "\""):
                if let last = frames.last, last.isObject, last.expectsKey {
                    mode = .key
                    key.removeAll(keepingCapacity: true)
                    if !last.isConstrained && opensFiniteKey(offset) { frames[frames.count - 1].isConstrained = true }
                } else {
                    mode = .string
                    setPhase(.value)
                }
            case 0x20, 0x0A, 0x09, 0x0D:
                if let last = frames.last, last.phase == .scalar { setPhase(.done) }
            default:
                if let last = frames.last, last.phase == .beforeValue { setPhase(.scalar) }
            }
        case .string:
            if JSONKeyTracker.closesValueString(byte, escape: &escape) {
                mode = .structure
                setPhase(.done)
            }
        case .key:
            guard JSONKeyTracker.decodeKeyByte(byte, escape: &escape, highSurrogate: &highSurrogate, into: &key) else { return true }
            mode = .structure
            let index = frames.count - 1
            frames[index].phase = .beforeValue
            if frames[index].keys.isEmpty { objectsWithKeys += 1 }
            return frames[index].keys.insert(key).inserted
        }
        return true
    }

    /// Sets the phase of the innermost frame when it is an object.
    private mutating func setPhase(_ phase: MemberPhase) {
        if let last = frames.last, last.isObject { frames[frames.count - 1].phase = phase }
    }

    /// Reads one byte of a string value; true when it is the closing quote. Only the escape's
    /// extent matters here: the `\u` digits hold no quote, so a backslash skips one byte.
    private static func closesValueString(_ byte: UInt8, escape: inout Escape) -> Bool {
        if escape != .none {
            escape = .none
        } else if byte == UInt8(ascii: "\\") {
            escape = .backslash
        } else if byte == UInt8(ascii: "\"") {
            return true
        }
        return false
    }

    /// Reads one byte of a key into `key` (unescaped); true when it is the closing quote.
    static func decodeKeyByte(_ byte: UInt8, escape: inout Escape, highSurrogate: inout UInt32?, into key: inout [UInt8]) -> Bool {
        switch escape {
        case .none:
            if byte == UInt8(ascii: "\\") {
                escape = .backslash
                return false
            }
            flush(&highSurrogate, into: &key)
            if byte == UInt8(ascii: "\"") { return true }
            key.append(byte)
        case .backslash:
            escape = .none
            if byte == UInt8(ascii: "u") {
                escape = .unicode(digits: 0, value: 0)
                return false
            }
            flush(&highSurrogate, into: &key)
            key.append(unescaped(byte) ?? byte)
        case .unicode(let digits, let value):
            let unit = value << 4 | UInt32(HexDigits.value(of: byte) ?? 0)
            if digits < 3 {
                escape = .unicode(digits: digits + 1, value: unit)
                return false
            }
            escape = .none
            if (0xDC00...0xDFFF).contains(unit), let high = highSurrogate {
                highSurrogate = nil
                UTF8Validation.append(codePoint: 0x10000 + ((high - 0xD800) << 10) + (unit - 0xDC00), to: &key)
            } else {
                flush(&highSurrogate, into: &key)
                if (0xD800...0xDBFF).contains(unit) { highSurrogate = unit } else { UTF8Validation.append(codePoint: unit, to: &key) }
            }
        }
        return false
    }

    /// Writes out a high surrogate that no low one followed (as its generalized UTF-8 bytes).
    private static func flush(_ highSurrogate: inout UInt32?, into key: inout [UInt8]) {
        if let high = highSurrogate {
            highSurrogate = nil
            UTF8Validation.append(codePoint: high, to: &key)
        }
    }

    // MARK: Masks

    /// What decides whether a token completes a key at all (not which name), and the `place`
    /// a token leads to: the mode, the escape state, the innermost level's kind, key
    /// expectation and member phase, and the kinds of the
    /// `signatureLevels` levels around it that closing brackets can reach (an outer level
    /// always holds the value being written, so expects no key until a comma). Trackers with
    /// equal signatures agree on `completesKey(_:repeatedOnly: false)` for tokens closing
    /// fewer than `signatureLevels` levels.
    var lexicalSignature: UInt32 {
        var signature = nameSignature
        if let top = frames.last { signature |= UInt32(top.phase.rawValue) << 18 }
        var flagShift: UInt32 = 21
        for level in stride(from: frames.count - 1, through: max(0, frames.count - JSONKeyTracker.signatureLevels), by: -1) {
            signature |= (frames[level].isConstrained ? 1 : 0) << flagShift
            flagShift += 1
        }
        return signature
    }

    /// The levels `lexicalSignature` describes.
    static let signatureLevels = 8

    /// The part of `lexicalSignature` (its low 18 bits) that decides which names a token
    /// completes (`completesKey`, `completesOnlyCurrentKey`, `completedNames`): the mode, the
    /// escape state, the innermost level's key expectation and the kinds of the levels around it.
    /// Names are read without the member phases and constrained flags, which only `place`
    /// needs, so trackers that differ only there share what the vocabulary's tokens complete
    /// (`KeyCompletingTokens`).
    var nameSignature: UInt32 {
        var signature = UInt32(mode.rawValue)
        switch escape {
        case .none: break
        case .backslash: signature |= 1 << 2
        case .unicode(let digits, _): signature |= UInt32(2 + digits) << 2
        }
        if let top = frames.last { signature |= top.expectsKey ? 1 << 5 : 0 }
        signature |= UInt32(min(frames.count, JSONKeyTracker.signatureLevels)) << 6
        var shift: UInt32 = 10
        for level in stride(from: frames.count - 1, through: max(0, frames.count - JSONKeyTracker.signatureLevels), by: -1) {
            signature |= (frames[level].isObject ? 1 : 0) << shift
            shift += 1
        }
        return signature
    }

    /// The part of a `nameSignature` that a token without closing brackets reads: the mode,
    /// the escape state, and whether the innermost level exists, is an object and expects a
    /// name. Such a token never leaves the innermost level, so the names it completes are in
    /// that level or in levels it opens itself.
    static func levelSignature(_ nameSignature: UInt32) -> UInt32 {
        nameSignature & (0b11_1111 | 1 << 10) | (nameSignature & 0b1111 << 6 != 0 ? 1 << 6 : 0)
    }

    /// Whether `bytes` hold at least `signatureLevels` closing brackets: what they do may depend
    /// on levels `lexicalSignature` does not describe.
    static func closesTooManyLevels(_ bytes: some Collection<UInt8>) -> Bool {
        var closings = 0
        for byte in bytes where byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") { closings += 1 }
        return closings >= signatureLevels
    }

    /// Whether some token could now complete a key (in a key, or in an object with names).
    var mayCompleteKey: Bool { objectsWithKeys > 0 || mode == .key }

    /// Clears from `words` (the mask of `config`) every allowed token that would complete a
    /// repeated member name.
    func removeRepeatedKeys(from words: UnsafeMutableBufferPointer<UInt32>, config: Int32, cache: QuoteTokenCache,
                            vocabulary: PreparedVocabulary) {
        guard mayCompleteKey else { return }
        let vocab = vocabulary.vocabulary
        @inline(__always) func remove(_ id: Int32) { words[Int(id) >> 5] &= ~(1 << UInt32(id & 31)) }
        // Tokens with two quotes or more can open and close a key anywhere: the vocabulary lists
        // those that complete a name from this lexical signature (`KeyCompletingTokens`), and
        // only the allowed ones are read. Inside a key, whether some name of the object starts
        // with the key so far: else no token closing the key with a text repeats a name.
        let continuesAName = mode == .key && frames.last?.keys.contains(where: { $0.starts(with: key) }) == true
        let signature = nameSignature
        if mode == .key {
            let tokens = vocabulary.keyCompletingTokens.insideName(self, signature: signature, vocabulary: vocabulary)
            tokens.other.forEachAllowed(in: words) { id, _ in
                if completesRepeatedKey(vocab.bytes(of: Int(id))) { remove(id) }
            }
            if escape == .none && highSurrogate == nil {
                // With no name of the object continued, no closing text repeats one.
                if continuesAName {
                    // The answer for the last text is kept: the next token often closes with
                    // the same one (most with none, `":`…).
                    var last: (text: [UInt8], repeats: Bool)?
                    tokens.closing.forEachAllowed(in: words) { id, text in
                        let repeats: Bool
                        if let last, last.text == text {
                            repeats = last.repeats
                        } else {
                            repeats = closingRepeatsKey(with: text)
                            last = (text, repeats)
                        }
                        if repeats { remove(id) }
                    }
                }
            } else {
                tokens.closing.forEachAllowed(in: words) { id, _ in
                    if completesRepeatedKey(vocab.bytes(of: Int(id))) { remove(id) }
                }
            }
        } else {
            vocabulary.keyCompletingTokens.outsideName(self, signature: signature, vocabulary: vocabulary).tokens.forEachAllowed(in: words) { id, reading in
                let repeats: Bool
                switch reading {
                case .names(let names): repeats = repeatsKey(names)
                case .unknown: repeats = completesRepeatedKey(vocab.bytes(of: Int(id)))
                }
                if repeats { remove(id) }
            }
        }
        // Inside a key, the first quote of a single-quote token closes it: look up the rest of
        // each name the key so far starts.
        guard continuesAName, let names = frames.last?.keys else { return }
        guard escape == .none, highSurrogate == nil else {
            // Mid-escape (rare): read each allowed single-quote token.
            for id in cache.singleQuoteTokens(for: config, mask: words, vocabulary: vocabulary)
            where completesRepeatedKey(vocab.bytes(of: Int(id))) {
                remove(id)
            }
            return
        }
        for name in names where name.starts(with: key) {
            for id in vocabulary.keyClosers.tokens(closingWith: name[key.count...]) { remove(id) }
        }
    }

    /// Inside a name with no escape pending: whether closing it after the unescaped `text`
    /// completes a name its object already has.
    func closingRepeatsKey(with text: [UInt8]) -> Bool {
        guard let names = frames.last?.keys else { return false }
        let count = key.count + text.count
        return names.contains { $0.count == count && $0.starts(with: key) && $0[key.count...].elementsEqual(text) }
    }

    /// The unescaped text a token holds before its first unescaped quote, read inside a key
    /// from no pending escape; nil when it holds no such quote or a lone surrogate escape.
    static func keyClosingText(_ bytes: some Collection<UInt8>) -> [UInt8]? {
        var escape = Escape.none, highSurrogate: UInt32?, text: [UInt8] = []
        for byte in bytes where decodeKeyByte(byte, escape: &escape, highSurrogate: &highSurrogate, into: &text) {
            return highSurrogate == nil ? text : nil
        }
        return nil
    }

    // MARK: Bytes

    /// The byte a short escape `\x` stands for, or nil when `x` is not one.
    static func unescaped(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): return byte
        case UInt8(ascii: "b"): return 0x08
        case UInt8(ascii: "f"): return 0x0C
        case UInt8(ascii: "n"): return 0x0A
        case UInt8(ascii: "r"): return 0x0D
        case UInt8(ascii: "t"): return 0x09
        default: return nil
        }
    }

    /// The ids of the tokens of `vocabulary` with one quote byte, and with two or more, ascending.
    static func quoteTokens(_ vocabulary: Vocabulary) -> (single: [Int32], multiple: [Int32]) {
        var single: [Int32] = [], multiple: [Int32] = []
        vocabulary.withTokenStorage { bytes, offsets in
            for id in 0..<vocabulary.definedCount where !vocabulary.isSpecial(id) {
                var quotes = 0
                for i in Int(offsets[id])..<Int(offsets[id + 1]) where bytes[i] == UInt8(ascii: "\"") { quotes += 1 }
                if quotes == 1 { single.append(Int32(id)) } else if quotes > 1 { multiple.append(Int32(id)) }
            }
        }
        return (single, multiple)
    }
}
