/// Finds a vocabulary's EOS ids when the caller gives none.
///
/// First come the tokens the configuration files name, in file order. Then the special tokens
/// with a well-known end marker name, in the order of `wellKnownNames`: chat models stop at
/// their end-of-turn marker even when the configuration names only the end-of-text token, and
/// instruct models configured with an end-of-turn marker still stop at their base end-of-text
/// token. End-of-text names are added only when the configuration names none of them, so a
/// vocabulary that also holds an older one (Phi-3's `</s>` beside its `<|endoftext|>`) does not
/// gain it. Without configuration, every well-known special token present is an EOS.
enum EOSResolution {
    /// Special-token names that end generation, each marked end-of-text (a base model's end
    /// of document) or not (a chat format's end of turn or message).
    static let wellKnownNames: [(name: String, endOfText: Bool)] = [
        ("<|eot_id|>", false),        // Llama 3 end of turn
        ("<|end_of_text|>", true),    // Llama 3 base
        ("<|eom_id|>", false),        // Llama 3.1 end of message (tool call)
        ("<|im_end|>", false),        // ChatML (Qwen, …)
        ("<|endoftext|>", true),      // GPT-2, Qwen base, Phi-3
        ("<|end|>", false),           // Phi-3 end of turn
        ("<|assistant|>", false),     // Phi-3: its generation_config stops on a new assistant turn
        ("<end_of_turn>", false),     // Gemma 2 / 3
        ("<turn|>", false),           // Gemma 4
        ("<eos>", true),              // Gemma
        ("</s>", true),               // SentencePiece (Llama 2, Mistral, T5)
    ]

    /// The EOS ids for `table` from `configured` references and the well-known names.
    ///
    /// - Throws: `invalidEOS` when a configured name is not a token or a configured id lies
    ///   outside `0..<idSpace`, naming the file.
    static func resolve(configured: [(reference: TokenizerConfigFiles.EOSReference, file: String)],
                        in table: TokenTable, idSpace: Int) throws(VocabularyError) -> [Int] {
        var ids: [Int] = []
        for (reference, file) in configured {
            let id: Int
            switch reference {
            case .name(let name):
                guard let found = table.id(named: Array(name.utf8)) else {
                    throw VocabularyError(.invalidEOS, "eos_token '\(name)' is not a token of the vocabulary", file: file)
                }
                id = found
            case .id(let value):
                guard (0..<idSpace).contains(value) else {
                    throw VocabularyError(.invalidEOS, "eos_token_id \(value) is outside the id space 0..<\(idSpace)", file: file)
                }
                id = value
            }
            if !ids.contains(id) { ids.append(id) }
        }
        let found = table.specialIDs(named: wellKnownNames.map { Array($0.name.utf8) })
        let configuresEndOfText = zip(wellKnownNames, found).contains { $0.endOfText && $1.map(ids.contains) == true }
        for (entry, id) in zip(wellKnownNames, found) {
            guard let id, !(entry.endOfText && configuresEndOfText), !ids.contains(id) else { continue }
            ids.append(id)
        }
        return ids
    }
}
