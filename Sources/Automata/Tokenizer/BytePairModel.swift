/// A BPE model as the Hugging Face library runs it: a word starts as one symbol per character (per
/// byte for byte-level models), then the adjacent pair with the lowest merge rank (leftmost among
/// equals) is merged until no pair has a merge.
///
/// Short words keep the merge of each adjacent pair in an array and scan it for the lowest; long
/// ones (SentencePiece models encode whole texts as one word) keep their symbols in a doubly
/// linked list and candidate merges in a min-heap, O(n log n). Characters outside the vocabulary
/// become `<0xNN>` byte pieces (byte fallback), else the unknown token (consecutive ones fused
/// when `fuse_unk`), else nothing.
struct BytePairModel: Sendable {
    /// Pieces by their text: bytes for a byte-level model, UTF-8 of the piece otherwise.
    private let pieces: ByteStringTable
    private let merges: MergeTable
    /// Byte-level: the id of each byte; otherwise the id of each ASCII character. -1 for none.
    private let unitIDs: [Int32]
    /// The ids of the `<0xNN>` pieces (-1 when missing); empty without byte fallback.
    private let fallbackIDs: [Int32]
    private let unknownID: Int32?
    private let fuseUnknown: Bool
    private let ignoreMerges: Bool
    /// Whether the model reads bytes (byte-level BPE after a `ByteLevel` pre-tokenizer).
    private let readsBytes: Bool

    /// The most symbols a word may have for the scanning merge; longer words use the heap.
    private static let scanLimit = 48

    /// Reusable buffers for encoding words.
    struct Scratch {
        fileprivate var ids: [Int32] = []
        fileprivate var pairMerges: [UInt64] = []
        fileprivate var previous: [Int32] = []
        fileprivate var next: [Int32] = []
        fileprivate var queue = MergeQueue()
        /// Empty buffers.
        init() {}
    }

    /// Builds the model of `definition`.
    ///
    /// - Parameter readsBytes: whether the pre-tokenizer maps bytes to GPT-2's alphabet, so the
    ///   pieces are read in that alphabet and words are encoded byte by byte.
    /// - Throws: `unsupportedTokenizer` for a model other than BPE or with options not
    ///   supported; `invalidToken` for an id outside `0...TokenTable.maxID` or a merge whose
    ///   pieces are not in the vocabulary.
    init(_ definition: TokenizerDefinition.Model, readsBytes: Bool) throws(VocabularyError) {
        guard definition.type == "BPE" else {
            throw VocabularyError(.unsupportedTokenizer, "encoding supports BPE models, not '\(definition.type ?? "?")'")
        }
        guard !definition.vocabIsList else {
            throw VocabularyError(.unexpectedShape, "the vocab of a BPE model must be an object of piece: id")
        }
        if let affix = definition.unsupportedAffixes.first {
            throw VocabularyError(.unsupportedTokenizer, "BPE with a non-empty model.\(affix) is not supported")
        }
        guard !definition.hasDropout else {
            throw VocabularyError(.unsupportedTokenizer, "BPE dropout is random; encoding needs it off")
        }
        self.readsBytes = readsBytes
        var pieces = ByteStringTable(capacity: definition.pieceIDs.count)
        var key: [UInt8] = []
        for (i, id) in definition.pieceIDs.enumerated() where Self.key(of: definition.piece(i), readsBytes: readsBytes, into: &key) {
            guard (0...TokenTable.maxID).contains(id) else {
                throw VocabularyError(.invalidToken, "token id \(id) is outside 0...\(TokenTable.maxID)")
            }
            pieces.insert(key, value: Int32(id))
        }
        var merges = MergeTable(capacity: definition.mergeCount)
        var leftKey: [UInt8] = [], rightKey: [UInt8] = []
        for m in 0..<definition.mergeCount {
            let left = definition.mergePart(2 * m), right = definition.mergePart(2 * m + 1)
            // A side outside GPT-2's alphabet is a piece no byte-level word can reach.
            guard Self.key(of: left, readsBytes: readsBytes, into: &leftKey),
                  Self.key(of: right, readsBytes: readsBytes, into: &rightKey) else { continue }
            guard let leftID = pieces.value(for: leftKey), let rightID = pieces.value(for: rightKey),
                  let mergedID = pieces.value(for: leftKey + rightKey) else {
                let text = String(decoding: left, as: UTF8.self) + " " + String(decoding: right, as: UTF8.self)
                throw VocabularyError(.invalidToken, "merge \(m) '\(text)' uses a piece that is not in the vocabulary")
            }
            merges.insert(leftID, rightID, rank: Int32(m), merged: mergedID)
        }
        let unitCount = readsBytes ? 256 : 128
        unitIDs = (0..<unitCount).map { pieces.value(for: [UInt8($0)]) ?? -1 }
        fallbackIDs = definition.byteFallback && !readsBytes
            ? (0..<256).map { pieces.value(for: Array("<0x\(Self.hex($0))>".utf8)) ?? -1 }
            : []
        if let unknown = definition.unknownPiece, Self.key(of: unknown[...], readsBytes: readsBytes, into: &key) {
            unknownID = pieces.value(for: key)
        } else {
            unknownID = nil
        }
        fuseUnknown = definition.fuseUnknown
        ignoreMerges = definition.ignoreMerges
        self.pieces = pieces
        self.merges = merges
    }

    /// Two uppercase hex digits.
    private static func hex(_ byte: Int) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[byte >> 4], digits[byte & 0xF]])
    }

    /// Writes the lookup key of `piece` to `key`: the piece's UTF-8, or for a byte-level model
    /// the bytes its GPT-2-alphabet characters stand for. False when a byte-level piece has a
    /// character outside the alphabet.
    private static func key(of piece: ArraySlice<UInt8>, readsBytes: Bool, into key: inout [UInt8]) -> Bool {
        key.removeAll(keepingCapacity: true)
        guard readsBytes else {
            key.append(contentsOf: piece)
            return true
        }
        let table = ByteLevelAlphabet.byteForScalar
        var i = piece.startIndex
        while i < piece.endIndex {
            let b0 = piece[i]
            let scalar: Int
            if b0 < 0x80 {
                scalar = Int(b0)
                i += 1
            } else if b0 & 0xE0 == 0xC0, i + 1 < piece.endIndex {
                scalar = Int(b0 & 0x1F) << 6 | Int(piece[i + 1] & 0x3F)
                i += 2
            } else {
                return false
            }
            guard scalar < table.count, table[scalar] >= 0 else { return false }
            key.append(UInt8(table[scalar]))
        }
        return true
    }

    /// Appends the ids of `word` (one pre-tokenized piece, well-formed UTF-8) to `out`.
    func encode(_ word: UnsafeBufferPointer<UInt8>, into out: inout [Int], scratch: inout Scratch) {
        guard !word.isEmpty else { return }
        if ignoreMerges, let id = pieces.value(for: word) {
            out.append(Int(id))
            return
        }
        symbols(of: word, into: &scratch.ids)
        let count = scratch.ids.count
        if count > Self.scanLimit {
            mergeWithQueue(&scratch)
        } else if count > 1 {
            mergeByScanning(&scratch.ids, pairMerges: &scratch.pairMerges)
        }
        for id in scratch.ids where id >= 0 { out.append(Int(id)) }
    }

    /// The initial symbols of `word`.
    private func symbols(of word: UnsafeBufferPointer<UInt8>, into ids: inout [Int32]) {
        ids.removeAll(keepingCapacity: true)
        var pendingUnknown = false
        unitIDs.withUnsafeBufferPointer { units in
            var i = 0
            while i < word.count {
                let b0 = word[i]
                let length = readsBytes ? 1 : UTF8Scalars.length(lead: b0)
                let id = b0 < units.count ? units[Int(b0)] : pieces.value(for: UnsafeBufferPointer(rebasing: word[i..<i + length])) ?? -1
                if id >= 0 {
                    if pendingUnknown, let unknownID { ids.append(unknownID) }
                    pendingUnknown = false
                    ids.append(id)
                } else if !fallbackIDs.isEmpty, word[i..<i + length].allSatisfy({ fallbackIDs[Int($0)] >= 0 }) {
                    // As the Hugging Face library does, a pending unknown token stays pending.
                    for b in word[i..<i + length] { ids.append(fallbackIDs[Int(b)]) }
                } else if let unknownID {
                    if pendingUnknown, !fuseUnknown { ids.append(unknownID) }
                    pendingUnknown = true
                }
                i += length
            }
        }
        if pendingUnknown, let unknownID { ids.append(unknownID) }
    }

    /// Applies the merges to the symbols of a short word, keeping each adjacent pair's merge as
    /// `rank << 32 | merged` (all ones for none), so the lowest value is the next merge.
    private func mergeByScanning(_ ids: inout [Int32], pairMerges: inout [UInt64]) {
        pairMerges.removeAll(keepingCapacity: true)
        pairMerges.append(contentsOf: repeatElement(.max, count: ids.count - 1))
        func packed(_ left: Int32, _ right: Int32) -> UInt64 {
            guard let merge = merges.merge(left, right) else { return .max }
            return UInt64(UInt32(bitPattern: merge.rank)) << 32 | UInt64(UInt32(bitPattern: merge.merged))
        }
        var count = ids.count
        ids.withUnsafeMutableBufferPointer { ids in
            pairMerges.withUnsafeMutableBufferPointer { pairs in
                for i in 0..<(count - 1) { pairs[i] = packed(ids[i], ids[i + 1]) }
                while count > 1 {
                    var best = UInt64.max
                    var at = -1
                    for i in 0..<(count - 1) where pairs[i] < best {
                        best = pairs[i]
                        at = i
                    }
                    guard at >= 0 else { break }
                    ids[at] = Int32(bitPattern: UInt32(truncatingIfNeeded: best))
                    for i in (at + 1)..<(count - 1) {
                        ids[i] = ids[i + 1]
                        pairs[i - 1] = pairs[i]
                    }
                    count -= 1
                    if at > 0 { pairs[at - 1] = packed(ids[at - 1], ids[at]) }
                    if at < count - 1 { pairs[at] = packed(ids[at], ids[at + 1]) }
                }
            }
        }
        ids.removeSubrange(count...)
    }

    /// Applies the merges to the symbols in `scratch.ids` of a long word, leaving merged-away
    /// symbols as -1.
    private func mergeWithQueue(_ scratch: inout Scratch) {
        let count = scratch.ids.count
        scratch.previous.removeAll(keepingCapacity: true)
        scratch.previous.append(contentsOf: repeatElement(-1, count: count))
        scratch.next.removeAll(keepingCapacity: true)
        scratch.next.append(contentsOf: repeatElement(-1, count: count))
        var queue = MergeQueue()
        swap(&queue, &scratch.queue)
        queue.removeAll()
        defer { swap(&queue, &scratch.queue) }
        scratch.ids.withUnsafeMutableBufferPointer { ids in
            scratch.previous.withUnsafeMutableBufferPointer { previous in
                scratch.next.withUnsafeMutableBufferPointer { next in
                    for i in 0..<count {
                        previous[i] = Int32(i - 1)
                        if i + 1 < count { next[i] = Int32(i + 1) }
                    }
                    for i in 0..<(count - 1) {
                        if let merge = merges.merge(ids[i], ids[i + 1]) { queue.push(rank: merge.rank, position: Int32(i)) }
                    }
                    while let (rank, position) = queue.pop() {
                        let p = Int(position)
                        let left = ids[p]
                        let n = Int(next[p])
                        guard left >= 0, n >= 0, let merge = merges.merge(left, ids[n]), merge.rank == rank else { continue }
                        ids[p] = merge.merged
                        ids[n] = -1
                        let after = next[n]
                        next[p] = after
                        if after >= 0 { previous[Int(after)] = position }
                        let before = previous[p]
                        if before >= 0, let m = merges.merge(ids[Int(before)], merge.merged) {
                            queue.push(rank: m.rank, position: before)
                        }
                        if after >= 0, let m = merges.merge(merge.merged, ids[Int(after)]) {
                            queue.push(rank: m.rank, position: position)
                        }
                    }
                }
            }
        }
    }
}
