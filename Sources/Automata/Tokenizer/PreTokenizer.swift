import Grammar

/// The `pre_tokenizer` of a `tokenizer.json`: splits normalized text into the pieces the model
/// encodes one by one.
///
/// Supported steps: `Split` (a `Regex` or `String` pattern, every delimiter behavior, `invert`),
/// `ByteLevel` (optional prefix space and GPT-2 regex split; its byte-to-character mapping is done
/// by the model, so it must come last), `Metaspace` (space replacement, prepend scheme, split) and
/// `Sequence` of those.
struct PreTokenizer: Sendable {
    /// How a `Split` step treats the matches of its pattern.
    enum Behavior: String, Sendable {
        /// Matches are dropped.
        case removed = "Removed"
        /// Each match is a piece of its own.
        case isolated = "Isolated"
        /// A match joins the piece before it.
        case mergedWithPrevious = "MergedWithPrevious"
        /// A match joins the piece after it.
        case mergedWithNext = "MergedWithNext"
        /// Consecutive matches form one piece.
        case contiguous = "Contiguous"
    }

    /// When `Metaspace` puts its replacement before a piece.
    enum PrependScheme: String, Sendable {
        /// Before every piece that does not start with it.
        case always
        /// Only before the piece at the start of the text.
        case first
        /// Never.
        case never
    }

    /// One step.
    enum Step: Sendable {
        /// Splits each piece at the matches of a pattern.
        case split(SplitPattern, Behavior, invert: Bool)
        /// Prefixes a space (when `addPrefixSpace`) and splits on the GPT-2 regex (when it is set).
        case byteLevel(addPrefixSpace: Bool, regex: SplitPattern?)
        /// Replaces spaces with `replacement`, prepends it per the scheme, and splits before each
        /// occurrence (when `split`).
        case metaspace(replacement: [UInt8], prepend: PrependScheme, split: Bool)
    }

    /// GPT-2's pre-tokenizer regex, used by `ByteLevel` with `use_regex`.
    static let gpt2Pattern = #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#

    /// The steps, in order.
    let steps: [Step]
    /// Whether a `ByteLevel` step ends the sequence: the model then reads bytes, not characters.
    let isByteLevel: Bool

    /// The pre-tokenizer a `tokenizer.json` `pre_tokenizer` value describes (nil or JSON null: none).
    init(json: JSONValue?) throws(VocabularyError) {
        var steps: [Step] = []
        if let json, json != .null { try Self.collect(json, into: &steps) }
        for (i, step) in steps.enumerated() {
            if case .byteLevel = step, i != steps.count - 1 {
                throw VocabularyError(.unsupportedTokenizer, "a ByteLevel pre-tokenizer is supported only as the last step")
            }
        }
        if case .byteLevel? = steps.last { isByteLevel = true } else { isByteLevel = false }
        self.steps = steps
    }

    private static func collect(_ json: JSONValue, into steps: inout [Step]) throws(VocabularyError) {
        let type = json["type"]?.stringValue
        switch type {
        case "Sequence":
            guard let items = json["pretokenizers"]?.arrayValue else {
                throw VocabularyError(.unexpectedShape, "a Sequence pre-tokenizer needs a 'pretokenizers' list")
            }
            for item in items { try collect(item, into: &steps) }
        case "Split":
            let pattern: SplitPattern
            if let regex = json["pattern"]?["Regex"]?.stringValue {
                pattern = try SplitPattern(regex)
            } else if let string = json["pattern"]?["String"]?.stringValue, !string.isEmpty {
                pattern = try SplitPattern(string.unicodeScalars.map { "\\x{\(String($0.value, radix: 16))}" }.joined())
            } else {
                throw VocabularyError(.unexpectedShape, "a Split pre-tokenizer needs a non-empty 'Regex' or 'String' pattern")
            }
            let name = json["behavior"]?.stringValue ?? "?"
            guard let behavior = Behavior(rawValue: name) else {
                throw VocabularyError(.unsupportedTokenizer, "the Split behavior '\(name)' is not supported")
            }
            steps.append(.split(pattern, behavior, invert: json["invert"]?.boolValue ?? false))
        case "ByteLevel":
            let regex = json["use_regex"]?.boolValue ?? true ? try SplitPattern(gpt2Pattern) : nil
            steps.append(.byteLevel(addPrefixSpace: json["add_prefix_space"]?.boolValue ?? true, regex: regex))
        case "Metaspace":
            let replacement = json["replacement"]?.stringValue ?? "\u{2581}"
            let scheme: PrependScheme
            if let name = json["prepend_scheme"]?.stringValue {
                guard let known = PrependScheme(rawValue: name) else {
                    throw VocabularyError(.unsupportedTokenizer, "the Metaspace prepend_scheme '\(name)' is not supported")
                }
                scheme = known
            } else {
                scheme = json["add_prefix_space"]?.boolValue ?? true ? .always : .never
            }
            steps.append(.metaspace(replacement: Array(replacement.utf8), prepend: scheme, split: json["split"]?.boolValue ?? true))
        default:
            throw VocabularyError(.unsupportedTokenizer, "the pre-tokenizer '\(type ?? "?")' is not supported (Split, ByteLevel, Metaspace and Sequence are)")
        }
    }

    /// Pieces of text being pre-tokenized: byte ranges of one buffer.
    struct Pieces {
        /// The text the ranges index.
        var bytes: [UInt8] = []
        /// The pieces, in text order.
        var ranges: [Range<Int>] = []
        /// Reused for the next generation of ranges.
        fileprivate var spare: [Range<Int>] = []
        /// Reused for the runs (matches and the text between them) of a piece.
        fileprivate var runs: [(range: Range<Int>, isMatch: Bool)] = []
        /// Reused by pattern matching.
        fileprivate var patternScratch = SplitPattern.Scratch()

        /// No pieces.
        init() {}
    }

    /// Splits `text` into `pieces` (whose buffers are reused). `atStart` tells whether the text
    /// begins the input, for `Metaspace`'s `first` scheme.
    func split(_ text: UnsafeBufferPointer<UInt8>, atStart: Bool, into pieces: inout Pieces) {
        pieces.bytes.removeAll(keepingCapacity: true)
        pieces.bytes.append(contentsOf: text)
        pieces.ranges.removeAll(keepingCapacity: true)
        if !text.isEmpty { pieces.ranges.append(0..<text.count) }
        for step in steps {
            switch step {
            case .split(let pattern, let behavior, let invert):
                split(&pieces, on: pattern, behavior, invert: invert)
            case .byteLevel(let addPrefixSpace, let regex):
                if addPrefixSpace { prefixSpace(&pieces) }
                if let regex { split(&pieces, on: regex, .isolated, invert: false) }
            case .metaspace(let replacement, let scheme, let split):
                metaspace(&pieces, replacement: replacement, scheme: scheme, atStart: atStart)
                if split { splitBefore(&pieces, replacement) }
            }
        }
    }

    /// Splits every piece at the matches of `pattern`.
    private func split(_ pieces: inout Pieces, on pattern: SplitPattern, _ behavior: Behavior, invert: Bool) {
        var runs: [(range: Range<Int>, isMatch: Bool)] = []
        var scratch = SplitPattern.Scratch()
        var out: [Range<Int>] = []
        swap(&runs, &pieces.runs)
        swap(&scratch, &pieces.patternScratch)
        swap(&out, &pieces.spare)
        out.removeAll(keepingCapacity: true)
        pieces.bytes.withUnsafeBufferPointer { bytes in
            for range in pieces.ranges {
                runs.removeAll(keepingCapacity: true)
                var previousEnd = range.lowerBound
                pattern.forEachMatch(in: UnsafeBufferPointer(rebasing: bytes[range]), scratch: &scratch) { match in
                    let found = (match.lowerBound + range.lowerBound)..<(match.upperBound + range.lowerBound)
                    if previousEnd < found.lowerBound { runs.append((previousEnd..<found.lowerBound, invert)) }
                    runs.append((found, !invert))
                    previousEnd = found.upperBound
                }
                if previousEnd < range.upperBound { runs.append((previousEnd..<range.upperBound, invert)) }
                Self.apply(behavior, to: runs, appendingTo: &out)
            }
        }
        swap(&runs, &pieces.runs)
        swap(&scratch, &pieces.patternScratch)
        pieces.spare = pieces.ranges
        pieces.ranges = out
    }

    /// Splits every piece before each occurrence of `delimiter` (the delimiter starts the next piece).
    private func splitBefore(_ pieces: inout Pieces, _ delimiter: [UInt8]) {
        var out: [Range<Int>] = []
        swap(&out, &pieces.spare)
        out.removeAll(keepingCapacity: true)
        pieces.bytes.withUnsafeBufferPointer { bytes in
            for range in pieces.ranges {
                var start = range.lowerBound
                var i = range.lowerBound
                while i + delimiter.count <= range.upperBound {
                    if UnsafeBufferPointer(rebasing: bytes[i..<i + delimiter.count]).elementsEqual(delimiter) {
                        if i > start { out.append(start..<i) }
                        start = i
                        i += delimiter.count
                    } else {
                        i += 1
                    }
                }
                if start < range.upperBound { out.append(start..<range.upperBound) }
            }
        }
        pieces.spare = pieces.ranges
        pieces.ranges = out
    }

    /// Appends the pieces that `behavior` makes of a piece's runs (each a match or not) to `out`.
    private static func apply(_ behavior: Behavior, to runs: [(range: Range<Int>, isMatch: Bool)], appendingTo out: inout [Range<Int>]) {
        let first = out.count
        var previousWasMatch = false
        switch behavior {
        case .removed:
            for run in runs where !run.isMatch { out.append(run.range) }
        case .isolated:
            for run in runs { out.append(run.range) }
        case .mergedWithPrevious:
            for run in runs {
                if run.isMatch, !previousWasMatch, out.count > first {
                    out[out.count - 1] = out[out.count - 1].lowerBound..<run.range.upperBound
                } else {
                    out.append(run.range)
                }
                previousWasMatch = run.isMatch
            }
        case .mergedWithNext:
            var pendingStart: Int?
            for run in runs {
                if let start = pendingStart, !run.isMatch {
                    out.append(start..<run.range.upperBound)
                    pendingStart = nil
                    continue
                }
                if let start = pendingStart { out.append(start..<run.range.lowerBound) }
                pendingStart = run.isMatch ? run.range.lowerBound : nil
                if !run.isMatch { out.append(run.range) }
            }
            if let start = pendingStart, let last = runs.last { out.append(start..<last.range.upperBound) }
        case .contiguous:
            for run in runs {
                if run.isMatch, previousWasMatch, out.count > first {
                    out[out.count - 1] = out[out.count - 1].lowerBound..<run.range.upperBound
                } else {
                    out.append(run.range)
                }
                previousWasMatch = run.isMatch
            }
        }
    }

    /// Rebuilds the buffer with a space before every piece that does not start with one.
    private func prefixSpace(_ pieces: inout Pieces) {
        rebuild(&pieces) { piece, _, out in
            if piece.first != 0x20 { out.append(0x20) }
            out.append(contentsOf: piece)
        }
    }

    /// Rebuilds the buffer with spaces replaced by `replacement`, and `replacement` put before
    /// the pieces the scheme says.
    private func metaspace(_ pieces: inout Pieces, replacement: [UInt8], scheme: PrependScheme, atStart: Bool) {
        rebuild(&pieces) { piece, isFirst, out in
            let prepend = switch scheme {
            case .always: true
            case .first: atStart && isFirst
            case .never: false
            }
            let rewrittenStart = out.count
            for b in piece {
                if b == 0x20 { out.append(contentsOf: replacement) } else { out.append(b) }
            }
            if prepend, !out[rewrittenStart...].starts(with: replacement) {
                out.insert(contentsOf: replacement, at: rewrittenStart)
            }
        }
    }

    /// Replaces each piece by what `write` appends for it (given the piece and whether it starts
    /// the buffer) to a new buffer.
    private func rebuild(_ pieces: inout Pieces, _ write: (ArraySlice<UInt8>, Bool, inout [UInt8]) -> Void) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(pieces.bytes.count + pieces.ranges.count * 3)
        var out: [Range<Int>] = []
        swap(&out, &pieces.spare)
        out.removeAll(keepingCapacity: true)
        for range in pieces.ranges {
            let start = bytes.count
            write(pieces.bytes[range], range.lowerBound == 0, &bytes)
            out.append(start..<bytes.count)
        }
        pieces.bytes = bytes
        pieces.spare = pieces.ranges
        pieces.ranges = out
    }
}
