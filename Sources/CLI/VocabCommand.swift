import Foundation
import Automata

/// `gramc vocab`: loads a vocabulary and summarizes it, lists every token, or encodes a text.
enum VocabCommand {
    static let help = """
        USAGE: gramc vocab <path> [--json] [--eos IDS] [--encode TEXT]

        Loads a vocabulary (a tokenizer.json, tokens.jsonl, tiktoken rank file, or a folder holding
        one) and prints a summary: kind, id space and defined ids, EOS ids with their text, special
        tokens, the longest token, and how many tokens are not whole UTF-8 (partial characters).

        OPTIONS:
          --json            every token as one line {"id": N, "bytes_hex": "…", "special": bool},
                            in id order: the tokens.jsonl format, byte for byte
          --eos IDS         end-of-sequence ids, comma separated (default: from the vocabulary)
          --encode TEXT     print the ids the tokenizer gives TEXT, as a JSON array (no special
                            tokens added; needs a tokenizer.json)
          -h, --help        show this help
        """

    static func run(_ argv: [String]) throws -> Int32 {
        let args = try Arguments(argv, valued: ["eos", "encode"], flags: ["help", "json"])
        if args.flags.contains("help") { print(help); return 0 }
        guard args.positionals.count == 1 else { throw UsageError("expected one vocabulary path") }
        let path = args.positionals[0]
        if let text = args.options["encode"] {
            guard !args.flags.contains("json"), args.options["eos"] == nil else {
                throw UsageError("--encode takes no --json or --eos")
            }
            let encoder: TokenEncoder
            do {
                encoder = try TokenEncoder(contentsOf: path)
            } catch {
                throw CLIError("cannot build the encoder: \(error)")
            }
            print("[" + encoder.encode(text).map(String.init).joined(separator: ", ") + "]")
            return 0
        }
        let eos = try eosIDs(args.options["eos"])
        let vocabulary: Vocabulary
        do {
            vocabulary = try Vocabulary(contentsOf: path, eos: eos)
        } catch {
            throw CLIError("cannot load vocabulary: \(error)")
        }
        if args.flags.contains("json") {
            FileHandle.standardOutput.write(Data(vocabulary.tokensJSONL().utf8))
        } else {
            print(summary(of: vocabulary, path: path))
        }
        return 0
    }

    /// The ids of `--eos` (nil when not given).
    private static func eosIDs(_ text: String?) throws(UsageError) -> [Int]? {
        guard let text else { return nil }
        let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let ids = parts.compactMap { Int($0) }
        guard !ids.isEmpty, ids.count == parts.count else { throw UsageError("--eos needs comma-separated token ids") }
        return ids
    }

    /// The human-readable summary of `vocabulary`.
    private static func summary(of vocabulary: Vocabulary, path: String) -> String {
        var special = 0, partial = 0
        var longest = (id: -1, count: 0)
        for id in 0..<vocabulary.definedCount {
            let bytes = vocabulary.bytes(of: id)
            if vocabulary.isSpecial(id) { special += 1 }
            if String(validating: bytes, as: UTF8.self) == nil { partial += 1 }
            if bytes.count > longest.count { longest = (id, bytes.count) }
        }
        let eos = vocabulary.eosTokens.map { "\($0) \(text(of: $0, in: vocabulary))" }.joined(separator: ", ")
        let longestText = longest.id < 0 ? "none" : "\(longest.count) bytes (id \(longest.id), \(text(of: longest.id, in: vocabulary)))"
        return """
            vocabulary \(path)
              kind:           \(vocabulary.kind.rawValue)
              ids:            \(vocabulary.size) (\(vocabulary.definedCount) defined by the tokenizer)
              EOS:            \(eos.isEmpty ? "none" : eos)
              special tokens: \(special)
              longest token:  \(longestText)
              partial UTF-8:  \(partial) tokens (bytes that are not whole characters)
            """
    }

    /// Token `id` as a quoted, escaped string (invalid UTF-8 shown as U+FFFD), its first 40
    /// characters when longer.
    private static func text(of id: Int, in vocabulary: Vocabulary) -> String {
        let text = String(decoding: vocabulary.bytes(of: id), as: UTF8.self)
        return text.count > 40 ? String(text.prefix(40)).debugDescription + "…" : text.debugDescription
    }
}
