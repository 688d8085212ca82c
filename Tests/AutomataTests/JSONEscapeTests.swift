import Testing
import Grammar
@testable import Automata

/// The two JSON readers — `JSONParser` (schemas, instances) and `JSONByteScanner` (tokenizer
/// files) — decode string escapes with the shared `JSONEscape`; both must give the same bytes.
@Suite struct JSONEscapeTests {
    /// Each one-character escape, `\u` escapes in and beyond the BMP, and a surrogate pair.
    static let cases: [(json: String, decoded: [UInt8])] = [
        (#""\"\\\/\b\f\n\r\t""#, [0x22, 0x5C, 0x2F, 0x08, 0x0C, 0x0A, 0x0D, 0x09]),
        (#""a\u0041\u00e9z""#, Array("aAéz".utf8)),
        (#""\ud83d\ude00!""#, Array("😀!".utf8)),
        (#""\u0000""#, [0x00]),
    ]

    private static func scan(_ json: String) throws(VocabularyError) -> [UInt8] {
        let bytes = Array(json.utf8)
        var out: [UInt8] = []
        try bytes.withUnsafeBufferPointer { (buffer) throws(VocabularyError) in
            var scanner = JSONByteScanner(buffer)
            try scanner.string(appendingTo: &out)
        }
        return out
    }

    @Test(arguments: cases.indices)
    func bothReadersDecodeTheSameBytes(_ index: Int) throws {
        let (json, decoded) = Self.cases[index]
        #expect(try JSONParser().parse(json) == .string(String(decoding: decoded, as: UTF8.self)))
        #expect(try Self.scan(json) == decoded)
    }

    /// `"ab\x"`: the escape starts at byte 3 in both readers' errors.
    @Test func invalidEscapesAreRejectedWithTheirOffset() throws {
        do {
            _ = try JSONParser().parse(#""ab\x""#)
            Issue.record("\\x was accepted by JSONParser")
        } catch {
            guard case .offset(let offset, _, _)? = error.location else { Issue.record("no offset: \(error)"); return }
            #expect(offset == 3)
        }
        do {
            _ = try Self.scan(#""ab\x""#)
            Issue.record("\\x was accepted by JSONByteScanner")
        } catch {
            #expect(error.code == .malformedJSON)
            #expect(error.offset == 3)
        }
    }

    @Test func loneSurrogates() throws {
        // Strict for tokenizer files, U+FFFD for schemas and instances (Swift strings hold scalars).
        #expect(throws: VocabularyError.self) { try Self.scan(#""\ud83d!""#) }
        #expect(try JSONParser().parse(#""\ud83d!""#) == .string("\u{FFFD}!"))
    }
}
