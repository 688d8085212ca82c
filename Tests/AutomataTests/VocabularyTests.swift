import Foundation
import Testing
import Grammar
@testable import Automata

/// The bytes of a UTF-8 string.
private func utf8(_ s: String) -> [UInt8] { Array(s.utf8) }

/// Every token of `v` as (bytes, special), in id order.
private func tokens(_ v: Vocabulary) -> [([UInt8], Bool)] {
    (0..<v.definedCount).map { (Array(v.bytes(of: $0)), v.isSpecial($0)) }
}

/// A fresh temporary folder holding `files` (name → text).
private func temporaryFolder(_ files: [String: String]) throws -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vocab-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    for (name, text) in files {
        try Data(text.utf8).write(to: folder.appendingPathComponent(name))
    }
    return folder.path
}

/// The error `body` throws, or nil.
private func vocabularyError(_ body: () throws(VocabularyError) -> Vocabulary) -> VocabularyError? {
    do {
        _ = try body()
        return nil
    } catch {
        return error
    }
}

@Suite struct VocabularyTests {
    // MARK: tokenizer.json forms

    @Test func byteLevelBPE() throws {
        let json = #"""
        {
          "version": "1.0",
          "added_tokens": [
            {"id": 6, "content": "<|endoftext|>", "special": true, "normalized": false},
            {"id": 7, "content": "<tool_call>", "special": false}
          ],
          "pre_tokenizer": {"type": "Sequence", "pretokenizers": [{"type": "Split"}, {"type": "ByteLevel", "add_prefix_space": false}]},
          "decoder": {"type": "ByteLevel"},
          "model": {
            "type": "BPE", "dropout": null, "unk_token": null, "byte_fallback": false,
            "continuing_subword_prefix": "", "end_of_word_suffix": "",
            "vocab": {"!": 0, "Ġ": 1, "Ġhello": 2, "Ċ": 3, "Ã©": 4, "\u00e2\u0122": 5},
            "merges": ["Ġ h", ["Ġh", "ello"]]
          }
        }
        """#
        let v = try Vocabulary(tokenizerJSON: utf8(json))
        #expect(v.kind == .byteLevelBPE)
        #expect(v.size == 8)
        let expected: [([UInt8], Bool)] = [
            ([0x21], false), ([0x20], false), (utf8(" hello"), false), ([0x0A], false),
            (utf8("é"), false), ([0xE2, 0x80], false), (utf8("<|endoftext|>"), true), (utf8("<tool_call>"), false),
        ]
        #expect(tokens(v).elementsEqual(expected) { $0.0 == $1.0 && $0.1 == $1.1 })
        #expect(v.eosTokens == [6])
    }

    @Test func byteLevelAlphabetCoversEveryByteOnce() {
        var seen = Set<Int16>()
        for scalar in 0..<ByteLevelAlphabet.byteForScalar.count where ByteLevelAlphabet.byteForScalar[scalar] >= 0 {
            seen.insert(ByteLevelAlphabet.byteForScalar[scalar])
        }
        #expect(seen.count == 256)
        // U+0120 'Ġ' is the space, U+0143 'Ń' the last (0xAD, soft hyphen).
        #expect(ByteLevelAlphabet.byteForScalar[0x120] == 0x20)
        #expect(ByteLevelAlphabet.byteForScalar[0x143] == 0xAD)
    }

    @Test func sentencePieceBPEWithByteFallback() throws {
        let json = #"""
        {"added_tokens": [
            {"id": 0, "content": "<unk>", "special": true},
            {"id": 1, "content": "<s>", "special": true},
            {"id": 2, "content": "</s>", "special": false}],
         "normalizer": {"type": "Sequence", "normalizers": [{"type": "Prepend", "prepend": "▁"}]},
         "pre_tokenizer": null,
         "decoder": {"type": "Sequence", "decoders": [{"type": "Replace"}, {"type": "ByteFallback"}, {"type": "Fuse"}]},
         "model": {"type": "BPE", "byte_fallback": true, "unk_token": "<unk>",
                   "vocab": {"<unk>": 0, "<s>": 1, "</s>": 2, "<0x0A>": 3, "<0xFF>": 4, "▁hello": 5, "▁": 6, "<0xZZ>": 7, "a▁b": 8},
                   "merges": []}}
        """#
        let v = try Vocabulary(tokenizerJSON: utf8(json))
        #expect(v.kind == .sentencePieceBPE)
        let expected: [([UInt8], Bool)] = [
            (utf8("<unk>"), true), (utf8("<s>"), true), (utf8("</s>"), true), ([0x0A], false), ([0xFF], false),
            (utf8(" hello"), false), ([0x20], false), (utf8("<0xZZ>"), false), (utf8("a b"), false),
        ]
        #expect(tokens(v).elementsEqual(expected) { $0.0 == $1.0 && $0.1 == $1.1 })
        // `</s>` is a SentencePiece control piece, so special although added_tokens says otherwise.
        #expect(v.eosTokens == [2])
    }

    @Test func byteFallbackPiecesStayTextWithoutByteFallback() throws {
        let json = #"{"model": {"type": "BPE", "vocab": {"<0x0A>": 0, "▁x": 1}, "merges": []}}"#
        let v = try Vocabulary(tokenizerJSON: utf8(json), eos: [])
        #expect(Array(v.bytes(of: 0)) == utf8("<0x0A>"))
        #expect(Array(v.bytes(of: 1)) == utf8(" x"))
    }

    @Test func unigram() throws {
        let json = #"""
        {"added_tokens": [{"id": 0, "content": "<pad>", "special": true}, {"id": 1, "content": "</s>", "special": true}],
         "pre_tokenizer": {"type": "Metaspace", "replacement": "▁"},
         "model": {"type": "Unigram", "unk_id": 2, "byte_fallback": false,
                   "vocab": [["<pad>", 0.0], ["</s>", 0.0], ["<unk>", 0.0], ["▁the", -2.5], ["s", -3e-1], ["▁", -1]]}}
        """#
        let v = try Vocabulary(tokenizerJSON: utf8(json))
        #expect(v.kind == .unigram)
        let expected: [([UInt8], Bool)] = [
            (utf8("<pad>"), true), (utf8("</s>"), true), (utf8("<unk>"), true), (utf8(" the"), false), (utf8("s"), false), (utf8(" "), false),
        ]
        #expect(tokens(v).elementsEqual(expected) { $0.0 == $1.0 && $0.1 == $1.1 })
        #expect(v.eosTokens == [1])
    }

    @Test func wordPiece() throws {
        let json = #"""
        {"added_tokens": [{"id": 0, "content": "[PAD]", "special": true}, {"id": 1, "content": "[UNK]", "special": true},
                          {"id": 2, "content": "[CLS]", "special": true}],
         "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": true},
         "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##", "max_input_chars_per_word": 100,
                   "vocab": {"[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "hello": 3, "##ing": 4, ",": 5, "[unused0]": 6}}}
        """#
        let v = try Vocabulary(tokenizerJSON: utf8(json), eos: [])
        #expect(v.kind == .wordPiece)
        let expected: [([UInt8], Bool)] = [
            (utf8("[PAD]"), true), (utf8("[UNK]"), true), (utf8("[CLS]"), true), (utf8(" hello"), false),
            (utf8("ing"), false), (utf8(" ,"), false), (utf8(" [unused0]"), false),
        ]
        #expect(tokens(v).elementsEqual(expected) { $0.0 == $1.0 && $0.1 == $1.1 })
        #expect(v.eosTokens.isEmpty)
    }

    @Test func sparseIDsBecomeEmptySpecialTokens() throws {
        let json = #"""
        {"added_tokens": [{"id": 6, "content": "<|im_end|>", "special": true}],
         "decoder": {"type": "ByteLevel"},
         "model": {"type": "BPE", "vocab": {"b": 3, "a": 0}, "merges": []}}
        """#
        let v = try Vocabulary(tokenizerJSON: utf8(json))
        #expect(v.definedCount == 7)
        #expect(Array(v.bytes(of: 0)) == utf8("a") && !v.isSpecial(0))
        #expect(Array(v.bytes(of: 3)) == utf8("b") && !v.isSpecial(3))
        for id in [1, 2, 4, 5] {
            #expect(v.bytes(of: id).isEmpty && v.isSpecial(id))
        }
        #expect(v.eosTokens == [6])
    }

    @Test func addedTokensOverrideModelPieces() throws {
        let json = #"""
        {"added_tokens": [{"id": 1, "content": "<|reserved|>", "special": true}],
         "pre_tokenizer": {"type": "ByteLevel"},
         "model": {"type": "BPE", "vocab": {"a": 0, "<|old|>": 1}, "merges": []}}
        """#
        let v = try Vocabulary(tokenizerJSON: utf8(json), eos: [1])
        #expect(Array(v.bytes(of: 1)) == utf8("<|reserved|>") && v.isSpecial(1))
    }

    @Test func unknownTokenIsSpecial() throws {
        let bpe = #"{"model": {"type": "BPE", "unk_token": "[?]", "vocab": {"a": 0, "[?]": 1}, "merges": []}}"#
        let v = try Vocabulary(tokenizerJSON: utf8(bpe), eos: [])
        #expect(!v.isSpecial(0) && v.isSpecial(1))
        #expect(Array(v.bytes(of: 1)) == utf8("[?]"))
        let unigram = #"{"model": {"type": "Unigram", "unk_id": 0, "vocab": [["<unk>", 0], ["▁a", -1]]}}"#
        let u = try Vocabulary(tokenizerJSON: utf8(unigram), eos: [])
        #expect(u.isSpecial(0) && !u.isSpecial(1))
    }

    @Test func base64() {
        func decode(_ text: String) -> [UInt8]? {
            var out: [UInt8] = []
            let ok = Array(text.utf8).withUnsafeBufferPointer { Base64.decode($0, into: &out) }
            return ok ? out : nil
        }
        #expect(decode("") == [])
        #expect(decode("QQ==") == utf8("A"))
        #expect(decode("QUI=") == utf8("AB"))
        #expect(decode("QUJD") == utf8("ABC"))
        #expect(decode("QUJDRA==") == utf8("ABCD"))
        for bad in ["QQ=", "QQ=A", "Q===", "QU=D", "QUJD=A==", "QU*D"] {
            #expect(decode(bad) == nil, "\(bad)")
        }
    }

    @Test func mutatedInputNeverCrashes() {
        let text = Array(#"{"added_tokens": [{"id": 3, "content": "<s>", "special": true}], "decoder": {"type": "ByteLevel"}, "model": {"type": "BPE", "vocab": {"a\u0041": 0, "Ġb": 1}, "merges": ["a b"]}}"#.utf8)
        for i in text.indices {
            for replacement: UInt8 in [0x22, 0x7B, 0x5D, 0x5C, 0x2C, 0x00, 0xFF, 0x31, 0x20] {
                var mutated = text
                mutated[i] = replacement
                // Either outcome is fine; it must not trap.
                _ = vocabularyError { () throws(VocabularyError) in try Vocabulary(tokenizerJSON: mutated) }
            }
        }
    }

    @Test func escapesAndSurrogatePairsDecode() throws {
        let json = #"{"model": {"type": "BPE", "vocab": {"\ud83d\ude00": 0, "a\"b\\c\/\t": 1}, "merges": []}}"#
        let v = try Vocabulary(tokenizerJSON: utf8(json), eos: [])
        #expect(Array(v.bytes(of: 0)) == utf8("😀"))
        #expect(Array(v.bytes(of: 1)) == utf8("a\"b\\c/\t"))
    }

    /// The pieces are decoded while the merges are skipped, from what the document said so far;
    /// members after the merges that change the decoding still decide it.
    @Test func membersAfterTheMergesDecideTheDecoding() throws {
        let byteLevelAfter = #"{"model": {"type": "BPE", "vocab": {"Ġa": 0, "<0x41>": 1}, "merges": ["Ġ a"]}, "decoder": {"type": "ByteLevel"}}"#
        let v = try Vocabulary(tokenizerJSON: utf8(byteLevelAfter), eos: [])
        #expect(v.kind == .byteLevelBPE)
        #expect(tokens(v).map(\.0) == [utf8(" a"), utf8("<0x41>")])
        let byteFallbackAfter = #"{"model": {"type": "BPE", "vocab": {"▁a": 0, "<0x41>": 1}, "merges": ["▁ a"], "byte_fallback": true}}"#
        let w = try Vocabulary(tokenizerJSON: utf8(byteFallbackAfter), eos: [])
        #expect(tokens(w).map(\.0) == [utf8(" a"), [0x41]])
        let vocabAfter = #"{"model": {"type": "BPE", "vocab": {"x": 0}, "merges": [], "vocab": {"▁b": 0}}}"#
        #expect(tokens(try Vocabulary(tokenizerJSON: utf8(vocabAfter), eos: [])).map(\.0) == [utf8(" b")])
    }

    /// Strings are scanned 8 bytes at a time: a quote, escape, control or non-ASCII byte at any
    /// offset of a chunk is found, in read strings (vocab) and in skipped ones (merges).
    @Test func stringScanningFindsEveryByteAtEveryOffset() throws {
        for at in 0..<20 {
            let before = String(repeating: "x", count: at), after = String(repeating: "y", count: 19 - at)
            func document(_ vocabPiece: [UInt8], _ mergePiece: [UInt8]) -> [UInt8] {
                utf8(#"{"model": {"type": "BPE", "vocab": {""#) + vocabPiece + utf8(#"": 0}, "merges": [""#) + mergePiece + utf8(#""]}}"#)
            }
            for (inner, expected) in [(#"\""#, "\""), (#"\n"#, "\n"), ("é", "é"), ("\u{7F}", "\u{7F}")] {
                let piece = utf8(before + inner + after)
                let v = try Vocabulary(tokenizerJSON: document(piece, piece), eos: [])
                #expect(Array(v.bytes(of: 0)) == utf8(before + expected + after))
            }
            let control = utf8(before) + [0x01] + utf8(after), invalid = utf8(before) + [0xFF] + utf8(after)
            let plain = utf8(before + after)
            for (bytes, code) in [(document(control, plain), VocabularyError.Code.malformedJSON),
                                  (document(plain, control), .malformedJSON), (document(invalid, plain), .malformedJSON)] {
                let error = vocabularyError { () throws(VocabularyError) in try Vocabulary(tokenizerJSON: bytes, eos: []) }
                #expect(error?.code == code, "offset \(at)")
            }
        }
    }

    /// Pieces are decoded as they are read, a word at a time with the non-ASCII characters
    /// looked at one by one: every kind of character at every offset of a word decodes as GPT-2's
    /// byte decoder (written out here independently) and SentencePiece's `▁` say, and invalid
    /// UTF-8 in a piece is an error wherever it lies.
    @Test func piecesDecodeAsTheyAreReadAtEveryOffset() throws {
        // GPT-2's map from bytes to characters, inverted.
        var byteOf: [Unicode.Scalar: UInt8] = [:]
        var next: UInt32 = 0x100
        for byte in 0...255 {
            let printable = (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte)
            let scalar = Unicode.Scalar(printable ? UInt32(byte) : next)!
            if !printable { next += 1 }
            byteOf[scalar] = UInt8(byte)
        }
        func byteLevelBytes(_ piece: String) -> [UInt8] {
            piece.unicodeScalars.flatMap { byteOf[$0].map { [$0] } ?? Array(String($0).utf8) }
        }
        let inner = ["Ġ", "Ċ", "ÿ", "é", "ł", "Ń", "ŀ", "€", "▁", "😀", "中文", "Ġ▁x", "a", ""]
        var pieces: [String] = []
        for at in 0..<10 {
            for middle in inner {
                pieces.append(String(repeating: "x", count: at) + middle + String(repeating: "y", count: (at * 7) % 11))
            }
        }
        pieces = Array(Set(pieces)).sorted()
        let members = pieces.enumerated().map { #""\#($1)": \#($0)"# }.joined(separator: ",\n  ")
        for (decoder, expected) in [(#""decoder": {"type": "ByteLevel"}, "#, pieces.map(byteLevelBytes)),
                                    ("", pieces.map { utf8($0.replacingOccurrences(of: "▁", with: " ")) })] {
            let json = #"{\#(decoder)"model": {"type": "BPE", "vocab": {\#n  \#(members)}, "merges": []}}"#
            let v = try Vocabulary(tokenizerJSON: utf8(json), eos: [])
            #expect(tokens(v).map(\.0) == expected, "\(decoder)")
        }
        let invalid: [[UInt8]] = [[0xC0, 0x80], [0xC3], [0xC3, 0x28], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xE2, 0x96],
                                  [0xF0, 0x80, 0x80, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0x80], [0xFF]]
        for at in 0..<10 {
            for bad in invalid {
                let piece = utf8(String(repeating: "x", count: at)) + bad + utf8("yyyyyyyyy")
                for decoder in [#""decoder": {"type": "ByteLevel"}, "#, ""] {
                    let json = utf8(#"{\#(decoder)"model": {"type": "BPE", "vocab": {"a": 0, ""#) + piece + utf8(#"": 1}, "merges": []}}"#)
                    let error = vocabularyError { () throws(VocabularyError) in try Vocabulary(tokenizerJSON: json, eos: []) }
                    #expect(error?.code == .malformedJSON, "\(bad) at \(at)")
                }
            }
        }
    }

    /// The merges are skipped on another thread from where it finds them after the vocab;
    /// a vocab piece spelled like the member, and errors in the merges, change nothing.
    @Test func mergesSkippedAheadGiveTheSameResults() throws {
        let json = #"{"model": {"type": "BPE", "vocab": {"merges": 0, "\"merges\": [": 1, "b": 2}, "merges": ["merges b", "a b"]}}"#
        let v = try Vocabulary(tokenizerJSON: utf8(json), eos: [])
        #expect(tokens(v).map(\.0) == [utf8("merges"), utf8(#""merges": ["#), utf8("b")])
        for (merges, code) in [(#"["a b", 1 2]"#, VocabularyError.Code.malformedJSON), (#"["a b"]]"#, .malformedJSON),
                               (#"["a b", "c\x"]"#, .malformedJSON), ("[", .malformedJSON)] {
            let broken = #"{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": \#(merges)}}"#
            let error = vocabularyError { () throws(VocabularyError) in try Vocabulary(tokenizerJSON: utf8(broken), eos: []) }
            #expect(error?.code == code, "\(merges)")
        }
        // Ids in any order, with gaps (empty special tokens), duplicates an error at the entry.
        let gaps = try Vocabulary(tokenizerJSON: utf8(#"{"model": {"type": "BPE", "vocab": {"c": 4, "a": 0, "b": 2}, "merges": []}}"#), eos: [])
        #expect(tokens(gaps).map(\.0) == [utf8("a"), [], utf8("b"), [], utf8("c")])
        #expect(tokens(gaps).map(\.1) == [false, true, false, true, false])
        let duplicate = #"{"model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "c": 1}, "merges": []}}"#
        let error = vocabularyError { () throws(VocabularyError) in try Vocabulary(tokenizerJSON: utf8(duplicate), eos: []) }
        #expect(error?.code == .duplicateID)
        #expect(error?.offset == duplicate.utf8.distance(from: duplicate.startIndex, to: duplicate.range(of: #""c""#)!.lowerBound))
    }

    /// A large vocab is read by two threads, each from one side of a line break; the tokens,
    /// and the errors, are those of one reading, wherever they lie.
    @Test func largeVocabReadInTwoPartsIsOneReading() throws {
        let count = 60_000
        func document(_ entry: (Int) -> String, merges: String = #"["Ġ a", "b c"]"#) -> [UInt8] {
            let entries = (0..<count).map(entry).joined(separator: ",\n    ")
            return utf8(#"{"decoder": {"type": "ByteLevel"}, "model": {"type": "BPE", "vocab": {\#n    \#(entries)\#n  }, "merges": \#(merges)}}"#)
        }
        let piece = { (i: Int) in "Ġp\(i)€" + String(repeating: "x", count: i % 13) }
        let v = try Vocabulary(tokenizerJSON: document { #""\#(piece($0))": \#($0)"# }, eos: [])
        #expect(v.definedCount == count)
        let mismatches = (0..<count).filter { Array(v.bytes(of: $0)) != utf8(" p\($0)€" + String(repeating: "x", count: $0 % 13)) }
        #expect(mismatches.count == 0, "first mismatches: \(Array(mismatches.prefix(5)))")
        // An error in either part, or in the merges, is the error of one reading.
        for bad in [10, count / 2, count - 10] {
            let broken = document { $0 == bad ? #""\#(piece($0))": 1.5"# : #""\#(piece($0))": \#($0)"# }
            let error = vocabularyError { () throws(VocabularyError) in try Vocabulary(tokenizerJSON: broken, eos: []) }
            #expect(error?.code == .unexpectedShape, "entry \(bad)")
            let duplicate = document { #""\#(piece($0))": \#($0 == bad ? 3 : $0)"# }
            let duplicateError = vocabularyError { () throws(VocabularyError) in try Vocabulary(tokenizerJSON: duplicate, eos: []) }
            #expect(duplicateError?.code == (bad > 3 ? .duplicateID : nil), "entry \(bad)")
            if bad > 3, let offset = duplicateError?.offset {
                let text = String(decoding: duplicate, as: UTF8.self)
                let entry = try #require(text.range(of: #""\#(piece(bad))": 3"#))
                #expect(offset == text.utf8.distance(from: text.startIndex, to: entry.lowerBound))
            }
        }
        let brokenMerges = document({ #""\#(piece($0))": \#($0)"# }, merges: #"["a b", 1 2]"#)
        let error = vocabularyError { () throws(VocabularyError) in try Vocabulary(tokenizerJSON: brokenMerges, eos: []) }
        #expect(error?.code == .malformedJSON)
        // A small vocab before large merges: the line break a quarter on lies in the merges.
        let merges = "[" + (0..<count).map { #""Ġ m\#($0)""# }.joined(separator: ",\n    ") + "]"
        let small = utf8(#"{"decoder": {"type": "ByteLevel"}, "model": {"type": "BPE", "vocab": {\#n    "Ġa": 0,\#n    "b": 1\#n  }, "merges": \#(merges)}}"#)
        #expect(tokens(try Vocabulary(tokenizerJSON: small, eos: [])).map(\.0) == [utf8(" a"), utf8("b")])
    }

    // MARK: Errors

    @Test(arguments: [
        (#"{"model": {"type": "BPE", "vocab": {"a": 0, "b": 1"#, VocabularyError.Code.malformedJSON),
        (#"{"model": {"type": "BPE", "vocab": {"a": 0,}, "merges": []}}"#, .malformedJSON),
        (#"{"model": {"type": "BPE", "vocab": "a", "merges": []}}"#, .unexpectedShape),
        (#"{"model": {"type": "BPE", "vocab": {"a": 1.5}, "merges": []}}"#, .unexpectedShape),
        (#"{"model": {"type": "BPE", "vocab": {"a": -1}, "merges": []}}"#, .invalidToken),
        (#"{"model": {"type": "BPE", "vocab": {"": -1}, "merges": []}}"#, .invalidToken),
        (#"{"model": {"type": "BPE", "vocab": {"a": 01}, "merges": []}}"#, .malformedJSON),
        (#"{"model": {"type": "BPE", "vocab": {"a": 1e3}, "merges": []}}"#, .unexpectedShape),
        (#"{"model": {"type": "BPE", "vocab": {"a" 1}, "merges": []}}"#, .malformedJSON),
        (#"{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": ["a b", "c\q"]}}"#, .malformedJSON),
        (#"{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": ["a b", "c d",]}}"#, .malformedJSON),
        (#"{"model": {"type": "BPE", "vocab": {"a": 99999999}, "merges": []}}"#, .invalidToken),
        (#"{"model": {"type": "BPE", "vocab": {"a": 0, "b": 0}, "merges": []}}"#, .duplicateID),
        (#"{"model": {"type": "WordLevel", "vocab": {"a": 0}}}"#, .unsupportedTokenizer),
        (#"{"model": {"type": "BPE", "end_of_word_suffix": "</w>", "vocab": {"a": 0}, "merges": []}}"#, .unsupportedTokenizer),
        (#"{"model": {"vocab": {"a": 0}}}"#, .unexpectedShape),
        (#"{"model": {"type": "Unigram", "vocab": {"a": 0}}}"#, .unexpectedShape),
        (#"{"model": {"type": "Unigram", "vocab": [["a"]]}}"#, .unexpectedShape),
        (#"{"model": {"type": "Unigram", "vocab": [["a", 0.0, 1]]}}"#, .unexpectedShape),
        (#"{"version": "1.0"}"#, .unexpectedShape),
        (#"{"added_tokens": [{"content": "x"}], "model": {"type": "BPE", "vocab": {}, "merges": []}}"#, .unexpectedShape),
        (#"{"added_tokens": [{"id": 0, "content": "x"}, {"id": 0, "content": "y"}], "model": {"type": "BPE", "vocab": {}}}"#, .duplicateID),
        (#"{"model": {"type": "BPE", "vocab": {"\ud800": 0}, "merges": []}}"#, .malformedJSON),
        (#"{"model": {"type": "BPE", "vocab": {}, "merges": [01]}}"#, .malformedJSON),
        (#"{"model": {"type": "BPE", "vocab": {}}} x"#, .malformedJSON),
        ("[1, 2]", .unexpectedShape),
        ("", .malformedJSON),
        ("\u{FF}", .unexpectedShape),
    ])
    func brokenTokenizerJSONIsAnError(_ json: String, _ code: VocabularyError.Code) {
        let error = vocabularyError { () throws(VocabularyError) in try Vocabulary(tokenizerJSON: utf8(json), eos: []) }
        #expect(error?.code == code, "\(json): \(String(describing: error))")
    }

    /// Arrays of merges mix plain strings (skipped a word at a time) with escapes and other values.
    @Test func mergesOfEveryShapeAreSkipped() throws {
        let json = #"{"model": {"type": "BPE", "vocab": {"a": 0, "\u0062": 1, "": 2}, "merges": ["a b", "\"x\" y", ["a", "b"], "c d" , "e f"]}}"#
        let v = try Vocabulary(tokenizerJSON: utf8(json), eos: [])
        #expect(Array(v.bytes(of: 0)) == utf8("a"))
        #expect(Array(v.bytes(of: 1)) == utf8("b"))
    }

    @Test func invalidUTF8InAPieceIsAnError() {
        let bytes = utf8(#"{"model": {"type": "BPE", "vocab": {"a"#) + [0xC3, 0x28] + utf8(#"": 0}, "merges": []}}"#)
        let error = vocabularyError { () throws(VocabularyError) in try Vocabulary(tokenizerJSON: bytes, eos: []) }
        #expect(error?.code == .malformedJSON)
    }

    @Test func errorsGiveFileLineAndOffset() throws {
        let text = "{\n  \"model\": {\n    \"type\": \"BPE\",\n    \"vocab\": {\"a\": 0, \"b\": 0}\n  }\n}\n"
        let folder = try temporaryFolder(["tokenizer.json": text])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let error = try #require(vocabularyError { () throws(VocabularyError) in try Vocabulary(contentsOf: folder, eos: []) })
        #expect(error.code == .duplicateID)
        #expect(error.file == folder + "/tokenizer.json")
        #expect(error.line == 4)
        let entry = try #require(text.range(of: #""b": 0"#))
        #expect(error.offset == text.utf8.distance(from: text.startIndex, to: entry.lowerBound))
        #expect(error.description.hasPrefix("\(folder)/tokenizer.json:4: duplicate-id: "))
    }

    @Test func truncatedRealFileIsAnError() throws {
        let text = #"{"added_tokens": [], "model": {"type": "BPE", "vocab": {"a": 0, "b": 1}, "merges": [["a", "b"]]}}"#
        for cut in 0..<text.utf8.count - 1 {
            let error = vocabularyError { () throws(VocabularyError) in try Vocabulary(tokenizerJSON: Array(text.utf8.prefix(cut)), eos: []) }
            #expect(error != nil, "cut at \(cut)")
        }
    }

    // MARK: tokens.jsonl

    @Test func tokensJSONLRoundTrip() throws {
        let v = Vocabulary(tokens: [utf8("a"), [0xFF, 0x00], [], utf8("<|eot|>")], special: [3], eos: [3], size: 10)
        let text = v.tokensJSONL()
        #expect(text == """
        {"id": 0, "bytes_hex": "61", "special": false}
        {"id": 1, "bytes_hex": "ff00", "special": false}
        {"id": 2, "bytes_hex": "", "special": false}
        {"id": 3, "bytes_hex": "3c7c656f747c3e", "special": true}

        """)
        let back = try Vocabulary(tokensJSONL: utf8(text), eos: [3])
        #expect(tokens(back).elementsEqual(tokens(v)) { $0.0 == $1.0 && $0.1 == $1.1 })
        #expect(back.kind == .tokenList)
        #expect(back.eosTokens == [3])
    }

    @Test func tokensJSONLAcceptsAnyOrderAndGaps() throws {
        let text = "{\"special\": true, \"bytes_hex\": \"4142\", \"id\": 3, \"extra\": [1]}\r\n\n{\"id\": 0, \"bytes_hex\": \"0A\"}"
        let v = try Vocabulary(tokensJSONL: utf8(text), eos: [3])
        #expect(v.definedCount == 4)
        #expect(Array(v.bytes(of: 0)) == [0x0A] && !v.isSpecial(0))
        #expect(Array(v.bytes(of: 3)) == utf8("AB") && v.isSpecial(3))
        #expect(v.isSpecial(1) && v.bytes(of: 1).isEmpty)
    }

    @Test(arguments: [
        ("{\"id\": 0, \"bytes_hex\": \"61\", \"special\": false}\n{\"id\": 1, \"bytes_hex\": \"6\"}", VocabularyError.Code.invalidToken, 2),
        ("{\"id\": 0, \"bytes_hex\": \"61\"}\n{\"id\": 1, \"bytes_hex\": \"zz\"}", .invalidToken, 2),
        ("{\"id\": 0, \"bytes_hex\": \"61\"}\n\n{\"bytes_hex\": \"61\"}", .unexpectedShape, 3),
        ("{\"id\": 0, \"bytes_hex\": \"61\"}\n{\"id\": 0, \"bytes_hex\": \"62\"}", .duplicateID, 2),
        ("{\"id\": 0, \"bytes_hex\": \"61\"} {\"id\": 1, \"bytes_hex\": \"62\"}", .malformedJSON, 1),
        ("{\"id\": 0, \"bytes_hex\": \"61\"}\n{\"id\": 1, \"bytes_hex\": \"62\"", .malformedJSON, 2),
        ("{\"id\": 0, \"bytes_hex\": 61}", .unexpectedShape, 1),
        ("{\"id\": \"0\", \"bytes_hex\": \"61\"}", .unexpectedShape, 1),
        ("{\"id\": 0, \"bytes_hex\": \"61\", \"special\": 1}", .unexpectedShape, 1),
    ])
    func brokenTokensJSONLIsAnError(_ text: String, _ code: VocabularyError.Code, _ line: Int) {
        let error = vocabularyError { () throws(VocabularyError) in try Vocabulary(tokensJSONL: utf8(text), eos: []) }
        #expect(error?.code == code, "\(text): \(String(describing: error))")
        #expect(error?.line == line, "\(text): \(String(describing: error))")
    }

    // MARK: Files, folders, configuration

    @Test func tiktokenFileWithConfigBesideIt() throws {
        let config = #"""
        {"eos_token": {"content": "<|eot|>", "special": true},
         "added_tokens_decoder": {"4": {"content": "<|begin|>", "special": true}, "3": {"content": "<|eot|>", "special": true}}}
        """#
        let folder = try temporaryFolder([
            "tokenizer.model": "IQ== 0\nIGE= 1\n\n/w== 2\n",
            "tokenizer_config.json": config,
        ])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let v = try Vocabulary(contentsOf: folder + "/tokenizer.model")
        #expect(v.kind == .tiktoken)
        let expected: [([UInt8], Bool)] = [([0x21], false), (utf8(" a"), false), ([0xFF], false), (utf8("<|eot|>"), true), (utf8("<|begin|>"), true)]
        #expect(tokens(v).elementsEqual(expected) { $0.0 == $1.0 && $0.1 == $1.1 })
        #expect(v.eosTokens == [3])
        // The folder holds no tokenizer.json or tokens.jsonl: the tiktoken file is found by content.
        let fromFolder = try Vocabulary(contentsOf: folder, size: 8)
        #expect(fromFolder.kind == .tiktoken && fromFolder.size == 8 && fromFolder.definedCount == 5)
    }

    @Test(arguments: ["IQ== 0\nIGE 1\n", "IQ== 0\nIGE= x\n", "IQ== 0\nIQ==\n", "IQ== 0\nIQ== 0\n", "\u{0A}\u{0A}\u{08}\u{01}"])
    func brokenTiktokenIsAnError(_ text: String) throws {
        let folder = try temporaryFolder(["ranks.tiktoken": text])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let error = vocabularyError { () throws(VocabularyError) in try Vocabulary(contentsOf: folder + "/ranks.tiktoken", eos: []) }
        #expect(error?.file == folder + "/ranks.tiktoken")
        #expect(error?.line != nil)
    }

    @Test func folderPrefersTokenizerJSONAndReadsEOSFromConfigs() throws {
        let tokenizer = #"""
        {"added_tokens": [{"id": 3, "content": "<|endoftext|>", "special": true}, {"id": 4, "content": "<|im_end|>", "special": true}],
         "decoder": {"type": "ByteLevel"}, "model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "c": 2}, "merges": []}}
        """#
        let folder = try temporaryFolder([
            "tokenizer.json": tokenizer,
            "tokens.jsonl": #"{"id": 0, "bytes_hex": "7a", "special": false}"#,
            "tokenizer_config.json": #"{"eos_token": "<|im_end|>"}"#,
            "generation_config.json": #"{"eos_token_id": [2, 4]}"#,
        ])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let v = try Vocabulary(contentsOf: folder)
        #expect(v.kind == .byteLevelBPE)
        // Configured first (the name, then the ids), then the well-known end-of-text token.
        #expect(v.eosTokens == [4, 2, 3])
        #expect(try Vocabulary(contentsOf: folder, eos: [1]).eosTokens == [1])
        #expect(try Vocabulary(contentsOf: folder + "/tokens.jsonl", eos: [0]).kind == .tokenList)
    }

    @Test func sizeAndEOSAreChecked() throws {
        let folder = try temporaryFolder(["tokens.jsonl": "{\"id\": 0, \"bytes_hex\": \"61\"}\n{\"id\": 1, \"bytes_hex\": \"62\"}\n"])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let v = try Vocabulary(contentsOf: folder, eos: [5], size: 6)
        #expect(v.size == 6 && v.definedCount == 2 && v.eosTokens == [5])
        let small = vocabularyError { () throws(VocabularyError) in try Vocabulary(contentsOf: folder, eos: [], size: 1) }
        #expect(small?.code == .sizeTooSmall)
        let badEOS = vocabularyError { () throws(VocabularyError) in try Vocabulary(contentsOf: folder, eos: [2]) }
        #expect(badEOS?.code == .invalidEOS)
    }

    @Test func configErrorsNameTheConfigFile() throws {
        let tokenizer = #"{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": []}}"#
        for (name, text, code) in [
            ("tokenizer_config.json", #"{"eos_token": "<nope>"}"#, VocabularyError.Code.invalidEOS),
            ("config.json", #"{"eos_token_id": 7}"#, .invalidEOS),
            ("config.json", #"{"eos_token_id": "x"}"#, .unexpectedShape),
            ("generation_config.json", #"{"eos_token_id": [0,"#, .malformedJSON),
        ] {
            let folder = try temporaryFolder(["tokenizer.json": tokenizer, name: text])
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let error = vocabularyError { () throws(VocabularyError) in try Vocabulary(contentsOf: folder) }
            #expect(error?.code == code, "\(name): \(String(describing: error))")
            #expect(error?.file == folder + "/" + name)
        }
    }

    @Test func missingPathsAreErrors() throws {
        let missing = vocabularyError { () throws(VocabularyError) in try Vocabulary(contentsOf: "/nonexistent/vocab") }
        #expect(missing?.code == .unreadableFile)
        let folder = try temporaryFolder(["tokenizer.model": "\u{0A}\u{05}<unk>\u{15}"])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let empty = vocabularyError { () throws(VocabularyError) in try Vocabulary(contentsOf: folder) }
        #expect(empty?.code == .noVocabularyFile)
    }

    // MARK: The project's demo vocabulary

    @Test func demoVocabularyLoads() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let v = try Vocabulary(contentsOf: root.appendingPathComponent("corpus/vocab/demo").path)
        #expect((2_000...4_100).contains(v.definedCount))
        for byte in 0..<256 { #expect(Array(v.bytes(of: byte)) == [UInt8(byte)]) }
        let eos = try #require(v.eosTokens.first)
        #expect(v.eosTokens.count == 1)
        #expect(Array(v.bytes(of: eos)) == utf8("<|endoftext|>") && v.isSpecial(eos))
    }
}

// MARK: - Real vocabularies

/// The shared real vocabularies, when this machine has them.
private let sharedVocabularies = "/work/shared/vocab"
private let hasSharedVocabularies = FileManager.default.fileExists(atPath: sharedVocabularies + "/manifest.json")

/// The EOS ids `manifest.json` lists for `name`.
private func manifestEOS(_ name: String) throws -> [Int] {
    let data = try Data(contentsOf: URL(fileURLWithPath: sharedVocabularies + "/manifest.json"))
    let manifest = try JSONParser().parse(bytes: [UInt8](data))
    let ids = try #require(manifest["vocabularies"]?[name]?["eos_ids"]?.arrayValue)
    return ids.compactMap { $0.numberValue?.intValue }
}

/// Expects `v` to hold exactly the tokens of `truth` (bytes and special flags).
private func expectSameTokens(_ v: Vocabulary, _ truth: Vocabulary, _ name: String) {
    #expect(v.definedCount == truth.definedCount, "\(name)")
    var mismatches: [Int] = []
    for id in 0..<truth.definedCount where v.bytes(of: id) != truth.bytes(of: id) || v.isSpecial(id) != truth.isSpecial(id) {
        mismatches.append(id)
    }
    #expect(mismatches.isEmpty, "\(name): \(mismatches.count) ids differ, first \(mismatches.prefix(5))")
}

@Suite(.enabled(if: hasSharedVocabularies, "needs \(sharedVocabularies)"))
struct RealVocabularyTests {
    @Test(arguments: ["llama3", "qwen2.5", "gpt2", "llama2", "mistral-7b-v0.1", "phi-3", "gemma-4"])
    func tokenizerJSONMatchesTokensJSONL(_ name: String) throws {
        let folder = sharedVocabularies + "/" + name
        let jsonl = try [UInt8](Data(contentsOf: URL(fileURLWithPath: folder + "/tokens.jsonl")))
        let truth = try Vocabulary(tokensJSONL: jsonl, eos: [])
        let v = try Vocabulary(contentsOf: folder)
        expectSameTokens(v, truth, name)
        #expect(v.eosTokens == (try manifestEOS(name)), "\(name)")
        #expect(v.kind == (["llama3", "qwen2.5", "gpt2"].contains(name) ? .byteLevelBPE : .sentencePieceBPE))
        // The writer reproduces the shared file byte for byte.
        let written = v.tokensJSONL().utf8.elementsEqual(jsonl)
        #expect(written, "\(name)")
    }

    @Test func llama3TiktokenMatchesTokensJSONL() throws {
        let folder = sharedVocabularies + "/llama3"
        let truth = try Vocabulary(contentsOf: folder + "/tokens.jsonl")
        let v = try Vocabulary(contentsOf: folder + "/tokenizer.model")
        #expect(v.kind == .tiktoken)
        // The rank file's 128,000 tokens, plus tokenizer_config.json's 256 added special tokens.
        expectSameTokens(v, truth, "llama3 tiktoken")
        #expect(v.eosTokens == (try manifestEOS("llama3")))
        #expect(truth.eosTokens == v.eosTokens)
    }
}
