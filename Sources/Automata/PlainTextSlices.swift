/// Precomputed masks for the tokens that can appear inside a JSON string: the *plain text*
/// tokens, whose bytes are UTF-8 text (a final sequence may be incomplete) with no `"`, `\`
/// or control character (the idea of llguidance's slicer).
///
/// Inside a free string nearly every token is allowed, and walking the whole token tree for it
/// costs a millisecond on a 128k vocabulary. When a configuration accepts *every* plain text
/// string up to some length (`ConfigurationSpace.plainTextDepth`), the mask is the slice of
/// plain tokens up to that length, OR'ed in as words, plus a walk of the much smaller tree of
/// the other tokens.
public struct PlainTextSlices: Sendable {
    /// One slice: the plain tokens of at most `maxBytes` bytes, and the tree of all other tokens.
    public struct Slice: Sendable {
        /// The longest token in the slice, in bytes.
        public let maxBytes: Int
        /// The slice's tokens as mask words.
        public let mask: [UInt32]
        /// The number of tokens in the slice.
        public let count: Int
        /// Every other (non-special) token.
        public let rest: TokenTrie
        /// The tokens of `rest` but those that leave plain text at a byte no JSON string reads
        /// there (a control byte or one that breaks UTF-8): the ones leaving it at a `"` or
        /// `\`, and the plain tokens longer than the slice's. A configuration that reads no
        /// such byte after any plain text (`ConfigurationSpace.readsOnlyStringBytesAfterPlainText`)
        /// reads none of the tokens left out, so its walk needs only these (inside a string of
        /// a long length bound, which the plain-text search follows only `plainSearchBytes`
        /// bytes deep, with the 16-byte slice).
        public let stringRest: TokenTrie
    }

    /// Slices from the longest `maxBytes` down.
    public let slices: [Slice]
    /// The most whitespace runs of a plain token (`SpaceRuns`): searches of the plain text a
    /// configuration accepts need follow no string with more (`ConfigurationSpace.plainTextRunLimit`).
    public let mostSpaceRuns: Int

    /// The longest plain token, in bytes.
    public var longestPlainToken: Int { slices.first?.maxBytes ?? 0 }

    /// Which tokens of a vocabulary are plain text, and their lengths: the part of the slices
    /// that needs no token tree, so it can be found while the tree is built.
    public struct PlainTokens: Sendable {
        /// The byte length of each plain token, by id; -1 for the other tokens.
        let lengths: [Int32]   // compact: the filtered trees read it in trie order (random ids)
        /// The longest plain token, in bytes.
        let longest: Int
        /// The most whitespace runs of a plain token (`SpaceRuns`).
        let mostSpaceRuns: Int
        /// The vocabulary's id space.
        let size: Int
        /// Per token id: whether its bytes leave plain text at a byte other than `"` and `\`
        /// (a control byte, or one that is not UTF-8 there).
        let leavesAtOtherByte: [Bool]

        /// Classifies every token of `vocabulary`.
        public init(_ vocabulary: Vocabulary) {
            var lengths = [Int32](repeating: -1, count: vocabulary.definedCount)
            var leavesAtOtherByte = [Bool](repeating: false, count: vocabulary.definedCount)
            var longest = 0
            var mostSpaceRuns = 0
            let transitions = PlainText.transitionTable
            let spaceRuns = SpaceRuns.table
            vocabulary.withTokenStorage { storage, offsets in
                for id in 0..<vocabulary.definedCount {
                    let start = Int(offsets[id]), end = Int(offsets[id + 1])
                    guard end > start else { continue }
                    var state = 0
                    var runState = Int(SpaceRuns.start), runs = 0
                    for i in start..<end {
                        let next = Int(transitions[state << 8 | Int(storage[i])])
                        if next < 0 {
                            leavesAtOtherByte[id] = storage[i] != UInt8(ascii: "\"") && storage[i] != UInt8(ascii: "\\")
                        }
                        state = next
                        if state < 0 { break }
                        let entry = spaceRuns[runState << 8 | Int(storage[i])]
                        runs += Int(entry >> 7)
                        runState = Int(entry & 0x7F)
                    }
                    if state >= 0 && !vocabulary.isSpecial(id) {
                        lengths[id] = Int32(end - start)
                        longest = max(longest, end - start)
                        mostSpaceRuns = max(mostSpaceRuns, runs)
                    }
                }
            }
            self.lengths = lengths
            self.leavesAtOtherByte = leavesAtOtherByte
            self.longest = longest
            self.mostSpaceRuns = mostSpaceRuns
            self.size = vocabulary.size
        }
    }

    /// Builds the slices of `vocabulary` (byte limits 16 and 8, and one for all plain tokens),
    /// their trees filtered from the vocabulary's full `trie`.
    public init(_ vocabulary: Vocabulary, trie: TokenTrie) {
        self.init(PlainTokens(vocabulary), trie: trie)
    }

    /// Builds the slices of the classified `plainTokens`, their trees filtered from the
    /// vocabulary's full `trie` (at the same time, one per slice).
    public init(_ plainTokens: PlainTokens, trie: TokenTrie) {
        var limits: [Int] = []
        for limit in [plainTokens.longest, 16, 8] where limit <= plainTokens.longest && !limits.contains(limit) {
            limits.append(limit)
        }
        let lengths = plainTokens.lengths
        let wordCount = (plainTokens.size + 31) / 32
        mostSpaceRuns = plainTokens.mostSpaceRuns
        slices = Concurrently.map(limits.count) { index in
            let limit = limits[index]
            var mask = [UInt32](repeating: 0, count: wordCount)
            var count = 0
            for (id, length) in lengths.enumerated() where length >= 0 && Int(length) <= limit {
                mask[id >> 5] |= 1 << UInt32(id & 31)
                count += 1
            }
            let rest = trie.filtered { lengths[$0] < 0 || Int(lengths[$0]) > limit }
            let stringRest = rest.filtered { !plainTokens.leavesAtOtherByte[$0] }
            return Slice(maxBytes: limit, mask: mask, count: count, rest: rest, stringRest: stringRest)
        }
    }

    /// The largest slice whose tokens are all at most `depth` bytes long.
    public func slice(forDepth depth: Int) -> Slice? {
        slices.first { $0.maxBytes <= depth }
    }
}

/// The automaton of plain JSON string text: UTF-8 without `"`, `\` and controls, where the
/// input may stop inside a multi-byte sequence.
///
/// States: 0 between characters; 1, 2, 3 expecting that many continuation bytes; 4 after E0
/// (next A0–BF), 5 after ED (next 80–9F), 6 after F0 (next 90–BF), 7 after F4 (next 80–8F).
enum PlainText {
    static let stateCount = 8

    /// `next` as a table: the entry at `state << 8 | byte`.
    static let transitionTable: [Int8] = (0..<stateCount << 8).map { next(Int8($0 >> 8), UInt8($0 & 0xFF)) }

    /// The next state, or -1 when `byte` cannot come next.
    @inline(__always)
    static func next(_ state: Int8, _ byte: UInt8) -> Int8 {
        switch state {
        case 0:
            switch byte {
            case 0x20...0x21, 0x23...0x5B, 0x5D...0x7F: return 0
            case 0xC2...0xDF: return 1
            case 0xE0: return 4
            case 0xE1...0xEC, 0xEE...0xEF: return 2
            case 0xED: return 5
            case 0xF0: return 6
            case 0xF1...0xF3: return 3
            case 0xF4: return 7
            default: return -1
            }
        case 1: return (0x80...0xBF).contains(byte) ? 0 : -1
        case 2: return (0x80...0xBF).contains(byte) ? 1 : -1
        case 3: return (0x80...0xBF).contains(byte) ? 2 : -1
        case 4: return (0xA0...0xBF).contains(byte) ? 1 : -1
        case 5: return (0x80...0x9F).contains(byte) ? 1 : -1
        case 6: return (0x90...0xBF).contains(byte) ? 2 : -1
        case 7: return (0x80...0x8F).contains(byte) ? 2 : -1
        default: return -1
        }
    }
}
