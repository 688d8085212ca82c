#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The storage of `ConfigurationSpace`'s step cache: one row of `Int32` entries per
/// configuration, an entry per byte class (`1 << rowShift` entries: the grammar's byte classes
/// rounded up to a power of two, at most 256), in one block whose address never changes.
///
/// The block is address space reserved up front for the most rows the space may create; the
/// system backs its pages with memory only once they are written, so a small grammar holds
/// only the pages of its rows. Growing a table of a hundred megabytes by copying it (as
/// `realloc` does on the heap) would stall one step, and the mask waiting on it, for
/// milliseconds. Where the reservation is refused (a system that does not overcommit), the rows
/// are reallocated as they grow instead. When the grammar is gone its block goes to
/// `RowBlockPool`, and a later grammar reuses it, with the pages of its first rows backed
/// already: those rows are cleared as they are created instead of faulted in. (Every block
/// reserves rows of the widest kind, so that a block fits any later grammar.)
///
/// An entry holds a step's result plus 2, so that a zero entry — a page never written, or one
/// handed back by `evictAll` — reads as `ConfigurationSpace.unknown`: the table is a cache
/// whose memory can be given back at any time without touching the configurations.
struct TransitionRows: ~Copyable {
    /// The first entry of row 0; row `r` is `base[r << rowShift ..< (r + 1) << rowShift]`, each
    /// entry the step's result plus 2 (`encoded`).
    private(set) var base: UnsafeMutablePointer<Int32>
    /// The base-2 logarithm of the entries of a row.
    let rowShift: Int
    /// Rows that may be written without growing.
    private var capacity: Int
    /// The bytes of the reservation, or 0 when `base` comes from `malloc`.
    private let reservedBytes: Int
    /// Rows created so far (`initializeRow`).
    private var rows = 0
    /// In a reserved block: the leading bytes whose pages may be backed with another grammar's
    /// entries (a block from `RowBlockPool`); `initializeRow` clears the rows there. The bytes
    /// after them read zero.
    private var recycledBytes = 0
    /// In a reserved block: the leading bytes whose pages are backed (recycled, or populated
    /// ahead by `initializeRow`).
    private var backedBytes = 0
    /// Where a reserved block comes from and goes back to.
    private let pool: RowBlockPool

    /// Storage for up to `maxRows` rows of `1 << rowShift` entries, in a block from `pool`
    /// when it keeps one of that size.
    init(maxRows: Int, rowShift: Int, pool: RowBlockPool = .shared) {
        precondition((0...8).contains(rowShift))
        self.pool = pool
        self.rowShift = rowShift
        let bytes = maxRows * TransitionRows.maxRowBytes
        if let block = pool.take(bytes: bytes) {
            base = block.base.assumingMemoryBound(to: Int32.self)
            capacity = maxRows
            reservedBytes = bytes
            recycledBytes = block.backedBytes
            backedBytes = block.backedBytes
        } else if let block = ZeroedPages.allocate(bytes, reserveOnly: true) {
            base = block.assumingMemoryBound(to: Int32.self)
            capacity = maxRows
            reservedBytes = bytes
        } else {
            capacity = 64
            base = malloc(capacity * (4 << rowShift))!.assumingMemoryBound(to: Int32.self)
            reservedBytes = 0
        }
    }

    deinit {
        if reservedBytes > 0 {
            pool.give(.init(base: UnsafeMutableRawPointer(base), bytes: reservedBytes,
                            backedBytes: max(rows * rowBytes, backedBytes)))
        } else {
            free(base)
        }
    }

    /// The bytes of the widest row (256 entries).
    static let maxRowBytes = 256 * MemoryLayout<Int32>.stride

    /// The bytes of a row.
    var rowBytes: Int { MemoryLayout<Int32>.stride << rowShift }

    /// The stored form of a step result (a configuration, `dead` or `unknown`).
    @inline(__always)
    static func encoded(_ value: Int32) -> Int32 { value &+ 2 }

    /// The step result a stored entry stands for.
    @inline(__always)
    static func decoded(_ entry: Int32) -> Int32 { entry &- 2 }

    /// Makes room for row `row` (the next one), all of whose entries read `unknown`.
    mutating func initializeRow(_ row: Int) {
        rows = max(rows, row + 1)
        let start = row * rowBytes
        if reservedBytes > 0 {
            // Never-written pages of the reservation are zero; a recycled row is cleared.
            if start < recycledBytes { (base + row &<< rowShift).update(repeating: 0, count: 1 << rowShift) }
            if start + rowBytes > backedBytes { populate(from: start) }
            return
        }
        if row >= capacity {
            capacity = max(2 * capacity, row + 1)
            guard let grown = realloc(base, capacity * rowBytes) else {
                fatalError("out of memory growing the transition table")
            }
            base = grown.assumingMemoryBound(to: Int32.self)
        }
        (base + row &<< rowShift).initialize(repeating: 0, count: 1 << rowShift)
    }

    /// Bytes populated at once past the backed ones.
    private static let populatedBytes = 64 << 10

    /// Backs the pages of `populatedBytes` bytes from byte `start` on with zeroed memory in
    /// one call. Left to faults, a page would be read first (the walk reads a new row's entries
    /// before a step is written), mapped to the shared zero page, then faulted again and copied
    /// on the first write: two faults per page.
    private mutating func populate(from start: Int) {
        let first = start / RowBlockPool.pageBytes * RowBlockPool.pageBytes
        let end = min(RowBlockPool.pageRounded(start + TransitionRows.populatedBytes), reservedBytes)
        backedBytes = end
        #if os(Linux)
        _ = madvise(UnsafeMutableRawPointer(base) + first, end - first, 23 /* MADV_POPULATE_WRITE */)
        #endif
    }

    /// Forgets every cached step (all entries read `unknown` again) and gives the rows' memory
    /// back to the system where it can.
    mutating func evictAll() {
        let bytes = max(rows * rowBytes, backedBytes)
        // A private anonymous page dropped this way reads as zeros when next touched.
        if reservedBytes > 0,
           RowBlockPool.discard(UnsafeMutableRawPointer(base), bytes: RowBlockPool.pageRounded(bytes)) {
            recycledBytes = 0
            backedBytes = 0
            return
        }
        UnsafeMutableRawPointer(base).initializeMemory(as: UInt8.self, repeating: 0, count: bytes)
    }
}
