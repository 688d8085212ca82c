import Foundation
import Testing
import Grammar
import Automata
import TokenMask

/// The decoder-facing runtime: matchers shared across threads, rollback, batch masks,
/// jump-forward tokens, forks, and a decoder loop.
///
/// Run the concurrency test alone under the thread sanitizer with
/// `swift test --sanitize=thread --filter concurrentReplaysMatchSerialReplays`.
@Suite struct RuntimeTests {
    // MARK: Concurrency

    @Test func concurrentReplaysMatchSerialReplays() throws {
        let documents = Fixtures.catalogDocuments(count: 64, seed: 0xC0FFEE)
        let tokenized = try documents.map { try #require(Fixtures.vocabulary.greedyTokens(Array($0.utf8)), "\($0)") }

        // Each run compiles its own grammar, so the concurrent one builds its automaton states
        // and masks while the threads race to them.
        let serialGrammar = try Fixtures.compile(.catalog)
        let serial = try tokenized.map { try Fixtures.replay($0, on: serialGrammar) }

        let sharedGrammar = try Fixtures.compile(.catalog)
        let results = ReplayResults(count: tokenized.count)
        let threads = 8
        let group = DispatchGroup()
        for worker in 0..<threads {
            group.enter()
            Thread {
                for document in stride(from: worker, to: tokenized.count, by: threads) {
                    results.store(Result { try Fixtures.replay(tokenized[document], on: sharedGrammar) }, at: document)
                }
                group.leave()
            }.start()
        }
        group.wait()

        let concurrent = try results.collected()
        #expect(concurrent.count == serial.count)
        for (document, (a, b)) in zip(serial, concurrent).enumerated() {
            #expect(a == b, "document \(document) replayed differently on several threads")
        }
        // The replays visited many states, each ending in a document the grammar accepts.
        #expect(serial.allSatisfy { $0.last?.canTerminate == true })
        #expect(Set(serial.joined().map(\.mask)).count > 50)
    }

    // MARK: Rollback

    @Test(arguments: [Fixtures.Schema.catalog, .tree, .arithmetic])
    func rollbackMatchesFreshReplay(_ schema: Fixtures.Schema) throws {
        let grammar = try Fixtures.compile(schema)
        let eos = try #require(Fixtures.vocabulary.vocabulary.eosTokens.first)
        var sawTermination = false, sawDeepRollback = false
        for seed in 1...3 as ClosedRange<UInt64> {
            var random = SplitMix64(seed: seed << 32 ^ Fixtures.fnv1a(schema.rawValue.utf8.map(UInt32.init)))
            var matcher = grammar.makeMatcher()
            var accepted: [Int] = []
            for step in 0..<300 {
                let roll = random.next() % 64
                if !accepted.isEmpty, matcher.isTerminated || roll < 12 {
                    let count = 1 + Int(random.next() % UInt64(min(4, accepted.count)))
                    try matcher.rollback(tokens: count)
                    accepted.removeLast(count)
                    sawDeepRollback = sawDeepRollback || count > 1
                } else if roll == 12 {
                    matcher.reset()
                    accepted.removeAll()
                } else {
                    let allowed = matcher.mask().allowedTokens
                    try #require(!allowed.isEmpty, "dead end at step \(step)")
                    // A random token, or the one closest to a complete document, more and more
                    // often as the walk goes on: walks also end (EOS) and roll back from there.
                    let token = Int(random.next() % 300) >= step
                        ? allowed[Int(random.next() % UInt64(allowed.count))]
                        : allowed.min { matcher.shortestCompletionLength(after: $0)! < matcher.shortestCompletionLength(after: $1)! }!
                    try matcher.accept(token: token)
                    accepted.append(token)
                    sawTermination = sawTermination || token == eos
                }

                var fresh = grammar.makeMatcher()
                for token in accepted { try fresh.accept(token: token) }
                try #require(matcher.mask() == fresh.mask(), "seed \(seed), step \(step): mask differs from a fresh replay")
                try #require(matcher.state == fresh.state)
                try #require(matcher.acceptedTokenCount == accepted.count)
                try #require(matcher.isTerminated == fresh.isTerminated)
                try #require(matcher.canTerminate == fresh.canTerminate)
            }
        }
        #expect(sawTermination && sawDeepRollback)
    }

    @Test func rollbackPastEverythingAcceptedThrows() throws {
        var matcher = try Fixtures.compile(.catalog).makeMatcher()
        try matcher.accept(token: Fixtures.id("{\""))
        #expect(throws: MatcherError.rollbackExceeded(requested: 2, available: 1)) { try matcher.rollback(tokens: 2) }
        #expect(matcher.acceptedTokenCount == 1)
    }

    // MARK: Batch masks

    @Test(arguments: [true, false])
    func batchMasksEqualMatcherMasks(parallel: Bool) throws {
        let catalog = try Fixtures.compile(.catalog), tree = try Fixtures.compile(.tree)
        let eos = try #require(Fixtures.vocabulary.vocabulary.eosTokens.first)
        // Matchers of two grammars at every point of their documents, terminated ones included.
        var matchers: [Matcher] = []
        for (grammar, documents) in [(catalog, Fixtures.catalogDocuments(count: 48, seed: 7)), (tree, Fixtures.treeDocuments(count: 32, seed: 8))] {
            for document in documents {
                var matcher = grammar.makeMatcher()
                matchers.append(matcher)
                for token in try #require(Fixtures.vocabulary.greedyTokens(Array(document.utf8))) {
                    try matcher.accept(token: token)
                    matchers.append(matcher)
                }
                try matcher.accept(token: eos)
                matchers.append(matcher)
            }
        }
        let maskWords = Fixtures.vocabulary.maskWordCount
        // Rows wider than the mask (model logits padded past the vocabulary): the padding
        // must come back zero. The first batch is large enough to be split across cores.
        let paddedRow = maskWords + 600
        for (batch, wordsPerRow) in [(matchers, paddedRow), (Array(matchers.prefix(3)), maskWords), ([], maskWords)] {
            var words = [UInt32](repeating: 0xDEAD_BEEF, count: batch.count * wordsPerRow + 1)
            words.withUnsafeMutableBufferPointer {
                BatchMasking.fillMasks(batch, into: $0, wordsPerRow: wordsPerRow, parallel: parallel)
            }
            let mismatch = batch.indices.first { row in
                let expected = batch[row].mask().words + repeatElement(0, count: wordsPerRow - maskWords)
                return !words[row * wordsPerRow ..< (row + 1) * wordsPerRow].elementsEqual(expected)
            }
            #expect(mismatch == nil, "row \(mismatch ?? -1) of \(batch.count) differs from its matcher's mask")
            #expect(words.last == 0xDEAD_BEEF, "wrote past the batch")
        }
        #expect(matchers.count * paddedRow >= 2 << 20, "the batch should be large enough to be split")
    }

    // MARK: Forced tokens

    @Test func forcedTokensKeepBoundariesNoTokenCrosses() throws {
        let pieces = ["{\"", "name", "\":", "\":[", "1", "\"", "x"]
        let v = Fixtures.smallVocabulary(pieces)
        // `{"name":` then `"x"` or `1`: forced `{"name":`; `":[` starts with the last token
        // but the grammar never allows `[` after it.
        let g = try CompiledGrammar(Grammar(.concat([.text("{\"name\":"), .choice([.text("\"x\""), .text("1")])])), vocabulary: v)
        var m = g.makeMatcher()
        let ids = Fixtures.ids(["{\"", "name", "\":"], in: v)
        #expect(m.forcedTokens() == ids)
        #expect(m.forcedTokens(maxTokens: 2) == Array(ids.prefix(2)))
        #expect(m.forcedTokens(maxTokens: 0) == [])
        for token in m.forcedTokens() { try m.accept(token: token) }
        #expect(m.forcedBytes().isEmpty)
        #expect(m.forcedTokens() == [])
        #expect(m.mask().allowedTokens == Fixtures.ids(["1", "\""], in: v).sorted())
    }

    @Test func forcedTokensDropTheTokenALongerTokenCrosses() throws {
        // `":"` = the last forced token + the `"` the grammar allows next: forcing `":` would
        // split `":"` in two, so it is left for sampling.
        let v = Fixtures.smallVocabulary(["{\"", "name", "\":", "\":\"", "1", "\"", "x"])
        let g = try CompiledGrammar(Grammar(.concat([.text("{\"name\":"), .choice([.text("\"x\""), .text("1")])])), vocabulary: v)
        var m = g.makeMatcher()
        #expect(m.forcedBytes() == Array("{\"name\":".utf8))
        #expect(m.forcedTokens() == Fixtures.ids(["{\"", "name"], in: v))
        for token in m.forcedTokens() { try m.accept(token: token) }
        #expect(m.canAccept(token: Fixtures.ids(["\":\""], in: v)[0]))
    }

    @Test func forcedTokensDropEveryTokenACrossingTokenOverlaps() throws {
        // `me":"` starts inside `name` and runs past the forced bytes: only `{"` is safe.
        let v = Fixtures.smallVocabulary(["{\"", "name", "\":", "me\":\"", "1", "\"", "x"])
        let g = try CompiledGrammar(Grammar(.concat([.text("{\"name\":"), .choice([.text("\"x\""), .text("1")])])), vocabulary: v)
        #expect(g.makeMatcher().forcedTokens() == Fixtures.ids(["{\""], in: v))
    }

    @Test func forcedTokensOnASchema() throws {
        // Compact JSON: the document starts `{"id":` (an integer follows), and after the id's
        // comma the grammar forces `"name":"` (the name is a required string).
        let g = try Fixtures.compile(.compactCatalog)
        var m = g.makeMatcher()
        #expect(m.forcedTokens() == Fixtures.ids(["{\"", "id", "\":"], in: Fixtures.vocabulary))
        for token in m.forcedTokens() { try m.accept(token: token) }
        try m.accept(token: Fixtures.id("42"))
        #expect(m.forcedTokens() == [])                    // a digit, `.`, `e` or `,` may follow
        try m.accept(token: Fixtures.id(","))
        // Forced `"name":"` is a single token, but its last byte could also start `",` (an
        // empty name), so no token is forced.
        #expect(m.forcedBytes() == Array("\"name\":\"".utf8))
        #expect(m.forcedTokens() == [])
        #expect(m.mask().contains(Fixtures.id("\"name\":\"")))
        var done = g.makeMatcher()
        for token in try #require(Fixtures.vocabulary.greedyTokens(Array(#"{"id":1,"name":"","owner":{"name":"","active":true},"items":[]}"#.utf8))) {
            try done.accept(token: token)
        }
        try done.accept(token: Fixtures.vocabulary.vocabulary.eosTokens[0])
        #expect(done.isTerminated && done.forcedTokens() == [])
    }

    // MARK: Forks

    @Test func copyingForksTheMatcher() throws {
        let g = try Fixtures.compile(.catalog)
        let document = #"{"id":7,"name":"Bo","owner":{"name":"x","active":false},"items":[]}"#
        let tokens = try #require(Fixtures.vocabulary.greedyTokens(Array(document.utf8)))
        var original = g.makeMatcher()
        for token in tokens.prefix(6) { try original.accept(token: token) }
        let mask = original.mask(), state = original.state

        var fork = original
        for token in tokens[6..<12] { try fork.accept(token: token) }
        #expect(fork.mask() != mask)
        #expect(original.mask() == mask && original.state == state && original.acceptedTokenCount == 6)

        // The fork keeps the shared history: it rolls back past the fork point on its own.
        try fork.rollback(tokens: 9)
        var replay = g.makeMatcher()
        for token in tokens.prefix(3) { try replay.accept(token: token) }
        #expect(fork.mask() == replay.mask() && fork.acceptedTokenCount == 3)
        #expect(original.mask() == mask && original.acceptedTokenCount == 6)

        // And the original advances without moving the fork.
        try original.accept(token: tokens[6])
        #expect(fork.mask() == replay.mask())
    }

    // MARK: Decoder loop

    /// The README's decoder loop: mask the logits, sample, accept, jump forward, stop on EOS.
    @Test func decoderLoopExample() throws {
        let vocabulary = Fixtures.vocabulary
        var model = FakeModel(vocabularySize: vocabulary.size, seed: 2024)

        // --- README snippet ---
        // Compile once per schema and vocabulary; share it across requests and threads.
        let schema = try JSONValue(parsing: """
            {"type": "object",
             "properties": {"name": {"type": "string", "maxLength": 12},
                            "age": {"type": "integer", "minimum": 0, "maximum": 120},
                            "tags": {"type": "array", "items": {"enum": ["red", "green", "blue"]}, "maxItems": 3}},
             "required": ["name", "age", "tags"], "additionalProperties": false}
            """)
        let grammar = try JSONSchemaCompiler(options: .init(whitespace: .compact)).compile(schema).grammar
        let compiled = try CompiledGrammar(grammar, vocabulary: vocabulary)

        var matcher = compiled.makeMatcher()       // one per sequence; copying forks it
        var output: [Int] = []
        let maxNewTokens = 256
        while output.count < maxNewTokens {
            // Jump forward: tokens the grammar forces need no sampling; feed them as a prefill.
            for token in matcher.forcedTokens() {
                try matcher.accept(token: token)
                output.append(token)
            }
            var logits = model.forward(output)     // the model's next-token logits
            matcher.mask().apply(to: &logits)      // disallowed tokens get -infinity
            let token = logits.indices.max { logits[$0] < logits[$1] }!   // greedy; any sampler works
            try matcher.accept(token: token)
            if vocabulary.vocabulary.isEOS(token) { break }
            output.append(token)
        }
        let text = String(decoding: output.flatMap { vocabulary.vocabulary.bytes(of: $0) }, as: UTF8.self)
        // --- end of snippet ---

        #expect(matcher.isTerminated, "stopped without EOS: \(text)")
        let document = try JSONValue(parsing: text)
        #expect(document.objectValue?.keys == ["name", "age", "tags"])
        #expect((document["name"]?.stringValue?.count ?? 99) <= 12)
        let age = try #require(document["age"]?.numberValue?.doubleValue)
        #expect((0...120).contains(age))
        #expect(document["tags"]?.arrayValue?.allSatisfy { ["red", "green", "blue"].contains($0.stringValue ?? "") } == true)
        #expect(model.calls > 3 && model.calls < output.count, "jump-forward should have saved forward passes")
    }
}

// MARK: - Fixtures

/// Thread-safe storage for the concurrent replays' results, behind an `NSLock` (a pthread mutex,
/// which the thread sanitizer intercepts; with `Synchronization.Mutex`, whose contended path
/// waits in a futex the sanitizer does not model, it reported the stores as a race).
private final class ReplayResults: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<[RuntimeTests.Step], any Error>?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func store(_ result: Result<[RuntimeTests.Step], any Error>, at index: Int) {
        lock.withLock { slots[index] = result }
    }

    func collected() throws -> [[RuntimeTests.Step]] {
        try lock.withLock { try slots.map { try #require($0).get() } }
    }
}

extension RuntimeTests {
    /// What a replay observes before each token (and once after the last).
    struct Step: Hashable, Sendable {
        var mask: UInt64
        var canTerminate: Bool
        var shortestCompletion: Int
        var forced: [Int]
    }


    /// Stands in for a language model: pseudo-random logits, and a count of forward passes.
    struct FakeModel {
        let vocabularySize: Int
        var random: SplitMix64
        private(set) var calls = 0

        init(vocabularySize: Int, seed: UInt64) {
            self.vocabularySize = vocabularySize
            random = SplitMix64(seed: seed)
        }

        mutating func forward(_ tokens: [Int]) -> [Float] {
            calls += 1
            return (0..<vocabularySize).map { _ in Float(random.next() >> 40) / Float(1 << 24) }
        }
    }

    enum Fixtures {
        enum Schema: String, Sendable, CustomTestStringConvertible {
            case catalog, compactCatalog, tree, arithmetic
            var testDescription: String { rawValue }
        }

        /// Every single byte, common JSON pieces, keys, digit pairs and a few words and
        /// multi-byte characters; the last id is EOS.
        static let vocabulary: PreparedVocabulary = {
            var pieces = [
                "{\"", "\"}", "\":", "\":\"", "\",\"", "\",", ",\"", "},", "},{", "[{", "}]", "]}", "[]", "{}",
                "[\"", "\"]", "\"],", "}}", "]]", "\":[", "\":{", "\":[{", "\": ", ", ", "{\n", "\n}", "  ",
                "    ", "\n  ", "\n    ", "\\\"", "\\n", "\\\\", "\\u00",
                "true", "false", "null", "tr", "ue", "fa", "lse", "nu", "ll",
                "id", "name", "tags", "owner", "active", "items", "sku", "qty", "note", "value", "children",
                "\"id\":", "\"name\":\"", "\"tags\":[", "\"owner\":{", "\"items\":[", "\"sku\":\"", "\"qty\":",
                "\"value\":", "\"children\":[", "na", "me", "age", "ch", "il", "dr", "en", "ren", "val",
                "100", "000", ".0", "e+", "e-", "-1", "the", "and", "in", "on", "er", "es", "an", "re", "st",
                "ing", "ion", "Al", "Bo", "Ca", " the", " a", "red", "green", "blue", "é", "ü", "€", "日本",
            ]
            pieces += (0..<100).map { String(format: "%02d", $0) }
            var tokens = (0...255).map { [UInt8($0)] }
            tokens += pieces.map { Array($0.utf8) }
            tokens.append(Array("<eos>".utf8))
            return PreparedVocabulary(Vocabulary(tokens: tokens, special: [tokens.count - 1], eos: [tokens.count - 1]))
        }()

        /// A vocabulary of `pieces`, every ASCII byte, and EOS.
        static func smallVocabulary(_ pieces: [String]) -> PreparedVocabulary {
            var tokens = pieces.map { Array($0.utf8) }
            tokens += (32...126).map { [UInt8($0)] }.filter { !tokens.contains($0) }
            tokens.append(Array("<eos>".utf8))
            return PreparedVocabulary(Vocabulary(tokens: tokens, special: [tokens.count - 1], eos: [tokens.count - 1]))
        }

        static func ids(_ pieces: [String], in v: PreparedVocabulary) -> [Int] {
            pieces.map { piece in
                (0..<v.vocabulary.definedCount).first { v.vocabulary.bytes(of: $0).elementsEqual(piece.utf8) }!
            }
        }

        static func id(_ piece: String) -> Int { ids([piece], in: vocabulary)[0] }

        static let catalogSchema = """
            {"type": "object",
             "properties": {
               "id": {"type": "integer", "minimum": 0},
               "name": {"type": "string", "maxLength": 16},
               "tags": {"type": "array", "items": {"type": "string", "maxLength": 8}, "maxItems": 4},
               "owner": {"type": "object",
                         "properties": {"name": {"type": "string"}, "active": {"type": "boolean"}},
                         "required": ["name", "active"], "additionalProperties": false},
               "items": {"type": "array",
                         "items": {"type": "object",
                                   "properties": {"sku": {"type": "string", "pattern": "^[A-Z]{2}[0-9]{3}$"},
                                                  "qty": {"type": "integer", "minimum": 1},
                                                  "note": {"type": ["string", "null"]}},
                                   "required": ["sku", "qty"], "additionalProperties": false}}},
             "required": ["id", "name", "owner", "items"], "additionalProperties": false}
            """

        static let treeSchema = """
            {"$defs": {"node": {"type": "object",
                                "properties": {"value": {"type": "integer"},
                                               "children": {"type": "array", "items": {"$ref": "#/$defs/node"}}},
                                "required": ["value"], "additionalProperties": false}},
             "$ref": "#/$defs/node"}
            """

        static func compile(_ schema: Schema) throws -> CompiledGrammar {
            let grammar: Grammar
            switch schema {
            case .catalog: grammar = try Grammar(jsonSchema: JSONValue(parsing: catalogSchema))
            case .compactCatalog: grammar = try Grammar(jsonSchema: JSONValue(parsing: catalogSchema), options: .init(whitespace: .compact))
            case .tree: grammar = try Grammar(jsonSchema: JSONValue(parsing: treeSchema))
            case .arithmetic:
                // e ::= "(" e (" + " | "*") e ")" | "-"? [0-9]+
                grammar = Grammar(rules: [
                    .init(name: "e", body: .choice([
                        .concat([.text("("), .ruleReference("e"), .choice([.text(" + "), .text("*")]), .ruleReference("e"), .text(")")]),
                        .concat([.optional(.text("-")), .oneOrMore(.byteClass([48...57]))]),
                    ])),
                ], root: "e")
            }
            return try CompiledGrammar(grammar, vocabulary: vocabulary)
        }

        /// Replays `tokens` from the start, recording what the matcher shows before each one,
        /// and at the end; the replay must be accepted.
        static func replay(_ tokens: [Int], on grammar: CompiledGrammar) throws -> [Step] {
            var matcher = grammar.makeMatcher()
            var words = [UInt32](repeating: 0, count: vocabulary.maskWordCount)
            var steps: [Step] = []
            steps.reserveCapacity(tokens.count + 1)
            for index in 0...tokens.count {
                words.withUnsafeMutableBufferPointer { matcher.fillMask(into: $0) }
                steps.append(Step(mask: fnv1a(words), canTerminate: matcher.canTerminate,
                                  shortestCompletion: matcher.shortestCompletionLength, forced: matcher.forcedTokens()))
                if index < tokens.count { try matcher.accept(token: tokens[index]) }
            }
            return steps
        }

        static func fnv1a(_ words: [UInt32]) -> UInt64 {
            words.reduce(0xCBF2_9CE4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }
        }

        /// `count` documents of the catalog schema, compact and spaced, with escapes and
        /// multi-byte characters in their strings.
        static func catalogDocuments(count: Int, seed: UInt64) -> [String] {
            var random = SplitMix64(seed: seed)
            func pick<T>(_ options: [T]) -> T { options[Int(random.next() % UInt64(options.count))] }
            func text(syllables: ClosedRange<Int>) -> JSONValue {
                let n = syllables.lowerBound + Int(random.next() % UInt64(syllables.count))
                return .string((0..<n).map { _ in pick(["Al", "Bo", "na", "me", "the", "x", "Z", "é", "ü", "€", " ", "\"", "\\", "\n", "-"]) }.joined())
            }
            func number(_ range: ClosedRange<Int>) -> JSONValue {
                .number(JSONNumber(range.lowerBound + Int(random.next() % UInt64(range.count))))
            }
            return (0..<count).map { index in
                let items: [JSONValue] = (0..<Int(random.next() % 4)).map { _ in
                    let letters = (0..<2).map { _ in pick(Array("ABCXYZ")) }
                    var item = JSONObject([("sku", .string(String(letters) + String(format: "%03d", random.next() % 1000))), ("qty", number(1...999))])
                    switch random.next() % 3 {
                    case 0: item["note"] = .null
                    case 1: item["note"] = text(syllables: 0...3)
                    default: break
                    }
                    return .object(item)
                }
                var document = JSONObject([("id", number(0...99_999)), ("name", text(syllables: 0...5))])
                if random.next() % 2 == 0 { document["tags"] = .array((0..<Int(random.next() % 5)).map { _ in text(syllables: 0...2) }) }
                document["owner"] = .object(JSONObject([("name", text(syllables: 1...4)), ("active", .bool(random.next() % 2 == 0))]))
                document["items"] = .array(items)
                return (index % 2 == 0 ? JSONSerializer.compact : .spaced).serialize(.object(document))
            }
        }

        /// `count` trees of the tree schema, up to four levels deep.
        static func treeDocuments(count: Int, seed: UInt64) -> [String] {
            var random = SplitMix64(seed: seed)
            func node(depth: Int) -> JSONValue {
                var object = JSONObject([("value", .number(JSONNumber(Int(random.next() % 2001) - 1000)))])
                if depth < 4, random.next() % 3 != 0 {
                    object["children"] = .array((0..<Int(random.next() % 3)).map { _ in node(depth: depth + 1) })
                }
                return .object(object)
            }
            return (0..<count).map { _ in JSONSerializer.compact.serialize(node(depth: 0)) }
        }
    }
}
