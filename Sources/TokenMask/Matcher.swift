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
///
/// For grammars with `distinctObjectKeys` (every JSON Schema grammar), the matcher also follows
/// the JSON structure of the output and refuses tokens that would repeat a member name of an
/// object, or after which an object can no longer be completed with distinct names
/// (`ObjectKeyIndex`): masks leave them out, `accept` rejects them. For grammars with
/// `uniqueArrayRules`, it likewise refuses tokens that would repeat an element of a unique
/// array (`UniqueItemsTracker`).
public struct Matcher: Sendable {
    let engine: MaskEngine
    /// The configuration, and the count of its counted region (see `LengthGuards`).
    private var current: CountedState
    private var history: [CountedState] = []
    /// Whether an EOS token was accepted: nothing more is allowed.
    public private(set) var isTerminated = false
    /// The member names of open objects, when they must stay distinct.
    private var keys: JSONKeyTracker?
    /// With `keys`: whether an object can still be completed with distinct names.
    private let objectKeys: ObjectKeyIndex?
    /// The quote tokens each configuration allows, shared by the grammar's matchers (with `keys`
    /// or `elements`).
    private let quoteTokens: QuoteTokenCache?
    /// The elements of open unique arrays, when the grammar has some.
    private var elements: UniqueItemsTracker?
    /// What `elements` reads of the automaton, shared by the grammar's matchers.
    private let uniqueArrays: UniqueArrayIndex?
    /// The output so far, kept only with `keys` or `elements` (a rollback reads it again).
    private var output: [UInt8] = []
    /// `output.count` before each accepted token, kept only with `keys` or `elements`.
    private var outputLengths: [Int] = []

    init(engine: MaskEngine, quoteTokens: QuoteTokenCache?, distinctKeys: Bool, objectKeys: ObjectKeyIndex?, uniqueArrays: UniqueArrayIndex?) {
        self.engine = engine
        self.current = CountedState(config: engine.initial, count: 0)
        self.quoteTokens = quoteTokens
        self.objectKeys = objectKeys
        self.uniqueArrays = uniqueArrays
        if distinctKeys { keys = JSONKeyTracker() }
        if uniqueArrays != nil { elements = UniqueItemsTracker() }
    }

    /// Whether the output is kept (for a tracker to read again after a rollback).
    private var keepsOutput: Bool { keys != nil || elements != nil }

    /// The vocabulary the matcher's grammar was compiled for.
    public var vocabulary: PreparedVocabulary { engine.vocabulary }

    /// An opaque id of the current automaton configuration; equal configurations have equal
    /// masks, except inside a counted string (a `maxLength`/`minLength` above the unrolling
    /// threshold), whose mask also depends on its length so far.
    public var state: Int32 { current.config }

    /// The number of tokens accepted so far (EOS included).
    public var acceptedTokenCount: Int { history.count }

    /// Whether the output so far is a complete document, so EOS is allowed.
    public var canTerminate: Bool { !isTerminated && engine.isAccepting(current.config) }

    /// Writes the mask of allowed tokens into `words` (`(vocabularySize + 31) / 32` words).
    /// After termination nothing is allowed.
    public func fillMask(into words: UnsafeMutableBufferPointer<UInt32>) {
        precondition(words.count >= engine.vocabulary.maskWordCount, "mask buffer too small")
        if isTerminated {
            words.update(repeating: 0)
            return
        }
        let used = UnsafeMutableBufferPointer(rebasing: words[0..<engine.vocabulary.maskWordCount])
        let maskID = engine.fillMask(current, into: used)
        // Both token lists are kept per mask (the configuration, or its count zone), read from
        // the grammar's own mask before any token is cleared.
        let deadEndCandidates = keys.flatMap { keys in
            objectKeys?.candidates(forMask: maskID, config: current.config, keys: keys, mask: used, vocabulary: engine.vocabulary)
        }
        if let keys, keys.mayCompleteKey, let quoteTokens {
            keys.removeRepeatedKeys(from: used, config: maskID, cache: quoteTokens, vocabulary: engine.vocabulary)
        }
        if let keys, let objectKeys, let deadEndCandidates, !deadEndCandidates.isEmpty {
            objectKeys.removeDeadEnds(deadEndCandidates, from: used, config: current.config, keys: keys, vocabulary: engine.vocabulary)
        }
        if let elements, elements.hasOpenUniqueArray, let uniqueArrays {
            elements.removeRepeatedElements(from: used, config: current.config, index: uniqueArrays, quoteTokens: quoteTokens,
                                            vocabulary: engine.vocabulary)
        }
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
        if engine.vocabulary.vocabulary.isEOS(token) { return engine.isAccepting(current.config) }
        return next(after: token, tracking: false) != nil
    }

    /// The state and element tracker after `token` (not EOS), or nil when it is not allowed.
    /// Without `tracking`, the tracker is not advanced (nil) when the token surely repeats no
    /// element. (Grammars with unique arrays have no counted regions: counts stay 0 there.)
    private func next(after token: Int, tracking: Bool = true) -> (state: CountedState, elements: UniqueItemsTracker?)? {
        let next = engine.step(token: token, from: current)
        guard next.config >= 0, !repeatsKey(token), keysCanComplete(after: token) else { return nil }
        guard var elements, let uniqueArrays else { return (next, nil) }
        let bytes = engine.vocabulary.vocabulary.bytes(of: token)
        if !tracking, !elements.hasOpenClosedArray, !elements.mayRepeat(bytes, keyAtStart: nil) { return (next, nil) }
        // The unique arrays' checks may drop parses: read the token byte by byte.
        let checked = elements.consume(bytes, from: current.config, index: uniqueArrays)
        return checked < 0 ? nil : (CountedState(config: checked, count: 0), elements)
    }

    /// Whether `token` would complete a member name its object already has.
    private func repeatsKey(_ token: Int) -> Bool {
        keys?.completesRepeatedKey(engine.vocabulary.vocabulary.bytes(of: token)) ?? false
    }

    /// Whether the object around the end of `token` (which repeats no name) can still be
    /// completed with distinct names (`ObjectKeyIndex`).
    private func keysCanComplete(after token: Int) -> Bool {
        guard let keys, let objectKeys else { return true }
        return objectKeys.canComplete(after: engine.vocabulary.vocabulary.bytes(of: token), from: current.config, keys: keys)
    }

    /// Advances by one token; throws (state unchanged) when it is not allowed.
    public mutating func accept(token: Int) throws(MatcherError) {
        if isTerminated { throw .terminated }
        if engine.vocabulary.vocabulary.isEOS(token) {
            guard engine.isAccepting(current.config) else { throw .tokenRejected(token: token) }
            history.append(current)
            isTerminated = true
            return
        }
        var next: CountedState
        let bytes = engine.vocabulary.vocabulary.bytes(of: token)
        if let uniqueArrays, elements != nil, !elements!.hasOpenClosedArray, !elements!.mayRepeat(bytes, keyAtStart: nil) {
            // No element can repeat: the token reads as the grammar says, and the tracker is
            // advanced in place (a copy would duplicate every open array's set of elements).
            next = engine.step(token: token, from: current)
            guard next.config >= 0, !repeatsKey(token), keysCanComplete(after: token) else { throw .tokenRejected(token: token) }
            var tracker = UniqueItemsTracker()
            swap(&tracker, &elements!)
            next = CountedState(config: tracker.consume(bytes, from: current.config, index: uniqueArrays), count: 0)
            elements = tracker
        } else {
            guard let (checked, trackedElements) = self.next(after: token) else { throw .tokenRejected(token: token) }
            next = checked
            if trackedElements != nil { elements = trackedElements }
        }
        if keepsOutput {
            outputLengths.append(output.count)
            output += bytes
            if let objectKeys, keys != nil {
                _ = objectKeys.advance(&keys!, over: bytes, from: current.config)
            } else {
                _ = keys?.consume(bytes)
            }
        }
        history.append(current)
        current = next
    }

    /// Advances by raw bytes (a prompt prefill or forced text), not counted as tokens; throws
    /// (state unchanged) when they leave the language.
    public mutating func accept(bytes: some Collection<UInt8>) throws(MatcherError) {
        if isTerminated { throw .terminated }
        var c = current
        var tracker = keys
        var elementTracker = elements
        var offset = 0
        for b in bytes {
            let before = c
            if let uniqueArrays, elementTracker != nil {
                c = CountedState(config: elementTracker!.consume(CollectionOfOne(b), from: c.config, index: uniqueArrays), count: 0)
            } else {
                c = engine.run(CollectionOfOne(b), from: c)
            }
            if c.config < 0 { throw .bytesRejected(offset: offset) }
            if tracker != nil {
                let repeats = objectKeys.map { !$0.advance(&tracker!, over: CollectionOfOne(b), from: before.config) }
                    ?? !tracker!.consume(CollectionOfOne(b))
                if repeats { throw .bytesRejected(offset: offset) }
            }
            offset += 1
        }
        if let tracker, let objectKeys, offset > 0,
           !objectKeys.canComplete(at: engine.withSpace { $0.run(bytes, from: current.config) }, keys: tracker) {
            throw .bytesRejected(offset: offset - 1)
        }
        current = c
        keys = tracker
        elements = elementTracker
        if keepsOutput { output += bytes }
    }

    /// Undoes the last `count` accepted tokens.
    public mutating func rollback(tokens count: Int) throws(MatcherError) {
        guard count <= history.count else { throw .rollbackExceeded(requested: count, available: history.count) }
        guard count > 0 else { return }
        current = history[history.count - count]
        history.removeLast(count)
        // An accepted EOS is the last token; it added no bytes and no length entry.
        let textTokens = isTerminated ? count - 1 : count
        isTerminated = false
        if keepsOutput, textTokens > 0 {
            output.removeLast(output.count - outputLengths[outputLengths.count - textTokens])
            outputLengths.removeLast(textTokens)
        }
        if keys != nil {
            if let objectKeys {
                keys = objectKeys.replay(output)
            } else {
                var tracker = JSONKeyTracker()
                _ = tracker.consume(output)
                keys = tracker
            }
        }
        if let uniqueArrays, elements != nil {
            // Reading the output again from the start, token by token as it was accepted (the
            // checks of closed elements run after each token), reaches the same configuration.
            var tracker = UniqueItemsTracker()
            var config = tracker.consume(output[..<(outputLengths.first ?? output.count)], from: engine.initial, index: uniqueArrays)
            for (k, start) in outputLengths.enumerated() {
                let end = k + 1 < outputLengths.count ? outputLengths[k + 1] : output.count
                config = tracker.consume(output[start..<end], from: config, index: uniqueArrays)
            }
            elements = tracker
        }
    }

    /// Returns to the start of the output.
    public mutating func reset() {
        current = CountedState(config: engine.initial, count: 0)
        history.removeAll(keepingCapacity: true)
        isTerminated = false
        if keys != nil { keys = JSONKeyTracker() }
        if elements != nil { elements = UniqueItemsTracker() }
        output.removeAll(keepingCapacity: true)
        outputLengths.removeAll(keepingCapacity: true)
    }

    /// The fewest bytes that complete a valid document from here (0 when it may end now).
    public var shortestCompletionLength: Int { engine.completionLength(current) }

    /// The fewest bytes completing a valid document after `token`, or nil when the token is
    /// not allowed (EOS counts as 0 when allowed).
    public func shortestCompletionLength(after token: Int) -> Int? {
        if isTerminated { return nil }
        if engine.vocabulary.vocabulary.isEOS(token) { return engine.isAccepting(current.config) ? 0 : nil }
        return next(after: token, tracking: false).map { engine.completionLength($0.state) }
    }

    /// The first bytes (at most `limit`) of a shortest valid continuation (empty when the
    /// output may end now): what a decoder can steer toward to finish quickly. Names already
    /// used in an open object and elements already in an open unique array are not looked at,
    /// so a token spelling these bytes may still be left out of the mask.
    public func shortestCompletionPrefix(limit: Int) -> [UInt8] {
        isTerminated ? [] : engine.shortestCompletionPrefix(from: current, limit: limit)
    }

    /// The bytes every valid continuation starts with (empty when there is a choice or the
    /// output may end): a decoder can append them without sampling (jump-forward).
    public func forcedBytes(limit: Int = 256) -> [UInt8] {
        isTerminated ? [] : engine.forcedBytes(from: current.config, limit: limit)
    }
}
