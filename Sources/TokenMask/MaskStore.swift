import Foundation

/// The masks a grammar has cached, by mask id (`MaskEngine.fillMask`), each distinct mask held
/// once: configurations with equal masks (e.g. the contents of strings under different
/// properties; on the Llama 3 sample, 81 % of the bitsets stored repeat one their grammar already
/// held) share one copy, which therefore stays in the processor's caches. A mask is kept in the faster
/// of three forms to write out (the idea of XGrammar's adaptive token mask cache): its few
/// allowed ids, its few disallowed ids, or its bitset (a 16 KB copy for Llama 3, about as fast
/// as setting 128 scattered bits).
///
/// The masks' words live in chunks that are neither moved nor freed before the store is, so a
/// `Mask` read under the engine's lock stays valid after it is released (the copy is made
/// outside the lock), and reading one takes no reference count.
struct MaskStore: ~Copyable {
    /// Where a cached mask's words are, and their form: a plain value, valid as long as the store lives.
    struct Mask {
        /// How a mask's words are kept.
        enum Form: UInt8 {
            /// Not cached.
            case none
            /// The allowed ids, ascending.
            case allowed
            /// The disallowed ids, ascending.
            case disallowed
            /// The mask's words.
            case bitset
        }

        /// The first word (nil when not cached).
        var start: UnsafePointer<UInt32>?
        /// The number of ids of a list, or of words of a bitset.
        var count: Int32
        /// How the words are kept.
        var form: Form

        /// No mask.
        static var none: Mask { Mask(start: nil, count: 0, form: .none) }

        /// Writes the mask of `size` ids into `words` (all of them overwritten).
        func write(into words: UnsafeMutableBufferPointer<UInt32>, size: Int) {
            let out = words.baseAddress!
            let n = Int(count)
            switch form {
            case .none:
                preconditionFailure("no mask cached")
            case .allowed:
                out.update(repeating: 0, count: words.count)
                formUnion(into: words, size: size)
            case .disallowed:
                out.update(repeating: ~0, count: words.count)
                let tail = size & 31
                if tail != 0 { out[words.count - 1] = (1 << UInt32(tail)) - 1 }
                for k in 0..<n {
                    let id = start![k]
                    out[Int(id >> 5)] &= ~(1 << (id & 31))
                }
            case .bitset:
                out.update(from: start!, count: n)
            }
        }

        /// Sets in `words` the bits of the ids the mask of `size` ids allows (the others are
        /// left as they are).
        func formUnion(into words: UnsafeMutableBufferPointer<UInt32>, size: Int) {
            let out = words.baseAddress!
            let n = Int(count)
            switch form {
            case .none:
                preconditionFailure("no mask cached")
            case .allowed:
                for k in 0..<n {
                    let id = start![k]
                    out[Int(id >> 5)] |= 1 << (id & 31)
                }
            case .disallowed:
                // Every id but the listed ones is set: keep which of those were set, set all,
                // clear the others.
                var k = 0
                for w in 0..<words.count {
                    var keep = ~UInt32(0)
                    while k < n, Int(start![k] >> 5) == w {
                        let bit: UInt32 = 1 << (start![k] & 31)
                        if out[w] & bit == 0 { keep &= ~bit }
                        k += 1
                    }
                    out[w] = keep
                }
                let tail = size & 31
                if tail != 0 { out[words.count - 1] &= (1 << UInt32(tail)) - 1 }
            case .bitset:
                for w in 0..<n { out[w] |= start![w] }
            }
        }
    }

    /// The most ids a list holds: past it a bitset is written out faster (measured on Llama 3's
    /// 4,008 words: zeroing them and setting 128 bits takes about as long as copying a bitset).
    static let maxListedIDs = 128
    /// The smallest chunk of words allocated, and the largest allocated ahead of need.
    private static let minChunkWords = 4 * 1024
    private static let maxChunkWords = 1024 * 1024

    /// Ids per mask (the vocabulary's size) and words per mask.
    private let size: Int
    private let wordCount: Int
    /// By mask id.
    private var masks: [Mask] = []
    /// The distinct masks, by hash of their form and words: indices into `distinct`.
    private var byHash: [UInt64: [Int32]] = [:]
    private var distinct: [Mask] = []
    /// The chunks of words, and the unused part of the last one.
    private var chunks: [UnsafeMutablePointer<UInt32>] = []
    private var free: UnsafeMutablePointer<UInt32>?
    private var freeCount = 0
    private var chunkWords = 0
    /// Scratch for a list of ids being stored.
    private var list: [UInt32]

    /// Masks cached (ids with a mask).
    private(set) var cachedCount = 0

    /// A store for masks of `size` ids in `wordCount` words.
    init(size: Int, wordCount: Int) {
        self.size = size
        self.wordCount = wordCount
        list = [UInt32](repeating: 0, count: MaskStore.maxListedIDs)
    }

    deinit {
        for chunk in chunks { chunk.deallocate() }
    }

    /// Bytes held: the chunks, the table by id and the index of distinct masks.
    var byteCount: Int {
        chunkWords * 4 + masks.capacity * MemoryLayout<Mask>.stride
            + distinct.count * (MemoryLayout<Mask>.stride + MemoryLayout<UInt64>.stride * 2 + 32)
    }

    /// The mask cached under `id` (`Mask.none` when there is none).
    @inline(__always)
    func mask(_ id: Int32) -> Mask {
        Int(id) < masks.count ? masks[Int(id)] : .none
    }

    /// Caches under `id` the mask in `words` (EOS included), of which between
    /// `allowedCount.lowerBound` and `allowedCount.upperBound` ids are allowed (a list is chosen
    /// only when the bound proves it short); `listed`: its allowed ids, in any order, when known
    /// (at most `maxListedIDs`). A mask equal to one already held is shared; otherwise it is
    /// cached only when the bytes it adds keep `byteCount` within `budget`. Replaces any mask
    /// cached under `id`.
    mutating func store(_ id: Int32, words: UnsafeBufferPointer<UInt32>, allowedCount: ClosedRange<Int>,
                        listed: UnsafeBufferPointer<Int32>? = nil, budget: Int) {
        var form = Mask.Form.bitset
        var count = wordCount
        if allowedCount.upperBound <= Self.maxListedIDs || size - allowedCount.lowerBound <= Self.maxListedIDs {
            form = allowedCount.upperBound <= Self.maxListedIDs ? .allowed : .disallowed
            count = list.withUnsafeMutableBufferPointer { list in
                if form == .allowed, let listed {
                    for (k, id) in listed.enumerated() { list[k] = UInt32(id) }
                    list[..<listed.count].sort()
                    return listed.count
                }
                return Self.ids(in: words, set: form == .allowed, size: size, into: list)
            }
        }
        let mask = list.withUnsafeBufferPointer { list in
            let content = form == .bitset ? words.baseAddress! : list.baseAddress!
            let hash = Self.hash(content, count: count, form: form)
            if let known = byHash[hash]?.first(where: { k in
                let other = distinct[Int(k)]
                return other.form == form && Int(other.count) == count && memcmp(other.start!, content, count * 4) == 0
            }) {
                return distinct[Int(known)]
            }
            guard let start = allocate(count, budget: budget) else { return Mask.none }
            start.update(from: content, count: count)
            let mask = Mask(start: start, count: Int32(count), form: form)
            byHash[hash, default: []].append(Int32(distinct.count))
            distinct.append(mask)
            return mask
        }
        if mask.form == .none { return }
        if masks.count <= Int(id) { masks.append(contentsOf: repeatElement(.none, count: Int(id) + 1 - masks.count)) }
        if masks[Int(id)].form == .none { cachedCount += 1 }
        masks[Int(id)] = mask
    }

    /// Room for `count` words in the chunks, or nil when a new chunk would take `byteCount`
    /// beyond `budget`.
    private mutating func allocate(_ count: Int, budget: Int) -> UnsafeMutablePointer<UInt32>? {
        if count > freeCount || free == nil {
            let words = max(count, min(max(chunkWords / 2, Self.minChunkWords), Self.maxChunkWords))
            // A chunk the budget cannot hold whole: only the words needed.
            let size = byteCount + words * 4 <= budget ? words : count
            guard byteCount + size * 4 <= budget else { return nil }
            let chunk = UnsafeMutablePointer<UInt32>.allocate(capacity: size)
            chunks.append(chunk)
            chunkWords += size
            free = chunk
            freeCount = size
        }
        let start = free!
        free = start + count
        freeCount -= count
        return start
    }

    /// A hash of a form and its `count` words (eight independent lanes, for speed).
    private static func hash(_ words: UnsafePointer<UInt32>, count: Int, form: Mask.Form) -> UInt64 {
        let k: UInt64 = 0x9E37_79B9_7F4A_7C15
        var lanes: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (1, 2, 3, 4, 5, 6, 7, 8)
        var i = 0
        while i + 16 <= count {
            @inline(__always) func pair(_ j: Int) -> UInt64 { UInt64(words[i + j]) | UInt64(words[i + j + 1]) << 32 }
            lanes.0 = (lanes.0 &+ pair(0)) &* k
            lanes.1 = (lanes.1 &+ pair(2)) &* k
            lanes.2 = (lanes.2 &+ pair(4)) &* k
            lanes.3 = (lanes.3 &+ pair(6)) &* k
            lanes.4 = (lanes.4 &+ pair(8)) &* k
            lanes.5 = (lanes.5 &+ pair(10)) &* k
            lanes.6 = (lanes.6 &+ pair(12)) &* k
            lanes.7 = (lanes.7 &+ pair(14)) &* k
            i += 16
        }
        var h = UInt64(form.rawValue) &+ UInt64(count) << 8
        while i < count {
            h = (h &+ UInt64(words[i])) &* k
            i += 1
        }
        @inline(__always) func mix(_ lane: UInt64) { h = (h ^ (lane >> 29) ^ lane) &* k }
        mix(lanes.0); mix(lanes.1); mix(lanes.2); mix(lanes.3); mix(lanes.4); mix(lanes.5); mix(lanes.6); mix(lanes.7)
        return h ^ (h >> 32)
    }

    /// Writes into `list` the ids below `size` whose bit in `words` is `set` (or clear),
    /// ascending; returns how many (at most `list.count`, which the caller has proved enough).
    private static func ids(in words: UnsafeBufferPointer<UInt32>, set: Bool, size: Int,
                            into list: UnsafeMutableBufferPointer<UInt32>) -> Int {
        var n = 0
        let flip: UInt64 = set ? 0 : ~0
        // Two words at a time: most of a mask's words have no id to list.
        let pairs = words.count / 2
        for p in 0...pairs {
            var bits: UInt64
            if p < pairs {
                bits = (UInt64(words[2 * p]) | UInt64(words[2 * p + 1]) << 32) ^ flip
            } else if words.count % 2 == 1 {
                bits = UInt64(words[words.count - 1]) ^ (flip & 0xFFFF_FFFF)
            } else {
                break
            }
            while bits != 0 {
                let id = p << 6 | bits.trailingZeroBitCount
                if id >= size || n == list.count { return n }
                list[n] = UInt32(id)
                n += 1
                bits &= bits - 1
            }
        }
        return n
    }
}
