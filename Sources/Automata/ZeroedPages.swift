#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Blocks of memory mapped straight from the system: zero until written, with no page backed by
/// memory before it is written. A large table allocated this way costs nothing up front, where
/// `calloc` may take it from the heap and clear every byte at once (glibc raises its mapping
/// threshold as large blocks are freed, so later large blocks come from the heap).
enum ZeroedPages {
    /// `bytes` of zeroed, readable and writable memory, or nil when the system refuses. With
    /// `reserveOnly`, no memory is committed to the block (the system backs pages as they are
    /// written, and may fail then).
    static func allocate(_ bytes: Int, reserveOnly: Bool = false) -> UnsafeMutableRawPointer? {
        #if canImport(Darwin)
        var flags = MAP_PRIVATE | MAP_ANON
        #else
        var flags = MAP_PRIVATE | MAP_ANONYMOUS
        #endif
        if reserveOnly { flags |= MAP_NORESERVE }
        guard bytes > 0, let block = mmap(nil, bytes, PROT_READ | PROT_WRITE, flags, -1, 0), block != MAP_FAILED else {
            return nil
        }
        return block
    }

    /// Returns a block of `bytes` from `allocate` to the system.
    static func release(_ block: UnsafeMutableRawPointer, bytes: Int) {
        munmap(block, bytes)
    }
}
