/// Reads a tiktoken rank file: one `<base64 token bytes> <rank>` line per token, the rank being
/// the id (Llama 3's `tokenizer.model`, `*.tiktoken`). The file holds no special tokens.
enum TiktokenReader {
    /// The tokens of `bytes`, a whole rank file. Blank lines are skipped.
    static func read(_ bytes: UnsafeBufferPointer<UInt8>) throws(VocabularyError) -> TokenTable {
        var table = TokenTable(capacity: bytes.count / 12, byteCapacity: bytes.count / 2)
        var lineStart = 0
        var line = 0
        while lineStart < bytes.count {
            line += 1
            var lineEnd = lineStart
            while lineEnd < bytes.count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
            var end = lineEnd
            if end > lineStart, bytes[end - 1] == 0x0D { end -= 1 }
            defer { lineStart = lineEnd + 1 }
            if end == lineStart { continue }
            func failure(_ code: VocabularyError.Code, _ message: String) -> VocabularyError {
                var text = message
                if line == 1 {
                    text += " (is this a tiktoken rank file? SentencePiece .model files are not supported: use tokenizer.json)"
                }
                return VocabularyError(code, text, line: line, offset: lineStart)
            }
            var space = lineStart
            while space < end, bytes[space] != 0x20 { space += 1 }
            guard space > lineStart, space < end else { throw failure(.invalidToken, "expected '<base64 token> <rank>'") }
            let tokenStart = table.storage.count
            guard Base64.decode(UnsafeBufferPointer(rebasing: bytes[lineStart..<space]), into: &table.storage) else {
                throw failure(.invalidToken, "invalid base64 token")
            }
            var rank = 0
            var digits = 0
            for i in (space + 1)..<end {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[i]), digits < 9 else {
                    throw failure(.invalidToken, "the rank must be a decimal number below 10^9")
                }
                rank = rank * 10 + Int(bytes[i] - UInt8(ascii: "0"))
                digits += 1
            }
            guard digits > 0 else { throw failure(.invalidToken, "missing rank") }
            do throws(VocabularyError) {
                try table.define(rank, bytes: tokenStart..<table.storage.count, special: false)
            } catch {
                throw VocabularyError(error.code, error.message, line: line, offset: lineStart)
            }
        }
        return table
    }
}
