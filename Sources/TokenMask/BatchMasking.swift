import Foundation

/// Token masks for a whole batch of sequences at once, in the row-major layout decoders hand
/// to their logit-masking kernels: one row of `wordsPerRow` `UInt32` words per sequence, bit
/// `t & 31` of word `t >> 5` set when token `t` is allowed (the `TokenBitmask` layout).
///
/// A decoder step with a batch of sequences, each with its own `Matcher` (the grammars may
/// differ; the vocabulary size must fit the row):
///
/// ```swift
/// let wordsPerRow = (modelVocabularySize + 31) / 32
/// var bitmask = [UInt32](repeating: 0, count: matchers.count * wordsPerRow)
/// bitmask.withUnsafeMutableBufferPointer { words in
///     BatchMasking.fillMasks(matchers, into: words, wordsPerRow: wordsPerRow)
/// }
/// // Hand `bitmask` to the masking kernel, sample one token per row, then for each row:
/// // try matchers[row].accept(token: sampled[row])
/// ```
public enum BatchMasking {
    /// Fills row `i` of `words` (the words at `i * wordsPerRow ..< (i + 1) * wordsPerRow`) with
    /// the mask of `matchers[i]`; words of a row past its matcher's mask are set to zero, so a
    /// row may be wider than the vocabulary (model logits padded past the tokenizer).
    ///
    /// With `parallel`, a batch large enough to pay for it is split across the cores with
    /// `DispatchQueue.concurrentPerform`; the result is the same either way. Masks are cached
    /// per automaton state, so a batch mostly copies cached masks; the first visit of a state
    /// builds its mask under the grammar's lock.
    ///
    /// - Precondition: `words.count >= matchers.count * wordsPerRow`, and every matcher's mask
    ///   (`(vocabularySize + 31) / 32` words) fits in `wordsPerRow`.
    public static func fillMasks(
        _ matchers: [Matcher], into words: UnsafeMutableBufferPointer<UInt32>, wordsPerRow: Int, parallel: Bool = true
    ) {
        precondition(wordsPerRow >= 0 && words.count >= matchers.count * wordsPerRow, "bitmask buffer too small for the batch")
        let rows = matchers.count
        let chunks = parallel ? min(rows, maxChunks, rows * wordsPerRow / minimumWordsPerChunk) : 1
        guard chunks > 1 else {
            fillRows(matchers, 0..<rows, into: words, wordsPerRow: wordsPerRow)
            return
        }
        // Chunks write disjoint rows.
        nonisolated(unsafe) let shared = words
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let range = rows * chunk / chunks ..< rows * (chunk + 1) / chunks
            fillRows(matchers, range, into: shared, wordsPerRow: wordsPerRow)
        }
    }

    /// The least work (words written) worth a chunk of its own. A row is mostly a copy of a
    /// cached mask, memory-bound and fast; measured on two cores, a chunk of less than about
    /// 4 MiB of rows costs more in dispatch and in contention on the grammar's lock than the
    /// other core saves.
    private static let minimumWordsPerChunk = 1 << 20

    /// Chunks per batch: a few per core, so a core held up by building a new mask is not
    /// left with a whole share of the batch.
    private static let maxChunks = 4 * ProcessInfo.processInfo.activeProcessorCount

    /// Fills the batch's `rows`, zeroing each row's words past its mask.
    private static func fillRows(
        _ matchers: [Matcher], _ rows: Range<Int>, into words: UnsafeMutableBufferPointer<UInt32>, wordsPerRow: Int
    ) {
        for i in rows {
            let row = UnsafeMutableBufferPointer(rebasing: words[i * wordsPerRow ..< (i + 1) * wordsPerRow])
            let matcher = matchers[i]
            matcher.fillMask(into: row)
            let maskWords = matcher.vocabulary.maskWordCount
            if maskWords < wordsPerRow {
                UnsafeMutableBufferPointer(rebasing: row[maskWords...]).update(repeating: 0)
            }
        }
    }
}
