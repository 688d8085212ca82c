import Foundation
import Automata

/// The whitespace subtrees of a vocabulary's trie (`TokenTrie.WhitespaceRuns`), built once: in
/// the background after the vocabulary is prepared, or by the first use if that comes first
/// (which then waits for it under the lock).
final class WhitespaceRunsTable: @unchecked Sendable {
    private let lock = NSLock()
    private var runs: TokenTrie.WhitespaceRuns?

    /// The whitespace subtrees of `trie` (the vocabulary's), built on the first call.
    func runs(of trie: TokenTrie) -> TokenTrie.WhitespaceRuns {
        lock.lock()
        defer { lock.unlock() }
        if let runs { return runs }
        let built = TokenTrie.WhitespaceRuns(trie)
        runs = built
        return built
    }
}
