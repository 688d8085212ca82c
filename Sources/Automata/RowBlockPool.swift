import class Foundation.NSLock
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The reserved blocks of step-cache rows (`TransitionRows`) of grammars that are gone, kept for
/// the next grammars of the process.
///
/// A new grammar's rows would otherwise land on pages the system has never backed: every fourth
/// configuration would stop on a page fault (the kernel clearing a page and charging it), and
/// every grammar's teardown would unmap its block (a TLB flush). A recycled block's first rows
/// are backed already; `TransitionRows` clears such a row itself, 1 KB, when it creates it.
///
/// Bounded: at most `maxBlocks` blocks are kept, each with at most `maxBackedRows` rows still
/// backed (the pages past them are given back to the system when the block is handed in), so
/// the pool holds at most `maxBlocks × maxBackedRows` KB of memory. Thread-safe.
final class RowBlockPool: @unchecked Sendable {
    /// The pool of the process.
    static let shared = RowBlockPool(maxBlocks: 4, maxBackedRows: 8_192)

    /// A reserved block of rows.
    struct Block {
        /// The first byte of the block (page aligned).
        var base: UnsafeMutableRawPointer
        /// The bytes reserved.
        var bytes: Int
        /// The leading rows whose pages may be backed (and hold old entries); the rows after
        /// them read zero.
        var backedRows: Int
    }

    private let lock = NSLock()
    private var blocks: [Block] = []
    /// The most blocks kept.
    let maxBlocks: Int
    /// The most rows of a kept block whose pages stay backed.
    let maxBackedRows: Int

    init(maxBlocks: Int, maxBackedRows: Int) {
        self.maxBlocks = maxBlocks
        self.maxBackedRows = maxBackedRows
    }

    /// A kept block of exactly `bytes` bytes (the most recently handed in), or nil.
    func take(bytes: Int) -> Block? {
        lock.lock()
        defer { lock.unlock() }
        guard let k = blocks.lastIndex(where: { $0.bytes == bytes }) else { return nil }
        return blocks.remove(at: k)
    }

    /// Keeps `block` for a later `take`, its backed rows trimmed to `maxBackedRows`, or gives
    /// it back to the system when the pool is full.
    func give(_ block: Block) {
        var block = block
        if block.backedRows > maxBackedRows {
            let start = RowBlockPool.pageRounded(maxBackedRows * TransitionRows.rowBytes)
            let end = min(RowBlockPool.pageRounded(block.backedRows * TransitionRows.rowBytes), block.bytes)
            if end > start, !RowBlockPool.discard(block.base + start, bytes: end - start) {
                ZeroedPages.release(block.base, bytes: block.bytes)
                return
            }
            block.backedRows = maxBackedRows
        }
        lock.lock()
        let kept = blocks.count < maxBlocks
        if kept { blocks.append(block) }
        lock.unlock()
        if !kept { ZeroedPages.release(block.base, bytes: block.bytes) }
    }

    /// The number of blocks kept, and the rows of theirs that may be backed.
    var holding: (blocks: Int, backedRows: Int) {
        lock.lock()
        defer { lock.unlock() }
        return (blocks.count, blocks.reduce(0) { $0 + $1.backedRows })
    }

    /// Gives every kept block back to the system.
    func drain() {
        lock.lock()
        let all = blocks
        blocks.removeAll()
        lock.unlock()
        for block in all { ZeroedPages.release(block.base, bytes: block.bytes) }
    }

    /// The size of a page.
    static let pageBytes = Int(sysconf(Int32(_SC_PAGESIZE)))

    /// `bytes` rounded up to whole pages.
    static func pageRounded(_ bytes: Int) -> Int { (bytes + pageBytes - 1) / pageBytes * pageBytes }

    /// Gives the pages of `bytes` at `start` (page aligned) back to the system: they read zero
    /// when next touched. False where the system cannot do that for private mappings.
    static func discard(_ start: UnsafeMutableRawPointer, bytes: Int) -> Bool {
        #if os(Linux)
        return madvise(start, bytes, MADV_DONTNEED) == 0
        #else
        return false
        #endif
    }
}
