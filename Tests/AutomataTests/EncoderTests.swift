import Foundation
import Testing
import Grammar
@testable import Automata

// MARK: - Hand-made tokenizer.json files

/// A JSON string literal.
private func json(_ text: String) -> String {
    var out = ""
    JSONSerializer.writeString(text, into: &out)
    return out
}

/// A tokenizer.json with a BPE model of `vocab` (piece, id) and `merges`, and the other members
/// as JSON text.
private func tokenizerJSON(
    vocab: [(String, Int)], merges: [(String, String)], normalizer: String = "null", preTokenizer: String = "null",
    added: String = "[]", unknown: String? = nil, byteFallback: Bool = false, ignoreMerges: Bool = false
) -> [UInt8] {
    let vocabText = vocab.map { "\(json($0.0)): \($0.1)" }.joined(separator: ", ")
    let mergesText = merges.map { "[\(json($0.0)), \(json($0.1))]" }.joined(separator: ", ")
    let text = """
        {"version": "1.0", "added_tokens": \(added), "normalizer": \(normalizer), "pre_tokenizer": \(preTokenizer),
         "model": {"type": "BPE", "dropout": null, "unk_token": \(unknown.map(json) ?? "null"), "fuse_unk": true,
                   "byte_fallback": \(byteFallback), "ignore_merges": \(ignoreMerges),
                   "vocab": {\(vocabText)}, "merges": [\(mergesText)]}}
        """
    return Array(text.utf8)
}

/// The character GPT-2's alphabet spells each byte with.
private let byteLevelCharacters: [Character] = {
    var characters = [Character](repeating: " ", count: 256)
    for (scalar, byte) in ByteLevelAlphabet.byteForScalar.enumerated() where byte >= 0 {
        characters[Int(byte)] = Character(Unicode.Scalar(UInt32(scalar))!)
    }
    return characters
}()

/// GPT-2's spelling of `text`'s bytes.
private func byteLevelSpelling(_ text: String) -> String {
    String(text.utf8.map { byteLevelCharacters[Int($0)] })
}

/// A byte-level BPE tokenizer.json: piece `b` (GPT-2's spelling) is byte `b`, then each merge's
/// result and each of `extra` get the next ids.
private func byteLevelTokenizer(
    merges: [(String, String)], preTokenizer: String, extra: [String] = [], added: String = "[]",
    normalizer: String = "null", ignoreMerges: Bool = false
) -> [UInt8] {
    var vocab = byteLevelCharacters.enumerated().map { (String($1), $0) }
    var seen = Set(vocab.map(\.0))
    let spelled = merges.map { (byteLevelSpelling($0.0), byteLevelSpelling($0.1)) }
    for piece in spelled.map({ $0.0 + $0.1 }) + extra.map(byteLevelSpelling) where seen.insert(piece).inserted {
        vocab.append((piece, vocab.count))
    }
    return tokenizerJSON(vocab: vocab, merges: spelled, normalizer: normalizer, preTokenizer: preTokenizer,
                         added: added, ignoreMerges: ignoreMerges)
}

/// A SentencePiece-style tokenizer.json: `<unk>`, `<s>`, `</s>`, the 256 `<0xNN>` pieces, then
/// `pieces` and each merge's result.
private func sentencePieceTokenizer(
    normalizer: String, preTokenizer: String = "null", added: String = "[]", byteFallback: Bool = true
) -> [UInt8] {
    let pieces = ["▁", "h", "e", "l", "o", "w", "r", "d", "é"]
    let merges = [("▁", "h"), ("e", "l"), ("▁h", "el"), ("l", "o"), ("▁hel", "lo"), ("▁", "w"), ("o", "r")]
    var vocab = ["<unk>", "<s>", "</s>"] + (0..<256).map { "<0x" + String($0, radix: 16, uppercase: true).leftPadded(to: 2) + ">" }
    for piece in pieces + merges.map({ $0.0 + $0.1 }) where !vocab.contains(piece) { vocab.append(piece) }
    return tokenizerJSON(vocab: vocab.enumerated().map { ($1, $0) }, merges: merges, normalizer: normalizer,
                         preTokenizer: preTokenizer, added: added, unknown: "<unk>", byteFallback: byteFallback)
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}

/// The merges of the byte-level test tokenizers (text, not yet spelled in GPT-2's alphabet).
private let testMerges = [(" ", "t"), ("h", "e"), (" t", "he"), ("'", "s"), ("a", "t"), (" ", "c"), (" c", "at"),
                          ("!", "!"), ("1", "2"), ("12", "3")]
private let gpt2PreTokenizer = #"{"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": true}"#
private let llama3Pattern = #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
private let llama3PreTokenizer = """
    {"type": "Sequence", "pretokenizers": [
      {"type": "Split", "pattern": {"Regex": \(json(llama3Pattern))}, "behavior": "Isolated", "invert": false},
      {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": false}]}
    """
private let prependAndReplace = #"{"type": "Sequence", "normalizers": [{"type": "Prepend", "prepend": "▁"}, {"type": "Replace", "pattern": {"String": " "}, "content": "▁"}]}"#

/// An added token entry.
private func addedToken(_ id: Int, _ content: String, special: Bool = true, singleWord: Bool = false,
                        lstrip: Bool = false, rstrip: Bool = false, normalized: Bool = false) -> String {
    #"{"id": \#(id), "content": \#(json(content)), "single_word": \#(singleWord), "lstrip": \#(lstrip), "rstrip": \#(rstrip), "normalized": \#(normalized), "special": \#(special)}"#
}

/// The error `body` throws, or nil.
private func encoderError(_ body: () throws(VocabularyError) -> TokenEncoder) -> VocabularyError? {
    do {
        _ = try body()
        return nil
    } catch {
        return error
    }
}

/// Expected ids in these tests come from the Hugging Face `tokenizers` library (0.23) run on the
/// same tokenizer.json, with `encode(text, add_special_tokens=False)`.
@Suite struct EncoderTests {
    @Test(arguments: [
        ("the cat's  hat\n\n x", [116, 257, 262, 259, 32, 32, 104, 260, 10, 10, 32, 120]),
        ("Hello   world!!!", [72, 101, 108, 108, 111, 32, 32, 32, 119, 111, 114, 108, 100, 263, 33]),
        ("it's 1234 ✓", [105, 116, 259, 32, 265, 52, 32, 226, 156, 147]),
        ("", []),
    ])
    func gpt2ByteLevel(_ text: String, _ expected: [Int]) throws {
        let encoder = try TokenEncoder(tokenizerJSON: byteLevelTokenizer(merges: testMerges, preTokenizer: gpt2PreTokenizer))
        #expect(encoder.encode(text) == expected)
    }

    @Test func byteLevelPrefixSpaceGoesBeforeEveryPiece() throws {
        let prefixing = #"{"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": true, "use_regex": true}"#
        let encoder = try TokenEncoder(tokenizerJSON: byteLevelTokenizer(
            merges: testMerges, preTokenizer: prefixing, added: "[\(addedToken(266, "<|end|>"))]"))
        #expect(encoder.encode("the cat<|end|>the") == [258, 262, 266, 258])
        #expect(encoder.encode(" the") == [258])
        let splitFirst = """
            {"type": "Sequence", "pretokenizers": [
              {"type": "Split", "pattern": {"String": "t"}, "behavior": "MergedWithNext", "invert": false},
              {"type": "ByteLevel", "add_prefix_space": true, "use_regex": false}]}
            """
        let sequence = try TokenEncoder(tokenizerJSON: byteLevelTokenizer(merges: testMerges, preTokenizer: splitFirst))
        #expect(sequence.encode("the cat at") == [258, 261, 97, 256, 32, 97, 256])
    }

    @Test func llama3SplitWithIgnoreMerges() throws {
        let file = byteLevelTokenizer(merges: testMerges, preTokenizer: llama3PreTokenizer, extra: ["cats"], ignoreMerges: true)
        let encoder = try TokenEncoder(tokenizerJSON: file)
        #expect(encoder.encode("the cats' CAT'S\r\n\n  12345") == [116, 257, 262, 115, 39, 32, 67, 65, 84, 39, 83, 13, 10, 10, 32, 32, 265, 52, 53])
        // "cats" is a piece no merge reaches: whole only with ignore_merges.
        #expect(encoder.encode("cats cat") == [266, 262])
        let merging = try TokenEncoder(tokenizerJSON: byteLevelTokenizer(merges: testMerges, preTokenizer: llama3PreTokenizer, extra: ["cats"]))
        #expect(merging.encode("cats") == [99, 260, 115])
    }

    @Test func nfcNormalizerComposes() throws {
        let file = byteLevelTokenizer(merges: testMerges, preTokenizer: llama3PreTokenizer, normalizer: #"{"type": "NFC"}"#)
        #expect(try TokenEncoder(tokenizerJSON: file).encode("cafe\u{301} e\u{301}") == [99, 97, 102, 195, 169, 32, 195, 169])
        // Foundation's composition gets the first two wrong. The library normalizes with Unicode
        // 9.0 tables: U+1E94A (9.0) moves before U+0301, U+0EBA (12.0) is a starter that stays.
        let nfc = Normalizer(steps: [.unicode(.nfc)])
        let cases = [("\u{101F29}\u{340}", "\u{101F29}\u{300}"), ("\u{AC00}\u{11B9}", "\u{AC12}"),
                     ("x\u{301}\u{1E94A}", "x\u{1E94A}\u{301}"), ("x\u{301}\u{EBA}\u{316}e\u{301}", "x\u{301}\u{EBA}\u{316}\u{E9}")]
        for (text, composed) in cases {
            let out = Array(text.utf8).withUnsafeBufferPointer { nfc.normalize($0) }
            #expect(out == Array(composed.utf8))
        }
    }

    @Test(arguments: [
        ("hello world", [272, 273, 274, 262, 266]),
        ("hello  wörld ✓", [272, 259, 273, 198, 185, 265, 262, 266, 259, 229, 159, 150]),
        (" hello", [259, 272]),
        ("", []),
    ])
    func sentencePieceWithByteFallback(_ text: String, _ expected: [Int]) throws {
        let encoder = try TokenEncoder(tokenizerJSON: sentencePieceTokenizer(normalizer: prependAndReplace))
        #expect(encoder.encode(text) == expected)
    }

    @Test func unknownCharactersFuseWithoutByteFallback() throws {
        let encoder = try TokenEncoder(tokenizerJSON: sentencePieceTokenizer(normalizer: prependAndReplace, byteFallback: false))
        #expect(encoder.encode("hello ✓✓ wörld") == [272, 259, 0, 273, 0, 265, 262, 266])
    }

    @Test func metaspacePrependsOnlyAtTheStart() throws {
        let file = sentencePieceTokenizer(
            normalizer: "null", preTokenizer: #"{"type": "Metaspace", "replacement": "▁", "prepend_scheme": "first", "split": true}"#,
            added: "[\(addedToken(275, "<x>"))]")
        #expect(try TokenEncoder(tokenizerJSON: file).encode("hello world<x>hello  world")
                == [272, 273, 274, 262, 266, 275, 260, 269, 271, 259, 273, 274, 262, 266])
    }

    @Test func addedTokens() throws {
        let added = [
            addedToken(266, "<|end|>"), addedToken(267, "<tool>", special: false),
            addedToken(268, "<r>", lstrip: true, rstrip: true), addedToken(269, "word", special: false, singleWord: true),
        ]
        let file = byteLevelTokenizer(merges: testMerges, preTokenizer: gpt2PreTokenizer, added: "[\(added.joined(separator: ", "))]")
        let encoder = try TokenEncoder(tokenizerJSON: file)
        #expect(encoder.encode("the<|end|>cat <tool> x  <r>  y word words")
                == [116, 257, 266, 99, 260, 32, 267, 32, 120, 268, 121, 32, 269, 32, 119, 111, 114, 100, 115])
        #expect(encoder.encode("<|end|><|end|>") == [266, 266])
        #expect(encoder.encode("a<|end") == [97, 60, 124, 101, 110, 100])
    }

    @Test func normalizedAddedTokensMatchTheNormalizedText() throws {
        // The token's content is normalized too ("zz" becomes "bzz"), and each run of text
        // between raw added tokens is normalized on its own.
        let file = tokenizerJSON(
            vocab: [("a", 0), ("b", 1), ("ab", 2), ("<unk>", 3), ("zz", 4)], merges: [("a", "b")],
            normalizer: #"{"type": "Prepend", "prepend": "b"}"#,
            added: "[\(addedToken(4, "zz", special: false, normalized: true))]", unknown: "<unk>")
        let encoder = try TokenEncoder(tokenizerJSON: file)
        for (text, expected) in [("azz", [1, 0, 3]), ("bzz", [1, 4]), ("zz", [4]), ("zzab", [4, 2]), ("abzz a", [1, 0, 4, 3, 0])] {
            #expect(encoder.encode(text) == expected, "\(text)")
        }
    }

    @Test func mergeStringsAndPairsAgree() throws {
        let vocab = [("a", 0), ("b", 1), ("ab", 2), ("c", 3), ("abc", 4)]
        let pairs = try TokenEncoder(tokenizerJSON: tokenizerJSON(vocab: vocab, merges: [("a", "b"), ("ab", "c")]))
        let strings = try TokenEncoder(tokenizerJSON: Array("""
            {"model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2, "c": 3, "abc": 4}, "merges": ["#version: 0.2", "a b", "ab c"]}}
            """.utf8))
        #expect(pairs.encode("abcab") == [4, 2])
        #expect(strings.encode("abcab") == [4, 2])
        #expect(strings.encode("cba") == [3, 1, 0])
    }

    @Test func lowerRankMergesFirstAndLeftmostAmongEquals() throws {
        // "b c" outranks "a b": "abc" is a + bc; "aaa" merges its leftmost pair first.
        let vocab = [("a", 0), ("b", 1), ("c", 2), ("ab", 3), ("bc", 4), ("aa", 5)]
        let encoder = try TokenEncoder(tokenizerJSON: tokenizerJSON(vocab: vocab, merges: [("b", "c"), ("a", "b"), ("a", "a")]))
        #expect(encoder.encode("abc") == [0, 4])
        #expect(encoder.encode("aaa") == [5, 0])
        #expect(encoder.encode("abab") == [3, 3])
    }

    @Test(arguments: [
        ("Hello world's   end\n\n  x", ["Hello", " world", "'s", "  ", " end", "\n\n", " ", " x"]),
        ("I'LL 12345 ſ'S", ["I", "'LL", " ", "123", "45", " ſ", "'S"]),
        (" \t\u{A0}x ...!!\r\n", [" \t", "\u{A0}x", " ...!!\r\n"]),
    ])
    func llama3PatternSplits(_ text: String, _ expected: [String]) throws {
        let pattern = try SplitPattern(llama3Pattern)
        var scratch = SplitPattern.Scratch()
        var pieces: [String] = []
        Array(text.utf8).withUnsafeBufferPointer { bytes in
            pattern.forEachMatch(in: bytes, scratch: &scratch) { pieces.append(String(decoding: bytes[$0], as: UTF8.self)) }
        }
        #expect(pieces == expected)
    }

    @Test(arguments: [
        ("\\s+", "Removed", false, ["a--b-c-", "d", "-"]),
        ("-", "MergedWithPrevious", false, ["a-", "-", "b-", "c-", " d -"]),
        ("-", "MergedWithNext", false, ["a", "-", "-b", "-c", "- d ", "-"]),
        ("-", "Contiguous", false, ["a", "--", "b", "-", "c", "-", " d ", "-"]),
        ("-", "Isolated", false, ["a", "-", "-", "b", "-", "c", "-", " d ", "-"]),
        ("\\d+", "Isolated", true, ["a", "12", "cd", "3"]),
    ])
    func splitBehaviors(_ pattern: String, _ behavior: String, _ invert: Bool, _ expected: [String]) throws {
        let step = #"{"type": "Split", "pattern": {"Regex": \#(json(pattern))}, "behavior": "\#(behavior)", "invert": \#(invert)}"#
        let preTokenizer = try PreTokenizer(json: try JSONParser().parse(step))
        var pieces = PreTokenizer.Pieces()
        let text = invert ? "a12cd3" : "a--b-c- d -"
        Array(text.utf8).withUnsafeBufferPointer { preTokenizer.split($0, atStart: true, into: &pieces) }
        #expect(pieces.ranges.map { String(decoding: pieces.bytes[$0], as: UTF8.self) } == expected)
    }

    @Test(arguments: [
        #"^a"#, #"a|"#, #"(a*)*"#, #"(?<=a)b"#, #"\1"#, #"[[:alpha:]]"#, #"\p{Greek}"#, #"a++"#, #"(?!ab)c"#,
    ])
    func unsupportedPatternsAreErrors(_ pattern: String) {
        #expect(throws: VocabularyError.self) { try SplitPattern(pattern) }
    }

    @Test func unsupportedTokenizersAreErrors() throws {
        let vocab = [("a", 0), ("b", 1)]
        let cases: [([UInt8], VocabularyError.Code)] = [
            (tokenizerJSON(vocab: vocab, merges: [], preTokenizer: #"{"type": "Whitespace"}"#), .unsupportedTokenizer),
            (tokenizerJSON(vocab: vocab, merges: [], normalizer: #"{"type": "Lowercase"}"#), .unsupportedTokenizer),
            (tokenizerJSON(vocab: vocab, merges: [("a", "b")]), .invalidToken),
            (Array(#"{"model": {"type": "Unigram", "vocab": [["a", 0.0]]}}"#.utf8), .unsupportedTokenizer),
            (Array(#"{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": ["a b c"]}}"#.utf8), .unexpectedShape),
            (Array(#"{"model": {"type": "BPE", "dropout": 0.1, "vocab": {"a": 0}, "merges": []}}"#.utf8), .unsupportedTokenizer),
            (Array(#"{"added_tokens": []}"#.utf8), .unexpectedShape),
            (Array(#"{"model": "#.utf8), .malformedJSON),
        ]
        for (file, code) in cases {
            let error = encoderError { () throws(VocabularyError) in try TokenEncoder(tokenizerJSON: file) }
            #expect(error?.code == code, "\(String(decoding: file, as: UTF8.self))")
        }
    }

    @Test func contentsOfNeedsATokenizerJSON() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("encoder-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(#"{"id": 0, "bytes_hex": "61", "special": false}"#.utf8).write(to: folder.appendingPathComponent("tokens.jsonl"))
        let list = encoderError { () throws(VocabularyError) in try TokenEncoder(contentsOf: folder.path) }
        #expect(list?.code == .unsupportedTokenizer)
        try Data(tokenizerJSON(vocab: [("a", 0), ("b", 1), ("ab", 2)], merges: [("a", "b")])).write(to: folder.appendingPathComponent("tokenizer.json"))
        #expect(try TokenEncoder(contentsOf: folder.path).encode("abba") == [2, 1, 0])
        let missing = encoderError { () throws(VocabularyError) in try TokenEncoder(contentsOf: folder.path + "/nothing") }
        #expect(missing?.code == .unreadableFile)
    }
}

// MARK: - Real vocabularies

/// The shared real vocabularies and traces, when this machine has them.
private let sharedRoot = "/work/shared"
private let hasSharedData = FileManager.default.fileExists(atPath: sharedRoot + "/vocab/manifest.json")

/// How many traces per vocabulary the trace test checks: `GRAMC_TRACE_SAMPLE` (a number, or
/// `all`), 200 by default.
private let traceSample: Int = {
    let setting = ProcessInfo.processInfo.environment["GRAMC_TRACE_SAMPLE"]
    if setting == "all" { return .max }
    return setting.flatMap { Int($0) } ?? 200
}()

/// Encoders are costly to build (seconds for the largest files in debug builds): each is built
/// once, and different ones in parallel.
private let encoders = EncoderCache()

private final class EncoderCache: @unchecked Sendable {
    /// One vocabulary's encoder, built by the first test that asks.
    private final class Entry: @unchecked Sendable {
        let lock = NSLock()
        var encoder: TokenEncoder?
    }

    private let lock = NSLock()
    private var entries: [String: Entry] = [:]

    func encoder(_ name: String) throws -> TokenEncoder {
        let entry = lock.withLock {
            if let entry = entries[name] { return entry }
            let entry = Entry()
            entries[name] = entry
            return entry
        }
        entry.lock.lock()
        defer { entry.lock.unlock() }
        if let encoder = entry.encoder { return encoder }
        let encoder = try TokenEncoder(contentsOf: sharedRoot + "/vocab/" + name)
        entry.encoder = encoder
        return encoder
    }
}

/// About `count` traces of a trace file, evenly spread: their line numbers, texts and token ids.
private func traces(_ name: String, count: Int) throws -> [(line: Int, text: String, tokens: [Int])] {
    let data = try Data(contentsOf: URL(fileURLWithPath: sharedRoot + "/bench/\(name)/traces-sample.jsonl"))
    let lines = data.split(separator: 0x0A)
    let step = max(1, lines.count / max(1, min(count, lines.count)))
    return try stride(from: 0, to: lines.count, by: step).map { i in
        let value = try JSONParser().parse(bytes: [UInt8](lines[i]))
        let text = try #require(value["text"]?.stringValue)
        let tokens = try #require(value["tokens"]?.arrayValue).compactMap { $0.numberValue?.intValue }
        return (i + 1, text, tokens)
    }
}

@Suite(.enabled(if: hasSharedData, "needs \(sharedRoot)"))
struct RealEncoderTests {
    @Test(arguments: ["llama3", "qwen2.5", "gpt2", "llama2", "mistral-7b-v0.1", "phi-3", "gemma-4"])
    func jsonProbe(_ name: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: sharedRoot + "/vocab/manifest.json"))
        let manifest = try JSONParser().parse(bytes: [UInt8](data))
        let probe = try #require(manifest["json_probe"]?.stringValue)
        let expected = try #require(manifest["vocabularies"]?[name]?["json_probe_ids"]?.arrayValue).compactMap { $0.numberValue?.intValue }
        #expect(try encoders.encoder(name).encode(probe) == expected)
    }

    /// llama.cpp's tokenizer test vectors (from the Hugging Face tokenizer), where a vocabulary has them.
    @Test func llamaCppVectors() throws {
        let base = sharedRoot + "/vocab/phi-3/ggml-vocab-phi-3.gguf"
        let texts = try String(contentsOfFile: base + ".inp", encoding: .utf8).components(separatedBy: "\n__ggml_vocab_test__\n")
        let ids = try String(contentsOfFile: base + ".out", encoding: .utf8).components(separatedBy: "\n")
        #expect(texts.count == 47 && ids.count == 47)
        let encoder = try encoders.encoder("phi-3")
        for (text, line) in zip(texts, ids) {
            #expect(encoder.encode(text) == line.split(separator: " ").compactMap { Int($0) }, "\(text.debugDescription)")
        }
    }

    @Test(arguments: ["llama3", "qwen2.5", "gpt2", "llama2", "gemma-4"])
    func tracesEncodeToTheirTokens(_ name: String) throws {
        let sample = try traces(name, count: traceSample)
        let encoder = try encoders.encoder(name)
        let mismatches = sample.filter { encoder.encode($0.text) != $0.tokens }.map(\.line)
        let matched = sample.count - mismatches.count
        print("\(name): \(matched)/\(sample.count) traces match (\(String(format: "%.2f", Double(matched) / Double(sample.count) * 100))%)")
        #expect(mismatches.isEmpty, "\(name): the traces on lines \(mismatches.prefix(10)) differ")
    }
}
