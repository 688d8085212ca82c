import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds and reads the vocabulary file at a path: the file itself, or the preferred one in a folder.
enum VocabularyFile {
    /// The vocabulary file formats read here.
    enum Format: Equatable {
        /// A Hugging Face `tokenizer.json`.
        case tokenizerJSON
        /// One `{"id", "bytes_hex", "special"}` object per line.
        case tokensJSONL
        /// A tiktoken rank file (`<base64> <rank>` lines).
        case tiktoken
    }

    /// The file at `path`, or in the folder `path` the first of `tokenizer.json`, `tokens.jsonl`,
    /// then a tiktoken rank file (`tokenizer.model` or `*.tiktoken`, checked by content, since
    /// a SentencePiece `tokenizer.model` has the same name), with its format and bytes.
    static func locate(_ path: String) throws(VocabularyError) -> (path: String, format: Format, bytes: [UInt8]) {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw VocabularyError(.unreadableFile, "no such file or folder", file: path)
        }
        guard isFolder.boolValue else {
            let bytes = try contents(of: path)
            return (path, format(of: path, bytes: bytes), bytes)
        }
        let folder = URL(fileURLWithPath: path)
        for (name, format) in [("tokenizer.json", Format.tokenizerJSON), ("tokens.jsonl", .tokensJSONL)] {
            let file = folder.appendingPathComponent(name).path
            if FileManager.default.fileExists(atPath: file) { return (file, format, try contents(of: file)) }
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        let candidates = ["tokenizer.model"] + names.filter { $0.hasSuffix(".tiktoken") }.sorted()
        for name in candidates {
            let file = folder.appendingPathComponent(name).path
            guard FileManager.default.fileExists(atPath: file) else { continue }
            let bytes = try contents(of: file)
            if looksLikeTiktoken(bytes) { return (file, .tiktoken, bytes) }
        }
        throw VocabularyError(.noVocabularyFile,
            "the folder holds no tokenizer.json, tokens.jsonl or tiktoken rank file (a SentencePiece tokenizer.model is not read: use tokenizer.json)",
            file: path)
    }

    /// The bytes of the file at `path`, read with one system call where possible (Foundation's
    /// `Data` reading costs several milliseconds more on multi-megabyte files).
    static func contents(of path: String) throws(VocabularyError) -> [UInt8] {
        func failure(_ code: Int32) -> VocabularyError {
            VocabularyError(.unreadableFile, "cannot read the file: \(String(cString: strerror(code)))", file: path)
        }
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw failure(errno) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw failure(errno) }
        let size = Int(info.st_size)
        var readError: Int32 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            guard let base = buffer.baseAddress else { return }
            adviseHugePages(UnsafeMutableRawBufferPointer(buffer))
            while count < size {
                let n = read(descriptor, base + count, size - count)
                if n > 0 {
                    count += n
                } else if n == 0 {
                    return
                } else if errno != EINTR {
                    readError = errno
                    return
                }
            }
        }
        guard readError == 0 else { throw failure(readError) }
        return bytes
    }

    /// Asks the kernel to back the 2 MiB-aligned part of `buffer` (fresh memory, not yet
    /// touched) with huge pages: a multi-megabyte file then costs a few page faults instead
    /// of one per 4 KiB page, which is most of the time of reading it. Only a hint: nothing
    /// changes where huge pages are off or unavailable.
    private static func adviseHugePages(_ buffer: UnsafeMutableRawBufferPointer) {
        #if os(Linux)
        let hugePage = 2 << 20
        guard buffer.count >= 2 * hugePage, let base = buffer.baseAddress else { return }
        let start = (Int(bitPattern: base) + hugePage - 1) & ~(hugePage - 1)
        let end = (Int(bitPattern: base) + buffer.count) & ~(hugePage - 1)
        guard end > start, let aligned = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(aligned, end - start, MADV_HUGEPAGE)
        #endif
    }

    /// The format of a file: by its extension (`.json`, `.jsonl`), else by its content.
    static func format(of path: String, bytes: [UInt8]) -> Format {
        if path.hasSuffix(".jsonl") { return .tokensJSONL }
        if path.hasSuffix(".json") { return .tokenizerJSON }
        guard let first = bytes.firstIndex(where: { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }),
              bytes[first] == UInt8(ascii: "{") else { return .tiktoken }
        let lineEnd = bytes[first...].firstIndex(of: 0x0A) ?? bytes.endIndex
        return bytes[first..<lineEnd].firstRange(of: Array(#""bytes_hex""#.utf8)) != nil ? .tokensJSONL : .tokenizerJSON
    }

    /// Whether the first line reads `<base64> <digits>`.
    static func looksLikeTiktoken(_ bytes: [UInt8]) -> Bool {
        let line = bytes.prefix { $0 != 0x0A && $0 != 0x0D }
        guard let space = line.firstIndex(of: 0x20), space > line.startIndex else { return false }
        let isBase64: (UInt8) -> Bool = { b in
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "/"), UInt8(ascii: "="): true
            default: false
            }
        }
        let rank = line[(space + 1)...]
        return line[..<space].allSatisfy(isBase64) && !rank.isEmpty && rank.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }
}
