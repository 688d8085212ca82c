import Automata

/// A vocabulary with the index a matcher walks (its token trie). Build it once per tokenizer
/// and share it across every grammar compiled for that tokenizer.
public final class PreparedVocabulary: Sendable {
    /// The vocabulary.
    public let vocabulary: Vocabulary
    /// The token prefix tree.
    public let trie: TokenTrie

    /// Prepares `vocabulary` for matching.
    public init(_ vocabulary: Vocabulary) {
        self.vocabulary = vocabulary
        self.trie = TokenTrie(vocabulary)
    }

    /// The number of token ids (mask bits).
    public var size: Int { vocabulary.size }

    /// The number of `UInt32` words of a mask.
    public var maskWordCount: Int { (vocabulary.size + 31) / 32 }
}
