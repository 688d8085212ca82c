import Foundation
import Automata

/// The masks of the `TextClass`es that grammars of one vocabulary have met, built on first use
/// and shared by every grammar of the vocabulary (a class, such as "plain text but U+2028 and
/// U+2029" for a pattern's `.`, recurs across schemas), from the vocabulary's trie summary
/// (`PreparedVocabulary.textSummary`).
///
/// A mask walk inside a string of a class leaves out the class's tokens
/// (`ConfigurationSpace.fillAllowed(_:trie:taking:summary:into:listingInto:)`); the class's
/// mask, OR'ed in as words, adds them. At most `capacity` masks are kept (16 KB each on a
/// 128k vocabulary); past it a mask is built for its use and not kept.
final class TextClassMasks: @unchecked Sendable {
    /// A class's tokens as mask words, and how many they are.
    struct Mask {
        let words: [UInt32]
        let count: Int
    }

    /// The most masks kept.
    static let capacity = 512

    private let lock = NSLock()
    private var masks: [TextClass: Mask] = [:]

    /// The mask of `textClass` in `vocabulary` (built and kept on first use, while there is room).
    func mask(of textClass: TextClass, in vocabulary: PreparedVocabulary) -> Mask {
        var textClass = textClass
        textClass.closed = false   // the same tokens (`countsCharacters` changes them)
        lock.lock()
        defer { lock.unlock() }
        if let known = masks[textClass] { return known }
        let (words, count) = vocabulary.textSummary.mask(of: textClass, trie: vocabulary.trie, wordCount: vocabulary.maskWordCount)
        let mask = Mask(words: words, count: count)
        if masks.count < TextClassMasks.capacity { masks[textClass] = mask }
        return mask
    }
}
