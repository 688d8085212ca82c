/// A pre-tokenizer regex compiled for leftmost-first matching over UTF-8 text, as Oniguruma (the
/// Hugging Face library's engine) runs it: at each position the alternatives are tried in order
/// and greedy quantifiers give back one scalar at a time until the rest matches.
///
/// The pattern becomes a small backtracking program whose instructions test scalar classes.
/// Each class is one bit; a text is first classified scalar by scalar into a mask of the classes
/// that hold the scalar (ASCII from a table), so matching itself only tests bits, and a split
/// whose preferred branch cannot start with the next scalar is skipped without backtracking.
/// Patterns that can match the empty string, or with nested unbounded repeats, are rejected,
/// which rules out runaway backtracking.
struct SplitPattern: Sendable {
    /// One step of the program.
    private enum Instruction: Sendable {
        /// Consume one scalar whose mask has a bit of the operand.
        case consume(UInt64)
        /// Continue at `preferred`; if that fails, at `other`. When the next scalar has none of
        /// the `first` bits, `preferred` cannot match and `other` is taken at once.
        case split(preferred: Int32, other: Int32, first: UInt64)
        /// Continue at the target.
        case jump(Int32)
        /// Test, without consuming, that the next scalar is (not, when `negated`) in the class.
        case lookahead(UInt64, negated: Bool)
        /// The pattern matched.
        case match
    }

    /// Reusable buffers for matching, so that splitting a text allocates nothing once warm.
    struct Scratch {
        fileprivate var masks: [UInt64] = []
        fileprivate var offsets: [Int32] = []
        fileprivate var backtrack: [UInt64] = []
        /// Empty buffers.
        init() {}
    }

    private let program: [Instruction]
    private let classes: [ScalarClass]
    private let asciiMasks: [UInt64]

    /// The most scalar classes a pattern may use (one bit each).
    static let maxClasses = 64

    /// Compiles `pattern`.
    /// - Throws: `unsupportedTokenizer` for syntax outside `PatternParser`'s subset, a pattern
    ///   that can match the empty string, or one with more than `maxClasses` classes.
    init(_ pattern: String) throws(VocabularyError) {
        var parser = PatternParser(pattern)
        let tree = try parser.parse()
        guard !tree.isNullable else {
            throw VocabularyError(.unsupportedTokenizer, "pre-tokenizer regex \(pattern.debugDescription) can match the empty string")
        }
        var compiler = Compiler()
        compiler.emit(tree)
        compiler.program.append(.match)
        guard compiler.classes.count <= Self.maxClasses else {
            throw VocabularyError(.unsupportedTokenizer, "pre-tokenizer regex \(pattern.debugDescription) uses more than \(Self.maxClasses) character classes")
        }
        program = compiler.program
        classes = compiler.classes
        asciiMasks = (0..<128).map { value in
            let scalar = Unicode.Scalar(UInt8(value))
            return Self.mask(of: scalar, in: compiler.classes)
        }
    }

    /// Compiles a tree to instructions, giving each distinct class a bit.
    private struct Compiler {
        var program: [Instruction] = []
        var classes: [ScalarClass] = []

        mutating func bit(of set: ScalarClass) -> UInt64 {
            if let index = classes.firstIndex(of: set) { return 1 << UInt64(index) }
            classes.append(set)
            return classes.count <= SplitPattern.maxClasses ? 1 << UInt64(classes.count - 1) : 0
        }

        mutating func emit(_ node: PatternNode) {
            switch node {
            case .scalar(let set):
                program.append(.consume(bit(of: set)))
            case .sequence(let items):
                for item in items { emit(item) }
            case .alternation(let options):
                var jumpsToEnd: [Int] = []
                for (i, option) in options.enumerated() {
                    if i == options.count - 1 {
                        emit(option)
                    } else {
                        let split = program.count
                        program.append(.jump(0))   // patched below
                        emit(option)
                        jumpsToEnd.append(program.count)
                        program.append(.jump(0))
                        program[split] = .split(preferred: Int32(split + 1), other: Int32(program.count), first: firstBits(option))
                    }
                }
                for j in jumpsToEnd { program[j] = .jump(Int32(program.count)) }
            case .repetition(let body, let min, let max, let greedy):
                for _ in 0..<min { emit(body) }
                if let max {
                    var exits: [Int] = []
                    for _ in min..<max {
                        exits.append(program.count)
                        program.append(.jump(0))
                        emit(body)
                    }
                    for e in exits { program[e] = splitInstruction(at: e, exit: program.count, greedy: greedy, body: body) }
                } else {
                    let loop = program.count
                    program.append(.jump(0))
                    emit(body)
                    program.append(.jump(Int32(loop)))
                    program[loop] = splitInstruction(at: loop, exit: program.count, greedy: greedy, body: body)
                }
            case .lookahead(let set, let negated):
                program.append(.lookahead(bit(of: set), negated: negated))
            }
        }

        /// A split at `at` that enters the body after it first when greedy, else leaves to `exit` first.
        private mutating func splitInstruction(at: Int, exit: Int, greedy: Bool, body: PatternNode) -> Instruction {
            greedy ? .split(preferred: Int32(at + 1), other: Int32(exit), first: firstBits(body))
                : .split(preferred: Int32(exit), other: Int32(at + 1), first: .max)
        }

        /// The bits of the classes a match of `node` can start with (all bits when unknown: the
        /// node can match the empty string or starts with a lookahead).
        mutating func firstBits(_ node: PatternNode) -> UInt64 {
            guard let (bits, nullable) = first(node), !nullable else { return .max }
            return bits
        }

        /// The classes a match of `node` can start with and whether it can be empty; nil when unknown.
        private mutating func first(_ node: PatternNode) -> (bits: UInt64, nullable: Bool)? {
            switch node {
            case .scalar(let set):
                return (bit(of: set), false)
            case .sequence(let items):
                var bits: UInt64 = 0
                for item in items {
                    guard let (itemBits, nullable) = first(item) else { return nil }
                    bits |= itemBits
                    if !nullable { return (bits, false) }
                }
                return (bits, true)
            case .alternation(let options):
                var bits: UInt64 = 0
                var nullable = false
                for option in options {
                    guard let (optionBits, optionNullable) = first(option) else { return nil }
                    bits |= optionBits
                    nullable = nullable || optionNullable
                }
                return (bits, nullable)
            case .repetition(let body, let min, _, _):
                guard let (bits, nullable) = first(body) else { return nil }
                return (bits, nullable || min == 0)
            case .lookahead:
                return nil
            }
        }
    }

    /// The mask of the classes holding `scalar`.
    private static func mask(of scalar: Unicode.Scalar, in classes: [ScalarClass]) -> UInt64 {
        let category = GeneralCategoryBits.bit(of: scalar)
        var mask: UInt64 = 0
        for (i, set) in classes.enumerated() where set.contains(scalar, category: category) {
            mask |= 1 << UInt64(i)
        }
        return mask
    }

    /// Calls `body` with the byte range of each successive match in `text`, left to right; the
    /// text between matches is not reported. `text` must be well-formed UTF-8.
    func forEachMatch(in text: UnsafeBufferPointer<UInt8>, scratch: inout Scratch, _ body: (Range<Int>) -> Void) {
        classify(text, scratch: &scratch)
        let count = scratch.masks.count
        scratch.masks.withUnsafeBufferPointer { masks in
            var start = 0
            while start < count {
                if let end = matchEnd(from: start, masks: masks, backtrack: &scratch.backtrack) {
                    body(Int(scratch.offsets[start])..<Int(scratch.offsets[end]))
                    start = end
                } else {
                    start += 1
                }
            }
        }
    }

    /// Fills `scratch.masks` with the class mask of each scalar of `text`, and `scratch.offsets`
    /// with the byte offset of each scalar and then of the end.
    private func classify(_ text: UnsafeBufferPointer<UInt8>, scratch: inout Scratch) {
        scratch.masks.removeAll(keepingCapacity: true)
        scratch.offsets.removeAll(keepingCapacity: true)
        asciiMasks.withUnsafeBufferPointer { ascii in
            var i = 0
            while i < text.count {
                scratch.offsets.append(Int32(i))
                let b0 = text[i]
                if b0 < 0x80 {
                    scratch.masks.append(ascii[Int(b0)])
                    i += 1
                    continue
                }
                let (value, length) = UTF8Scalars.decode(text, at: i)
                scratch.masks.append(Unicode.Scalar(value).map { Self.mask(of: $0, in: classes) } ?? 0)
                i += length
            }
            scratch.offsets.append(Int32(text.count))
        }
    }

    /// The end (a scalar index) of the match starting at scalar `start`, or nil.
    private func matchEnd(from start: Int, masks: UnsafeBufferPointer<UInt64>, backtrack: inout [UInt64]) -> Int? {
        backtrack.removeAll(keepingCapacity: true)
        return program.withUnsafeBufferPointer { program in
            var pc = 0
            var position = start
            while true {
                var failed = false
                switch program[pc] {
                case .consume(let bits):
                    if position < masks.count, masks[position] & bits != 0 {
                        position += 1
                        pc += 1
                    } else {
                        failed = true
                    }
                case .split(let preferred, let other, let first):
                    if first == .max || position < masks.count && masks[position] & first != 0 {
                        backtrack.append(UInt64(UInt32(other)) << 32 | UInt64(position))
                        pc = Int(preferred)
                    } else {
                        pc = Int(other)
                    }
                case .jump(let target):
                    pc = Int(target)
                case .lookahead(let bits, let negated):
                    let inClass = position < masks.count && masks[position] & bits != 0
                    if inClass != negated { pc += 1 } else { failed = true }
                case .match:
                    return position
                }
                if failed {
                    guard let resume = backtrack.popLast() else { return nil }
                    pc = Int(resume >> 32)
                    position = Int(resume & 0xFFFF_FFFF)
                }
            }
        }
    }
}
