import Foundation
import Grammar

/// What the Hugging Face configuration files beside a vocabulary say about EOS and added tokens:
/// `tokenizer_config.json` (`eos_token` as a string or an object with `content`;
/// `added_tokens_decoder`), `config.json` and `generation_config.json` (`eos_token_id` as an
/// integer or a list). Missing files are skipped; a file that exists must parse.
struct TokenizerConfigFiles {
    /// A token named as EOS by one of the files.
    enum EOSReference {
        /// By its text (`eos_token`).
        case name(String)
        /// By its id (`eos_token_id`).
        case id(Int)
    }

    /// An added token from `added_tokens_decoder`.
    struct AddedToken {
        var id: Int
        var content: String
        var special: Bool
    }

    /// The EOS references in file order (tokenizer_config.json, config.json, generation_config.json),
    /// each with the path of the file naming it.
    private(set) var eos: [(reference: EOSReference, file: String)] = []
    /// `tokenizer_config.json`'s `added_tokens_decoder`, by ascending id.
    private(set) var addedTokens: [AddedToken] = []
    /// The path of `tokenizer_config.json` when it exists.
    private(set) var tokenizerConfigPath: String?

    /// Reads the files in `folder`.
    init(folder: String) throws(VocabularyError) {
        let base = URL(fileURLWithPath: folder)
        let tokenizerConfig = base.appendingPathComponent("tokenizer_config.json").path
        if let json = try Self.parse(tokenizerConfig) {
            tokenizerConfigPath = tokenizerConfig
            switch json["eos_token"] {
            case nil, .null?: break
            case .string(let name)?: eos.append((.name(name), tokenizerConfig))
            case .object(let object)?:
                guard case .string(let name)? = object["content"] else {
                    throw VocabularyError(.unexpectedShape, "eos_token must be a string or an object with a string 'content'", file: tokenizerConfig)
                }
                eos.append((.name(name), tokenizerConfig))
            default:
                throw VocabularyError(.unexpectedShape, "eos_token must be a string or an object with a string 'content'", file: tokenizerConfig)
            }
            if let decoder = json["added_tokens_decoder"] {
                addedTokens = try Self.addedTokens(decoder, file: tokenizerConfig)
            }
        }
        for name in ["config.json", "generation_config.json"] {
            let path = base.appendingPathComponent(name).path
            guard let json = try Self.parse(path) else { continue }
            switch json["eos_token_id"] {
            case nil, .null?: break
            case let value?:
                let items = value.arrayValue ?? [value]
                for item in items {
                    guard let id = item.numberValue?.intValue else {
                        throw VocabularyError(.unexpectedShape, "eos_token_id must be an integer or a list of integers", file: path)
                    }
                    eos.append((.id(id), path))
                }
            }
        }
    }

    /// The JSON object in `path`, or nil when there is no such file.
    private static func parse(_ path: String) throws(VocabularyError) -> JSONObject? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let bytes = try VocabularyFile.contents(of: path)
        let value: JSONValue
        do {
            value = try JSONParser().parse(bytes: bytes)
        } catch {
            var located = VocabularyError(.malformedJSON, error.message, file: path)
            if case .offset(let offset, let line, _)? = error.location {
                located.line = line
                located.offset = offset
            }
            throw located
        }
        guard let object = value.objectValue else {
            throw VocabularyError(.unexpectedShape, "the document must be an object", file: path)
        }
        return object
    }

    /// `added_tokens_decoder`: `{"<id>": {"content": …, "special": …}, …}`.
    private static func addedTokens(_ value: JSONValue, file: String) throws(VocabularyError) -> [AddedToken] {
        guard let object = value.objectValue else {
            throw VocabularyError(.unexpectedShape, "added_tokens_decoder must be an object", file: file)
        }
        var tokens: [AddedToken] = []
        for (key, entry) in object {
            guard let id = Int(key), let content = entry["content"]?.stringValue else {
                throw VocabularyError(.unexpectedShape, "added_tokens_decoder[\"\(key)\"] needs an integer key and a string 'content'", file: file)
            }
            tokens.append(AddedToken(id: id, content: content, special: entry["special"]?.boolValue ?? false))
        }
        return tokens.sorted { $0.id < $1.id }
    }
}
