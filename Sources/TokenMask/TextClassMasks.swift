import Foundation
import Automata

/// The masks of the `TextClass`es that grammars of one vocabulary have met, built on first use
/// and shared by every grammar of the vocabulary (a class, such as "plain text but U+2028 and
/// U+2029" for a pattern's `.`, recurs across schemas), from the vocabulary's trie summary
/// (`PreparedVocabulary.textSummary`).
///
/// A class no token is too long for is built from the vocabulary's plain tokens less those
/// with a byte of a group outside the class (`TokenTrie.PlainTokenGroups`) where that is
/// cheaper than the summary's trie walk, a bit per token (1.6–3.3 M instructions for a class
/// of most plain text: the worst masks of several traces were a class's first).
///
/// A mask walk inside a string of a class leaves out the class's tokens
/// (`ConfigurationSpace.fillAllowed(_:trie:taking:summary:into:listingInto:)`); the class's
/// mask, OR'ed in as words, adds them. At most `capacity` masks are kept (16 KB each on a
/// 128k vocabulary); past it a mask is built for its use and not kept.
///
/// A class shorter than the longest token (the positions of a string under a `maxLength`: one
/// class per remaining length) is the class's mask at any length, filtered by each token's
/// length in the class's unit: AND'ed with the mask of the vocabulary's tokens of that length
/// at most (`TokenTrie.TextSummary.tokensByBytes`, `tokensByCharacters`), built once per length
/// from the nearest one built.
/// Walking the trie for each length cost 3–15 M instructions a mask (`o28203`'s
/// `maxLength: 16`: masks over 1 ms).
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
    /// The tokens of at most k bytes (key 2k) or characters (2k + 1), as mask words.
    private var shortTokenMasks: [Int: [UInt32]] = [:]

    /// The mask of `textClass` in `vocabulary` (built and kept on first use, while there is room).
    func mask(of textClass: TextClass, in vocabulary: PreparedVocabulary) -> Mask {
        var textClass = textClass
        textClass.closed = false   // the same tokens (`countsCharacters` changes them)
        lock.lock()
        defer { lock.unlock() }
        return mask(textClass, vocabulary)
    }

    /// `mask(of:in:)` under the lock.
    private func mask(_ textClass: TextClass, _ vocabulary: PreparedVocabulary) -> Mask {
        if let known = masks[textClass] { return known }
        let longest = vocabulary.trie.maxDepth
        let mask: Mask
        if textClass.maxBytes < longest && longest < 255 {
            // Every token of the class's groups, whatever its length (no token is longer than
            // the trie is deep, in bytes or characters; the summary's lengths stop at 254),
            // then those short enough.
            var any = textClass
            any.maxBytes = longest
            any.countsCharacters = false
            let all = self.mask(any, vocabulary).words
            let short = shortTokens(upTo: textClass.maxBytes, inCharacters: textClass.countsCharacters, vocabulary)
            var words = [UInt32](repeating: 0, count: all.count)
            var count = 0
            for i in 0..<words.count {
                words[i] = all[i] & short[i]
                count += words[i].nonzeroBitCount
            }
            mask = Mask(words: words, count: count)
        } else if textClass.maxBytes >= longest, byGroupsIsCheaper(textClass, vocabulary) {
            let (words, count) = vocabulary.plainTokenGroups.mask(of: textClass, wordCount: vocabulary.maskWordCount)
            mask = Mask(words: words, count: count)
        } else {
            let (words, count) = vocabulary.textSummary.mask(of: textClass, trie: vocabulary.trie, wordCount: vocabulary.maskWordCount)
            mask = Mask(words: words, count: count)
        }
        if masks.count < TextClassMasks.capacity { masks[textClass] = mask }
        return mask
    }

    /// Whether `textClass`'s mask costs less from the vocabulary's per-group token sets (one
    /// instruction or so a word of each group left out) than by the trie walk (about 8 a
    /// token of the class, from the summary's estimate): a class of most plain text leaves
    /// out a few groups and holds ~120k tokens of a 128k vocabulary, a narrow one the reverse.
    private func byGroupsIsCheaper(_ textClass: TextClass, _ vocabulary: PreparedVocabulary) -> Bool {
        let groups = vocabulary.plainTokenGroups
        return groups.excludedGroupCount(of: textClass) * groups.wordsPerSet <= 8 * vocabulary.textSummary.estimatedTokenCount(of: textClass)
    }

    /// The tokens of at most `maxLength` bytes (or characters) as mask words, built and kept
    /// on first use while there is room: from the kept length nearest in tokens (or from no
    /// token, or every id), toggling the tokens between (the lengths of a string's positions
    /// come one after another).
    private func shortTokens(upTo maxLength: Int, inCharacters: Bool, _ vocabulary: PreparedVocabulary) -> [UInt32] {
        let key = 2 * maxLength + (inCharacters ? 1 : 0)
        if let known = shortTokenMasks[key] { return known }
        let summary = vocabulary.textSummary
        let order = inCharacters ? summary.tokensByCharacters : summary.tokensByBytes
        let target = order.count(upTo: maxLength)
        // No token (count 0), a kept length, or every id (`order.ids.count`: a length near
        // the longest token's leaves out few).
        var nearest: (count: Int, words: [UInt32]?) = (0, nil)
        for (other, words) in shortTokenMasks where other & 1 == key & 1 {
            let c = order.count(upTo: other >> 1)
            if abs(c - target) < abs(nearest.count - target) { nearest = (c, words) }
        }
        let all = order.ids.count
        if all - target < abs(nearest.count - target) {
            var every = [UInt32](repeating: 0, count: vocabulary.maskWordCount)
            for i in 0..<all >> 5 { every[i] = ~0 }
            if all & 31 != 0 { every[all >> 5] = (1 << UInt32(all & 31)) - 1 }
            nearest = (all, every)
        }
        var words = nearest.words ?? [UInt32](repeating: 0, count: vocabulary.maskWordCount)
        let from = nearest.count
        words.withUnsafeMutableBufferPointer { words in
            order.ids.withUnsafeBufferPointer { ids in
                for id in ids[min(from, target)..<max(from, target)] { words[Int(id) >> 5] ^= 1 << UInt32(id & 31) }
            }
        }
        if shortTokenMasks.count < TextClassMasks.capacity { shortTokenMasks[key] = words }
        return words
    }
}
