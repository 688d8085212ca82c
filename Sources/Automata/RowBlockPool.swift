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
/// every grammar's teardown would unmap its block (a TLB flush). A recycled block's first pages
/// are backed already; `TransitionRows` clears a row there itself when it creates it.
///
/// Bounded: at most `maxBlocks` blocks are kept, each with at most `maxBackedBytes` bytes still
/// backed (the pages past them are given back to the system when the block is handed in), so
/// the pool holds at most `maxBlocks × maxBackedBytes` bytes of memory. Thread-safe.
final class RowBlockPool: @unchecked Sendable {
    /// The pool of the process.
    static let shared = RowBlockPool(maxBlocks: 4, maxBackedBytes: 8 << 20)

    /// A reserved block of rows.
    struct Block {
        /// The first byte of the block (page aligned).
        var base: UnsafeMutableRawPointer
        /// The bytes reserved.
        var bytes: Int
        /// The leading bytes whose pages may be backed (and hold old entries); the bytes after
        /// them read zero.
        var backedBytes: Int
    }

    private let lock = NSLock()
    private var blocks: [Block] = []
    /// The most blocks kept.
    let maxBlocks: Int
    /// The most bytes of a kept block whose pages stay backed.
    let maxBackedBytes: Int

    init(maxBlocks: Int, maxBackedBytes: Int) {
        self.maxBlocks = maxBlocks
        self.maxBackedBytes = RowBlockPool.pageRounded(maxBackedBytes)
    }

    /// A kept block of exactly `bytes` bytes (the most recently handed in), or nil.
    func take(bytes: Int) -> Block? {
        lock.lock()
        defer { lock.unlock() }
        guard let k = blocks.lastIndex(where: { $0.bytes == bytes }) else { return nil }
        return blocks.remove(at: k)
    }

    /// Keeps `block` for a later `take`, its backed bytes trimmed to `maxBackedBytes`, or
    /// gives it back to the system when the pool is full.
    func give(_ block: Block) {
        var block = block
        if block.backedBytes > maxBackedBytes {
            let end = min(RowBlockPool.pageRounded(block.backedBytes), block.bytes)
            if end > maxBackedBytes, !RowBlockPool.discard(block.base + maxBackedBytes, bytes: end - maxBackedBytes) {
                ZeroedPages.release(block.base, bytes: block.bytes)
                return
            }
            block.backedBytes = maxBackedBytes
        }
        lock.lock()
        let kept = blocks.count < maxBlocks
        if kept { blocks.append(block) }
        lock.unlock()
        if !kept { ZeroedPages.release(block.base, bytes: block.bytes) }
    }

    /// The number of blocks kept, and the bytes of theirs that may be backed.
    var holding: (blocks: Int, backedBytes: Int) {
        lock.lock()
        defer { lock.unlock() }
        return (blocks.count, blocks.reduce(0) { $0 + $1.backedBytes })
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
