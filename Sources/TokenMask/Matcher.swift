import Automata

/// Why a matcher refused a call.
public enum MatcherError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The token is not allowed here (the state is unchanged).
    case tokenRejected(token: Int)
    /// The bytes leave the language at this offset (the state is unchanged).
    case bytesRejected(offset: Int)
    /// The matcher already accepted an EOS token.
    case terminated
    /// More tokens to roll back than were accepted.
    case rollbackExceeded(requested: Int, available: Int)

    public var description: String {
        switch self {
        case .tokenRejected(let t): return "token \(t) is not allowed here"
        case .bytesRejected(let o): return "the text leaves the language at byte \(o)"
        case .terminated: return "the matcher has already accepted an end-of-sequence token"
        case .rollbackExceeded(let r, let a): return "cannot roll back \(r) tokens: only \(a) accepted"
        }
    }
}

/// The state of one output being generated: cheap to copy (copying forks it), `Sendable`.
///
/// Each step, ask for the mask of allowed tokens (`fillMask(into:)`), sample a token, then
/// `accept(token:)` it. `rollback(tokens:)` undoes accepted tokens, for speculative decoding.
public struct Matcher: Sendable {
    let engine: MaskEngine
    private var config: Int32
    private var history: [Int32] = []
    /// Whether an EOS token was accepted: nothing more is allowed.
    public private(set) var isTerminated = false

    init(engine: MaskEngine) {
        self.engine = engine
        self.config = engine.initial
    }

    /// The vocabulary the matcher's grammar was compiled for.
    public var vocabulary: PreparedVocabulary { engine.vocabulary }

    /// An opaque id of the current automaton state; equal states have equal masks.
    public var state: Int32 { config }

    /// The number of tokens accepted so far (EOS included).
    public var acceptedTokenCount: Int { history.count }

    /// Whether the output so far is a complete document, so EOS is allowed.
    public var canTerminate: Bool { !isTerminated && engine.isAccepting(config) }

    /// Writes the mask of allowed tokens into `words` (`(vocabularySize + 31) / 32` words).
    /// After termination nothing is allowed.
    public func fillMask(into words: UnsafeMutableBufferPointer<UInt32>) {
        precondition(words.count >= engine.vocabulary.maskWordCount, "mask buffer too small")
        if isTerminated {
            words.update(repeating: 0)
            return
        }
        engine.fillMask(config, into: UnsafeMutableBufferPointer(rebasing: words[0..<engine.vocabulary.maskWordCount]))
    }

    /// The mask of allowed tokens.
    public func mask() -> TokenBitmask {
        var mask = TokenBitmask(size: engine.vocabulary.size)
        mask.words.withUnsafeMutableBufferPointer { fillMask(into: $0) }
        return mask
    }

    /// Whether `token` is allowed now.
    public func canAccept(token: Int) -> Bool {
        if isTerminated { return false }
        if engine.vocabulary.vocabulary.isEOS(token) { return engine.isAccepting(config) }
        return engine.step(token: token, from: config) >= 0
    }

    /// Advances by one token; throws (state unchanged) when it is not allowed.
    public mutating func accept(token: Int) throws(MatcherError) {
        if isTerminated { throw .terminated }
        if engine.vocabulary.vocabulary.isEOS(token) {
            guard engine.isAccepting(config) else { throw .tokenRejected(token: token) }
            history.append(config)
            isTerminated = true
            return
        }
        let next = engine.step(token: token, from: config)
        guard next >= 0 else { throw .tokenRejected(token: token) }
        history.append(config)
        config = next
    }

    /// Advances by raw bytes (a prompt prefill or forced text), not counted as tokens; throws
    /// (state unchanged) when they leave the language.
    public mutating func accept(bytes: some Collection<UInt8>) throws(MatcherError) {
        if isTerminated { throw .terminated }
        var c = config
        var offset = 0
        for b in bytes {
            c = engine.run(CollectionOfOne(b), from: c)
            if c < 0 { throw .bytesRejected(offset: offset) }
            offset += 1
        }
        config = c
    }

    /// Undoes the last `count` accepted tokens.
    public mutating func rollback(tokens count: Int) throws(MatcherError) {
        guard count <= history.count else { throw .rollbackExceeded(requested: count, available: history.count) }
        guard count > 0 else { return }
        config = history[history.count - count]
        history.removeLast(count)
        isTerminated = false
    }

    /// Returns to the start of the output.
    public mutating func reset() {
        config = engine.initial
        history.removeAll(keepingCapacity: true)
        isTerminated = false
    }

    /// The fewest bytes that complete a valid document from here (0 when it may end now).
    public var shortestCompletionLength: Int { engine.completionLength(config) }

    /// The fewest bytes completing a valid document after `token`, or nil when the token is
    /// not allowed (EOS counts as 0 when allowed).
    public func shortestCompletionLength(after token: Int) -> Int? {
        if isTerminated { return nil }
        if engine.vocabulary.vocabulary.isEOS(token) { return engine.isAccepting(config) ? 0 : nil }
        let next = engine.step(token: token, from: config)
        return next < 0 ? nil : engine.completionLength(next)
    }

    /// The bytes every valid continuation starts with (empty when there is a choice or the
    /// output may end): a decoder can append them without sampling (jump-forward).
    public func forcedBytes(limit: Int = 256) -> [UInt8] {
        isTerminated ? [] : engine.forcedBytes(from: config, limit: limit)
    }
}
