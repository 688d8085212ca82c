/// Token bytes and special flags collected by id while a vocabulary file is read.
///
/// Readers put token bytes in `storage` and `define` each id as a range of it. Ids may arrive
/// in any order and with gaps: the table's `count` is the largest id seen plus one, and ids
/// never defined become empty special tokens.
struct TokenTable {
    /// The largest token id accepted, so a corrupt id cannot make the table allocate gigabytes.
    static let maxID = (1 << 24) - 1

    /// The bytes of the tokens, in the order they were read.
    var storage: [UInt8]
    private var starts: [Int32] = []   // -1 for an id not (yet) defined
    private var ends: [Int32] = []
    private var specialFlags: [Bool] = []

    /// A table over `storage` with room for about `capacity` ids and `byteCapacity` bytes in all.
    init(storage: [UInt8] = [], capacity: Int = 0, byteCapacity: Int = 0) {
        self.storage = storage
        self.storage.reserveCapacity(byteCapacity)
        starts.reserveCapacity(capacity)
        ends.reserveCapacity(capacity)
        specialFlags.reserveCapacity(capacity)
    }

    /// The largest id seen plus one.
    var count: Int { starts.count }

    /// Whether `id` has bytes.
    func isDefined(_ id: Int) -> Bool { id >= 0 && id < count && starts[id] >= 0 }

    /// Whether `id` is defined and special.
    func isSpecial(_ id: Int) -> Bool { isDefined(id) && specialFlags[id] }

    /// The bytes of `id` (empty when it is not defined).
    func bytes(of id: Int) -> ArraySlice<UInt8> {
        guard isDefined(id) else { return [] }
        return storage[Int(starts[id])..<Int(ends[id])]
    }

    /// Makes `id` the bytes `storage[range]`.
    ///
    /// - Parameter replacing: whether `id` may already be defined (added tokens override the
    ///   model's pieces); otherwise a second definition is a `duplicateID` error.
    /// - Throws: `invalidToken` for an id outside `0...maxID` or storage past 32-bit offsets,
    ///   `duplicateID`. The error has no location: the caller knows it.
    mutating func define(_ id: Int, bytes range: Range<Int>, special: Bool, replacing: Bool = false) throws(VocabularyError) {
        guard (0...Self.maxID).contains(id) else {
            throw VocabularyError(.invalidToken, "token id \(id) is outside 0...\(Self.maxID)")
        }
        guard range.upperBound <= Int(Int32.max) else {
            throw VocabularyError(.invalidToken, "the token bytes exceed 2 GiB")
        }
        if id == count {
            starts.append(Int32(range.lowerBound))
            ends.append(Int32(range.upperBound))
            specialFlags.append(special)
            return
        }
        if id > count {
            let missing = id + 1 - count
            starts.append(contentsOf: repeatElement(-1, count: missing))
            ends.append(contentsOf: repeatElement(-1, count: missing))
            specialFlags.append(contentsOf: repeatElement(true, count: missing))
        } else if starts[id] >= 0, !replacing {
            throw VocabularyError(.duplicateID, "token id \(id) is defined twice")
        }
        starts[id] = Int32(range.lowerBound)
        ends[id] = Int32(range.upperBound)
        specialFlags[id] = special
    }

    /// Defines, for every `i` in order, token `ids[i]` as the bytes `storage[ends[i - 1]..<ends[i]]`
    /// (from 0 for the first), not special, as many `define` calls would, in one pass over
    /// exact arrays. The table must be empty.
    ///
    /// - Returns: nil, or the first `i` that `define` would reject, with its error (no location).
    mutating func define(ids: [Int], ends: [Int]) -> (index: Int, error: VocabularyError)? {
        precondition(count == 0 && ids.count == ends.count)
        let n = ids.count
        // The first entry `define` rejects for its id or its bytes (not for being a duplicate).
        var rejected: (index: Int, error: VocabularyError)?
        var largest = -1
        for i in 0..<n {
            let id = ids[i]
            guard (0...Self.maxID).contains(id) else {
                rejected = (i, VocabularyError(.invalidToken, "token id \(id) is outside 0...\(Self.maxID)"))
                break
            }
            guard ends[i] <= Int(Int32.max) else {
                rejected = (i, VocabularyError(.invalidToken, "the token bytes exceed 2 GiB"))
                break
            }
            largest = max(largest, id)
        }
        let checked = rejected?.index ?? n
        starts = [Int32](repeating: -1, count: largest + 1)
        self.ends = [Int32](repeating: -1, count: largest + 1)
        specialFlags = [Bool](repeating: true, count: largest + 1)
        let duplicate: Int? = ids.withUnsafeBufferPointer { ids in
            ends.withUnsafeBufferPointer { pieceEnds in
                starts.withUnsafeMutableBufferPointer { starts in
                    self.ends.withUnsafeMutableBufferPointer { tokenEnds in
                        specialFlags.withUnsafeMutableBufferPointer { special in
                            var start: Int32 = 0
                            for i in 0..<checked {
                                let id = ids[i]
                                if starts[id] >= 0 { return i }
                                let end = Int32(truncatingIfNeeded: pieceEnds[i])
                                starts[id] = start
                                tokenEnds[id] = end
                                special[id] = false
                                start = end
                            }
                            return nil
                        }
                    }
                }
            }
        }
        if let duplicate {
            return (duplicate, VocabularyError(.duplicateID, "token id \(ids[duplicate]) is defined twice"))
        }
        return rejected
    }

    /// The special token whose bytes are `name`, else any token with those bytes; the lowest id wins.
    func id(named name: [UInt8]) -> Int? {
        var fallback: Int?
        for id in 0..<count where isDefined(id) && ends[id] - starts[id] == name.count && bytes(of: id).elementsEqual(name) {
            if specialFlags[id] { return id }
            if fallback == nil { fallback = id }
        }
        return fallback
    }

    /// Marks `id` special, when it is defined.
    mutating func markSpecial(_ id: Int) {
        if isDefined(id) { specialFlags[id] = true }
    }

    /// For each of `names`, the lowest special id whose bytes are that name.
    func specialIDs(named names: [[UInt8]]) -> [Int?] {
        var found = [Int?](repeating: nil, count: names.count)
        for id in 0..<count where isSpecial(id) {
            let token = bytes(of: id)
            for (k, name) in names.enumerated() where found[k] == nil && token.elementsEqual(name) {
                found[k] = id
            }
        }
        return found
    }

    /// The vocabulary of this table: ids `0..<count`, undefined ones empty and special.
    ///
    /// - Throws: `sizeTooSmall` when `size` is below `count`; `invalidEOS` when an EOS id lies
    ///   outside the id space.
    func vocabulary(kind: Vocabulary.Kind, eos: [Int], size: Int?) throws(VocabularyError) -> Vocabulary {
        if let size, size < count {
            throw VocabularyError(.sizeTooSmall, "size \(size) is below the \(count) token ids the tokenizer defines")
        }
        let idSpace = size ?? count
        if let bad = eos.first(where: { !(0..<idSpace).contains($0) }) {
            throw VocabularyError(.invalidEOS, "EOS id \(bad) is outside the id space 0..<\(idSpace)")
        }
        // Tokens already stored back to back in id order, the whole storage: no copy.
        if let offsets = contiguousOffsets() {
            return Vocabulary(kind: kind, size: max(size ?? count, count), eos: eos, storage: storage, offsets: offsets, special: specialFlags)
        }
        // Otherwise one copy of the bytes in id order: no array per token.
        var byteCount = 0
        for id in 0..<count where starts[id] >= 0 { byteCount += Int(ends[id] - starts[id]) }
        var offsets = [Int32](repeating: 0, count: count + 1)
        let bytes = [UInt8](unsafeUninitializedCapacity: byteCount) { out, initialized in
            storage.withUnsafeBufferPointer { storage in
                for id in 0..<count {
                    let length = starts[id] >= 0 ? Int(ends[id] - starts[id]) : 0
                    if length > 0, let target = out.baseAddress, let source = storage.baseAddress {
                        (target + initialized).initialize(from: source + Int(starts[id]), count: length)
                        initialized += length
                    }
                    offsets[id + 1] = Int32(initialized)
                }
            }
        }
        return Vocabulary(kind: kind, size: max(size ?? count, count), eos: eos, storage: bytes, offsets: offsets, special: specialFlags)
    }

    /// The offsets of the tokens in `storage` when every id is defined and the tokens fill
    /// `storage` back to back in id order (token `i` is `storage[offsets[i]..<offsets[i + 1]]`); nil otherwise.
    private func contiguousOffsets() -> [Int32]? {
        var contiguous = true
        let offsets = [Int32](unsafeUninitializedCapacity: count + 1) { offsets, initialized in
            offsets[0] = 0
            var end: Int32 = 0
            for id in 0..<count {
                guard starts[id] == end else { contiguous = false; break }
                end = ends[id]
                offsets[id + 1] = end
            }
            contiguous = contiguous && Int(end) == storage.count
            initialized = contiguous ? count + 1 : 0
        }
        return contiguous ? offsets : nil
    }
}
