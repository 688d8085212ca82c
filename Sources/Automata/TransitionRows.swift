#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The storage of `ConfigurationSpace`'s step cache: 256 `Int32` entries per configuration, in
/// one block whose address never changes.
///
/// The block is address space reserved up front for the most rows the space may create; the
/// system backs its pages with memory only once they are written, so a small grammar holds
/// only the pages of its rows. Growing a table of a hundred megabytes by copying it (as
/// `realloc` does on the heap) would stall one step, and the mask waiting on it, for
/// milliseconds. Where the reservation is refused (a system that does not overcommit), the rows
/// are reallocated as they grow instead.
struct TransitionRows: ~Copyable {
    /// The first entry of row 0; row `r` is `base[r << 8 ..< (r + 1) << 8]`.
    private(set) var base: UnsafeMutablePointer<Int32>
    /// Rows that may be written without growing.
    private var capacity: Int
    /// The bytes of the reservation, or 0 when `base` comes from `malloc`.
    private let reservedBytes: Int

    /// Storage for up to `maxRows` rows.
    init(maxRows: Int) {
        let bytes = maxRows * TransitionRows.rowBytes
        if let block = ZeroedPages.allocate(bytes, reserveOnly: true) {
            base = block.assumingMemoryBound(to: Int32.self)
            capacity = maxRows
            reservedBytes = bytes
        } else {
            capacity = 64
            base = malloc(capacity * TransitionRows.rowBytes)!.assumingMemoryBound(to: Int32.self)
            reservedBytes = 0
        }
    }

    deinit {
        if reservedBytes > 0 {
            ZeroedPages.release(UnsafeMutableRawPointer(base), bytes: reservedBytes)
        } else {
            free(base)
        }
    }

    private static let rowBytes = 256 * MemoryLayout<Int32>.stride

    /// Fills row `row` with `value`, making room for it first.
    mutating func initializeRow(_ row: Int, to value: Int32) {
        if row >= capacity {
            precondition(reservedBytes == 0, "row \(row) past the reserved rows")
            capacity = max(2 * capacity, row + 1)
            guard let grown = realloc(base, capacity * TransitionRows.rowBytes) else {
                fatalError("out of memory growing the transition table")
            }
            base = grown.assumingMemoryBound(to: Int32.self)
        }
        (base + row << 8).initialize(repeating: value, count: 256)
    }
}
