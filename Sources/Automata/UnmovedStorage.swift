#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Contiguous storage of plain values, indexed from 0, that grows without copying once it is
/// large: entries never written read zero.
///
/// Tables that grow with a grammar's configurations and stack nodes (hundreds of thousands of
/// entries) would otherwise be copied whole when they double, and the mask whose step crosses
/// the doubling pays for it (an array of 64 k stack nodes: 1.6 M instructions in one step).
/// Small storage lives on the heap and doubles as usual; past `mappedBytes` it moves once into
/// address space reserved for `maxCount` entries (`ZeroedPages`, pages backed only as they are
/// written), where growing is only a change of `capacity`. Where the system refuses the
/// reservation, or `maxCount` is passed, it goes on doubling on the heap.
///
/// Not copyable: the owner (`ConfigurationSpace`, `StampedSet`) is the only holder of `base`.
struct UnmovedStorage<Element: BitwiseCopyable>: ~Copyable {
    /// The first entry; valid up to `capacity`. Changes only when the storage moves (on the
    /// heap, or the one move into reserved space).
    private(set) var base: UnsafeMutablePointer<Element>
    /// Entries that may be read and written.
    private(set) var capacity: Int
    /// Entries the reservation may hold (0 while on the heap).
    private var reservedCount = 0
    /// The most entries worth reserving space for.
    private let maxCount: Int

    /// Storage above this many bytes moves into reserved space.
    static var mappedBytes: Int { 1 << 16 }

    /// Zeroed storage of `capacity` entries, that may grow to `maxCount` without copying.
    init(capacity: Int, maxCount: Int) {
        self.capacity = max(capacity, 1)
        self.maxCount = max(maxCount, self.capacity)
        guard let raw = calloc(self.capacity, MemoryLayout<Element>.stride) else { fatalError("out of memory") }
        base = raw.assumingMemoryBound(to: Element.self)
    }

    deinit {
        if reservedCount > 0 {
            ZeroedPages.release(base, bytes: reservedCount * MemoryLayout<Element>.stride)
        } else {
            free(base)
        }
    }

    /// Entry `i` (`i < capacity`).
    @inline(__always)
    subscript(i: Int) -> Element {
        unsafeAddress { UnsafePointer(base + i) }
        nonmutating unsafeMutableAddress { base + i }
    }

    /// Makes `count` entries available (at least doubling when it grows); the new ones read zero.
    @inline(__always)
    mutating func ensure(_ count: Int) {
        if count > capacity { grow(toHold: count) }
    }

    @inline(never)
    private mutating func grow(toHold count: Int) {
        let larger = max(count, 2 * capacity)
        let stride = MemoryLayout<Element>.stride
        if reservedCount > 0, larger <= reservedCount {
            capacity = larger
            return
        }
        if reservedCount == 0, larger * stride > Self.mappedBytes, larger <= maxCount,
           let block = ZeroedPages.allocate(maxCount * stride, reserveOnly: true) {
            let moved = block.assumingMemoryBound(to: Element.self)
            moved.update(from: base, count: capacity)
            free(base)
            base = moved
            reservedCount = maxCount
            capacity = larger
            return
        }
        // On the heap (the reservation refused or too small).
        guard let raw = calloc(larger, stride) else { fatalError("out of memory") }
        let grown = raw.assumingMemoryBound(to: Element.self)
        grown.update(from: base, count: capacity)
        if reservedCount > 0 {
            ZeroedPages.release(base, bytes: reservedCount * stride)
            reservedCount = 0
        } else {
            free(base)
        }
        base = grown
        capacity = larger
    }
}
