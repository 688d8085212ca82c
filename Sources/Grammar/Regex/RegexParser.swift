/// Parses an ECMA-262 pattern, with the `u` flag's syntax and semantics, into a `RegexAST`.
///
/// The parser is iterative: open groups live on an explicit stack, so no pattern can exhaust
/// the thread's stack, and nesting beyond `maxNestingDepth` is reported as
/// `limitExceeded`.
///
/// Errors carry the UTF-8 byte offset of the offending construct, with its 1-based line and
/// column (counted in bytes, like `JSONParser`). A malformed pattern is reported as
/// `invalidRegex` even when it also uses unsupported constructs: those are remembered while
/// parsing and reported as `unsupportedRegex` only once the whole pattern is known to be
/// well formed. Until then the parser stands an empty node in for them, so a tree is never
/// returned for a pattern that uses one.
///
/// Syntax follows ECMA-262's Unicode mode with two leniencies that browsers (Annex B) and
/// the common JSON Schema validators share:
/// - `\` before any ASCII character that is neither a letter nor a digit matches that
///   character, as most engines and schema authors expect (`\-`, `\_`, `\"`, `\ `…);
/// - a lone `]` or `}`, and a `{` that does not start a quantifier, match themselves. The
///   one such brace that engines read differently, `{,n}` (a quantifier in Python's `re`),
///   is refused as `unsupportedRegex`.
///
/// Lookaheads are kept in the tree wherever the lowering can tell what follows them: in any
/// group repeated a bounded number of times (its alternatives and repetitions are spelled out
/// until the lookahead stands in a top-level alternative of the pattern, or of a lookahead's
/// own body), and at the head of a one-character group repeated without bound
/// (`((?!mode).)*`, checked at each character; the lowering requires the group to end the
/// input). Inside other groups repeated without bound they are unsupported, as are `^`
/// inside a lookahead's body and lookbehinds. Word boundaries (`\b`, `\B`) are kept only in
/// a top-level alternative of the pattern.
struct RegexParser {
    /// The deepest nesting of groups accepted.
    static let maxNestingDepth = 1_000
    /// The largest count accepted in a `{n,m}` quantifier.
    static let maxRepetitionCount = 100_000

    /// The pattern's scalars.
    private let scalars: [Unicode.Scalar]
    /// The UTF-8 offset of each scalar, followed by the pattern's length.
    private let offsets: [Int]
    /// The index in `scalars` of the next scalar to read.
    var position = 0

    /// Capturing groups seen so far, named or not; `\n` may refer to any of them.
    var captureGroupCount = 0
    /// The names of the named groups seen so far.
    var groupNames: Set<String> = []
    /// Backreferences, checked against the groups once the whole pattern is read (ECMA-262
    /// allows a reference before its group).
    var backreferences: [Backreference] = []
    /// The first construct found that the compiler does not support.
    var firstUnsupported: GrammarError?

    /// A `\1` or `\k<name>` in the pattern.
    struct Backreference {
        /// What the reference names.
        enum Target {
            case number(Int)
            case name(String)
        }

        var target: Target
        /// The index of its backslash.
        var start: Int
    }

    /// A parser of `pattern`.
    init(_ pattern: String) {
        var scalars: [Unicode.Scalar] = []
        var offsets: [Int] = []
        var offset = 0
        for scalar in pattern.unicodeScalars {
            scalars.append(scalar)
            offsets.append(offset)
            offset += UTF8.width(scalar)
        }
        offsets.append(offset)
        self.scalars = scalars
        self.offsets = offsets
    }

    /// Parses the whole pattern.
    mutating func parse() throws(GrammarError) -> RegexAST.Node {
        var openGroups: [OpenGroup] = []
        var current = AlternationBuilder()
        while let scalar = peek() {
            let start = position
            switch scalar {
            case "|":
                position += 1
                current.startAlternative()
            case "(":
                guard openGroups.count < Self.maxNestingDepth else {
                    throw error(.limitExceeded, "groups nest deeper than \(Self.maxNestingDepth) levels", at: start)
                }
                let kind = try groupOpening()
                if case .lookahead = kind, let enclosing = openGroups.last, !enclosing.isLookahead {
                    openGroups[openGroups.count - 1].innerLookahead = enclosing.innerLookahead ?? start
                }
                openGroups.append(OpenGroup(kind: kind, start: start, enclosing: current))
                current = AlternationBuilder()
            case ")":
                guard let group = openGroups.popLast() else {
                    throw error(.invalidRegex, "unmatched ')'", at: start)
                }
                position += 1
                let body = current.node
                current = group.enclosing
                switch group.kind {
                case .group:
                    let node = try quantified(body)
                    if let lookahead = group.innerLookahead {
                        if case .quantification(let quantification) = node, quantification.max == nil,
                           !Self.isRepeatedLookaheadGroup(node) {
                            unsupported("lookahead assertions inside a group repeated without bound are supported only at "
                                        + "the head of a one-character group, as in '((?!ab).)*'", at: lookahead)
                        }
                        // The enclosing group is spelled out with this one's lookaheads.
                        if let enclosing = openGroups.last, !enclosing.isLookahead {
                            openGroups[openGroups.count - 1].innerLookahead = enclosing.innerLookahead ?? lookahead
                        }
                    }
                    current.append(node)
                // In Unicode mode an assertion takes no quantifier.
                case .lookahead(let negated):
                    current.append(.lookahead(RegexAST.Lookahead(negated: negated, child: body)))
                case .unsupportedAssertion: current.append(.empty)
                }
            case "^":
                if openGroups.contains(where: \.isLookahead) {
                    unsupported("'^' inside a lookahead is not supported", at: start)
                }
                position += 1
                current.append(.atom(.startOfInput))
            case "$":
                position += 1
                current.append(.atom(.endOfInput))
            case "*", "+", "?":
                throw nothingToRepeat(at: start)
            case "{":
                if try braceQuantifier() != nil { throw nothingToRepeat(at: start) }
                if isCommaQuantifier() {
                    unsupported("'{,n}' matches itself in ECMA-262 but is a quantifier in other engines (write '\\{')",
                                at: start)
                }
                position += 1
                current.append(try quantified(.atom(.codePoint(scalar.value))))
            case "[":
                current.append(try quantified(.customCharacterClass(characterClass())))
            case ".":
                position += 1
                current.append(try quantified(.atom(.anyExceptLineTerminator)))
            case "\\":
                let escape = try atomEscape(atTopLevel: openGroups.isEmpty)
                current.append(escape.isQuantifiable ? try quantified(escape.node) : escape.node)
            default:
                position += 1
                current.append(try quantified(.atom(.codePoint(scalar.value))))
            }
        }
        if let group = openGroups.last { throw error(.invalidRegex, "unterminated group", at: group.start) }
        try checkBackreferences()
        if let firstUnsupported { throw firstUnsupported }
        return current.node
    }

    // MARK: Groups

    /// What a group's parentheses mean for its contents.
    enum GroupKind {
        /// A capturing, named or non-capturing group: its contents, quantifiable.
        case group
        /// A lookahead: `(?!…)` when `negated`, else `(?=…)`.
        case lookahead(negated: Bool)
        /// A lookbehind (already reported as unsupported).
        case unsupportedAssertion
    }

    /// A group whose `)` has not been read yet.
    private struct OpenGroup {
        var kind: GroupKind
        /// The index of its `(`.
        var start: Int
        /// The alternation the group sits in, to resume after the group.
        var enclosing: AlternationBuilder
        /// The index of the first lookahead inside this (non-lookahead) group, directly or in
        /// a group it holds, not counting those in a lookahead's body.
        var innerLookahead: Int?

        /// Whether the group is a supported lookahead.
        var isLookahead: Bool {
            if case .lookahead = kind { return true }
            return false
        }
    }

    /// Reads `(`, `(?:`, `(?<name>`, a lookaround opening or a modifier group opening.
    private mutating func groupOpening() throws(GrammarError) -> GroupKind {
        let start = position
        position += 1
        guard consume("?") else {
            captureGroupCount += 1
            return .group
        }
        switch peek() {
        case ":":
            position += 1
            return .group
        case "=", "!":
            let negated = peek() == "!"
            position += 1
            return .lookahead(negated: negated)
        case "<" where peek(1) == "=" || peek(1) == "!":
            position += 2
            unsupported("lookbehind assertions are not supported", at: start)
            return .unsupportedAssertion
        case "<":
            position += 1
            groupNames.insert(try groupName())
            captureGroupCount += 1
            return .group
        case "i", "m", "s", "-":
            while let flag = peek(), "ims-".unicodeScalars.contains(flag) { position += 1 }
            guard consume(":") else {
                throw error(.invalidRegex, "modifier group must be written '(?flags:…)'", at: start)
            }
            unsupported("inline modifiers are not supported", at: start)
            return .group
        default:
            throw error(.invalidRegex, "'(?' must be followed by ':', '=', '!', '<=', '<!' or '<name>'", at: start)
        }
    }

    /// Reads a group name and the `>` after it; the `<` has been read. Characters may be
    /// written as `\u` escapes.
    mutating func groupName() throws(GrammarError) -> String {
        let start = position
        var name = ""
        while true {
            guard let scalar = peek() else { throw error(.invalidRegex, "unterminated group name", at: start) }
            if scalar == ">" {
                position += 1
                guard !name.isEmpty else { throw error(.invalidRegex, "empty group name", at: start) }
                return name
            }
            let scalarStart = position
            position += 1
            var character = scalar
            if scalar == "\\" {
                guard consume("u"), let escaped = Unicode.Scalar(try unicodeEscape(start: scalarStart)) else {
                    throw error(.invalidRegex, "only '\\u' escapes of scalars may appear in names", at: scalarStart)
                }
                character = escaped
            }
            let properties = character.properties
            let joiner = character == "\u{200C}" || character == "\u{200D}"
            let allowed = character == "$" || character == "_"
                || (name.isEmpty ? properties.isIDStart : properties.isIDContinue || joiner)
            guard allowed else {
                throw error(.invalidRegex, "'\(character)' cannot appear in a group name here", at: scalarStart)
            }
            name.unicodeScalars.append(character)
        }
    }

    // MARK: Quantifiers

    /// Wraps `node` in the quantifier that follows it, if any.
    private mutating func quantified(_ node: RegexAST.Node) throws(GrammarError) -> RegexAST.Node {
        let bounds: (min: Int, max: Int?)
        if let braced = try braceQuantifier() {
            bounds = braced
        } else {
            switch peek() {
            case "*": bounds = (0, nil)
            case "+": bounds = (1, nil)
            case "?": bounds = (0, 1)
            default: return node
            }
            position += 1
        }
        _ = consume("?")  // A lazy quantifier matches the same language.
        return .quantification(RegexAST.Quantification(min: bounds.min, max: bounds.max, child: node))
    }

    /// Reads `{n}`, `{n,}` or `{n,m}` when the text at the current position is one, leaving
    /// the position after it; otherwise leaves the position unchanged and returns nil.
    mutating func braceQuantifier() throws(GrammarError) -> (min: Int, max: Int?)? {
        let start = position
        guard consume("{") else { return nil }
        let minStart = position
        guard let min = decimal() else {
            position = start
            return nil
        }
        var max: Int? = min
        var maxStart = minStart
        if consume(",") {
            maxStart = position
            max = decimal()
            if max == nil, peek() != "}" {
                position = start
                return nil
            }
        }
        guard consume("}") else {
            position = start
            return nil
        }
        for (count, countStart) in [(min, minStart), (max ?? 0, maxStart)] where count > Self.maxRepetitionCount {
            throw error(.limitExceeded, "repetition count above \(Self.maxRepetitionCount)", at: countStart)
        }
        if let max, max < min {
            throw error(.invalidRegex, "quantifier bounds out of order", at: start)
        }
        return (min, max)
    }

    /// Reads a run of decimal digits, if there is one; values past `Int32.max` saturate.
    mutating func decimal() -> Int? {
        var value: Int?
        while let scalar = peek(), let digit = Self.digitValue(scalar, radix: 10) {
            value = Swift.min((value ?? 0) * 10 + Int(digit), Int(Int32.max))
            position += 1
        }
        return value
    }

    /// Whether the text at the current position reads `{,n}`.
    private func isCommaQuantifier() -> Bool {
        guard peek(1) == ",", let first = peek(2), Self.digitValue(first, radix: 10) != nil else { return false }
        var ahead = 3
        while let scalar = peek(ahead), Self.digitValue(scalar, radix: 10) != nil { ahead += 1 }
        return peek(ahead) == "}"
    }

    private func nothingToRepeat(at index: Int) -> GrammarError {
        error(.invalidRegex, "nothing to repeat", at: index)
    }

    // MARK: Backreferences

    /// Reports a backreference to a group the pattern does not have, which is malformed, or
    /// else any backreference, which is unsupported.
    private mutating func checkBackreferences() throws(GrammarError) {
        for reference in backreferences {
            switch reference.target {
            case .number(let number) where number > captureGroupCount:
                throw error(
                    .invalidRegex, "backreference to group \(number), but the pattern has \(captureGroupCount)",
                    at: reference.start)
            case .name(let name) where !groupNames.contains(name):
                throw error(.invalidRegex, "backreference to an undefined group '\(name)'", at: reference.start)
            default:
                unsupported("backreferences are not supported", at: reference.start)
            }
        }
    }

    // MARK: Reading

    /// The scalar `ahead` places after the current position, if the pattern is that long.
    func peek(_ ahead: Int = 0) -> Unicode.Scalar? {
        position + ahead < scalars.count ? scalars[position + ahead] : nil
    }

    /// Reads `scalar` if it comes next.
    mutating func consume(_ scalar: Unicode.Scalar) -> Bool {
        guard peek() == scalar else { return false }
        position += 1
        return true
    }

    /// The value of `scalar` as a digit of `radix` (10 or 16).
    static func digitValue(_ scalar: Unicode.Scalar, radix: UInt32) -> UInt32? {
        let value: UInt32
        switch scalar {
        case "0"..."9": value = scalar.value - 0x30
        case "a"..."f": value = scalar.value - 0x61 + 10
        case "A"..."F": value = scalar.value - 0x41 + 10
        default: return nil
        }
        return value < radix ? value : nil
    }

    // MARK: Errors

    /// An error of kind `code` at the scalar with index `index`.
    func error(_ code: GrammarError.Code, _ message: String, at index: Int) -> GrammarError {
        let offset = offsets[index]
        var line = 1, lineStart = 0
        for i in 0..<index where scalars[i] == "\n" {
            line += 1
            lineStart = offsets[i + 1]
        }
        return GrammarError(code, message, at: .offset(offset, line: line, column: offset - lineStart + 1))
    }

    /// Whether `node` is a group the lowering reads with lookaheads inside: a quantified
    /// sequence of lookaheads followed by one character (`((?!a)(?=.b)[a-z]){2,}`).
    static func isRepeatedLookaheadGroup(_ node: RegexAST.Node) -> Bool {
        guard case .quantification(let quantification) = node,
              case .concatenation(let parts) = quantification.child, let last = parts.last, parts.count >= 2,
              parts.dropLast().allSatisfy({ if case .lookahead = $0 { true } else { false } }) else { return false }
        switch last {
        case .customCharacterClass: return true
        case .atom(let atom): return atom != .startOfInput && atom != .endOfInput
        default: return false
        }
    }

    /// Remembers the first unsupported construct, reported once the pattern parses.
    mutating func unsupported(_ message: String, at index: Int) {
        if firstUnsupported == nil { firstUnsupported = error(.unsupportedRegex, message, at: index) }
    }
}

/// The alternatives of one group (or of the whole pattern) as they are read.
private struct AlternationBuilder {
    private var alternatives: [RegexAST.Node] = []
    private var sequence: [RegexAST.Node] = []

    /// Appends `node` to the current alternative.
    mutating func append(_ node: RegexAST.Node) { sequence.append(node) }

    /// Ends the current alternative at a `|`.
    mutating func startAlternative() {
        alternatives.append(Self.concatenation(sequence))
        sequence = []
    }

    /// The alternation read so far.
    var node: RegexAST.Node {
        let last = Self.concatenation(sequence)
        return alternatives.isEmpty ? last : .alternation(alternatives + [last])
    }

    private static func concatenation(_ nodes: [RegexAST.Node]) -> RegexAST.Node {
        switch nodes.count {
        case 0: return .empty
        case 1: return nodes[0]
        default: return .concatenation(nodes)
        }
    }
}
