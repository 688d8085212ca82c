import Grammar

/// Stepping and masks with a length counter (see `LengthGuards`).
///
/// With counted regions, the matcher's state is a configuration *and* a count: the units read
/// since the current counted region was entered (0 outside every region). Configurations stay
/// counter-free and their transitions cached as before; a counted step takes the cached step,
/// updates the count, and drops the stacks whose guard fails at the new count — which only
/// happens near a bound, so far from every bound the step is the cached one.
///
/// One count serves every stack: the grammar's `LengthCounter` unit lexes the same way in
/// every alternative, so the stacks inside counted regions all entered them at the same byte
/// and agree on where units start.
extension ConfigurationSpace {
    /// Whether the grammar has counted regions (otherwise every count is 0).
    public var hasCounters: Bool { !nfa.counters.isEmpty }

    /// Which tokens read from a configuration outside every counted region may read differently
    /// with the counter than without, or nil when that is not known (a region after no literal).
    ///
    /// From outside every region the count is 0, and a token reads as without the counter until
    /// a guard fails. A stack enters a region only by its entry byte, where the count is 0 and
    /// rises by at most one a byte; a guard fails there only past `failsFrom` (a unit over some
    /// `max`, or a region state's lower bound) or at a closing byte of an exit with a `min`
    /// (with `min` 1 only right after the entry byte: the first byte read after it starts a
    /// unit). So a token can differ only when it holds an entry byte followed by `failsFrom`
    /// more bytes or by such a closing byte (within `closingWithin` bytes).
    public var counterEntryFacts: CounterEntryFacts? {
        var facts = CounterEntryFacts()
        for region in nfa.counters.regions {
            guard let entry = region.entry else { return nil }
            facts.entryBytes.insert(entry)
            facts.failsFrom = min(facts.failsFrom, region.failsFrom)
            if let closing = region.guardedExit {
                facts.closingBytes.insert(closing)
                facts.closingWithin = max(facts.closingWithin, region.minimum == 1 ? 0 : Int.max)
            }
        }
        return facts
    }

    /// Whether `config` has a stack in a counted region (its masks depend on the count).
    public func isInCountedRegion(_ config: Int32) -> Bool { counterInfo(config).inRegion }

    /// The configuration and count after reading `byte` at `count` in `config`.
    @inline(__always)
    public func step(_ config: Int32, count: Int, _ byte: UInt8) -> (config: Int32, count: Int) {
        let next = step(config, byte)
        if next < 0 { return (next, 0) }
        let info = counterInfo(config)
        return guarded(next, count: info.inRegion ? count + (info.startsUnit ? 1 : 0) : 0)
    }

    /// Runs `bytes` from (`config`, `count`); `dead` as soon as one is rejected.
    @inlinable
    public func run<C: Collection<UInt8>>(_ bytes: C, from config: Int32, count: Int) -> (config: Int32, count: Int) {
        var state = (config: config, count: count)
        for b in bytes {
            state = step(state.config, count: state.count, b)
            if state.config < 0 { return state }
        }
        return state
    }

    /// `config` at `count` without the stacks whose guard fails (and the count, 0 when no
    /// stack is left in a counted region).
    func guarded(_ config: Int32, count: Int) -> (config: Int32, count: Int) {
        let info = counterInfo(config)
        guard info.inRegion else { return (config, 0) }
        if info.holdFrom <= count && count <= info.holdThrough { return (config, count) }
        let key = UInt64(UInt32(bitPattern: config)) << 32 | UInt64(UInt32(truncatingIfNeeded: count))
        let restricted: Int32
        if let known = counterTables.restrictions[key], known.count == count {
            restricted = known.config
        } else {
            let guards = nfa.counters.guards
            restricted = self.restricted(config) { state in guards[state]?.holds(count) ?? true }
            counterTables.restrictions[key] = (count, restricted)
        }
        if restricted < 0 { return (restricted, 0) }
        return (restricted, counterInfo(restricted).inRegion ? count : 0)
    }

    /// The key under which the mask of (`config`, `count`) may be cached, for tokens of at most
    /// `horizon` bytes, and how many bytes of plain text read from there as if there were no
    /// counter (so `plainTextDepth` and the plain-text slices apply up to that length).
    ///
    /// A token read from `config` changes the count by at most `horizon`, and any counted region
    /// it enters starts at 0; so the mask depends on the count only through the guards of the
    /// regions `config` is in, over `count...count + horizon`. Between two consecutive changes
    /// of those guards (a *zone*) the mask is the same for every count: the key is the zone,
    /// or the exact count when a change lies within the horizon.
    public func maskKey(_ config: Int32, count: Int, horizon: Int) -> (key: CountedMaskKey, counterFreeBytes: Int) {
        let info = counterInfo(config)
        guard info.inRegion else { return (CountedMaskKey(config: config, zones: []), .max) }
        var zones: [Int] = []
        var counterFreeBytes = Int.max
        var exact = false
        let reach = count.addingReportingOverflow(horizon)
        let last = reach.overflow ? Int.max : reach.partialValue
        for r in counterRegions(of: info) {
            let region = nfa.counters.regions[Int(r)]
            var low = 0, high = region.changes.count  // the first change above `count`
            while low < high {
                let mid = (low + high) / 2
                if region.changes[mid] <= count { low = mid + 1 } else { high = mid }
            }
            if low < region.changes.count, region.changes[low] <= last { exact = true }
            zones.append(low)
            counterFreeBytes = region.plainHoldFrom <= count ? min(counterFreeBytes, region.plainHoldThrough - count) : 0
        }
        return (CountedMaskKey(config: config, zones: exact ? [-1 - count] : zones), max(counterFreeBytes, 0))
    }

    /// Sets in `words` the bit of every token of `trie` readable from (`config`, `count`) and
    /// returns how many tokens that is (as `fillAllowed(_:trie:into:)`, with the counter: the
    /// count and guards are looked at only where the walk is inside a counted region). With
    /// `taking` (a class that (`config`, `count`) accepts, within the bytes that read as if there
    /// were no counter, and the trie's summary), the class's tokens are left out, as in
    /// `fillAllowed(_:trie:taking:summary:into:listingInto:)`.
    public func fillAllowed(_ config: Int32, count: Int, trie: TokenTrie, into words: UnsafeMutablePointer<UInt32>,
                            taking textClass: (TextClass, TokenTrie.TextSummary)? = nil) -> Int {
        var allowed = 0
        var visited = 0
        var configs = [Int32](repeating: 0, count: trie.maxDepth + 1)
        var counts = [Int](repeating: 0, count: trie.maxDepth + 1)
        // With a class: the `PlainText` state after each depth of the path, -1 out of the class.
        var classState = [Int8](repeating: 0, count: trie.maxDepth + 1)
        var classLength = [Int](repeating: 0, count: trie.maxDepth + 1)   // in the class's unit
        configs[0] = config
        counts[0] = count
        let classTransitions = textClass?.0.plainTransitions ?? []
        let longestPlain = textClass.map { $0.1.longestPlain(of: $0.0) } ?? []
        let n = trie.nodeCount
        trie.byte.withUnsafeBufferPointer { bytes in
        trie.depth.withUnsafeBufferPointer { depths in
        trie.subtreeEnd.withUnsafeBufferPointer { ends in
        trie.tokenStart.withUnsafeBufferPointer { starts in
        trie.tokenIDs.withUnsafeBufferPointer { ids in
        configs.withUnsafeMutableBufferPointer { configs in
        counts.withUnsafeMutableBufferPointer { counts in
        classState.withUnsafeMutableBufferPointer { classState in
        classLength.withUnsafeMutableBufferPointer { classLength in
            var i = 1
            while i < n {
                visited += 1
                let d = Int(depths[i])
                var ownTokensInClass = false
                if let (textClass, summary) = textClass {
                    let previous = classState[d - 1]
                    let state = previous < 0 || !textClass.contains(bytes[i]) ? -1 : classTransitions[Int(previous) << 8 | Int(bytes[i])]
                    classState[d] = state
                    classLength[d] = classLength[d - 1] + textClass.length(of: bytes[i])
                    if state >= 0 {
                        if Int(longestPlain[i]) <= (textClass.closed ? 254 : textClass.maxBytes)
                            && textClass.contains(groupsLow: summary.groupsBelow[2 * i], high: summary.groupsBelow[2 * i + 1]) {
                            // Every token at or below this node is in the class.
                            i = Int(ends[i])
                            continue
                        }
                        ownTokensInClass = classLength[d] <= textClass.maxBytes
                    }
                }
                let source = configs[d - 1]
                var next = step(source, bytes[i])
                if next < 0 {
                    i = Int(ends[i])
                    continue
                }
                var nextCount = 0
                let sourceInfo = counterInfo(source)
                if sourceInfo.inRegion || counterInfo(next).inRegion {
                    let counted = guarded(next, count: sourceInfo.inRegion ? counts[d - 1] + (sourceInfo.startsUnit ? 1 : 0) : 0)
                    if counted.config < 0 {
                        i = Int(ends[i])
                        continue
                    }
                    (next, nextCount) = counted
                }
                configs[d] = next
                counts[d] = nextCount
                if !ownTokensInClass { allowed += ConfigurationSpace.setTokenBits(of: i, starts: starts, ids: ids, in: words) }
                i += 1
            }
        }}}}}}}}}
        recordWalk(visited: visited)
        return allowed
    }

    /// The fewest bytes completing a document from (`config`, `count`). Inside a counted string
    /// below its minimum, a lower bound: at least the missing units (a byte each) and the byte
    /// after the string.
    public func completionLength(_ config: Int32, count: Int) -> Int {
        let free = completionLength(config)
        guard config >= 0, hasCounters else { return free }
        let info = counterInfo(config)
        guard info.inRegion else { return free }
        var missing = Int.max
        for r in counterRegions(of: info) {
            let minimum = nfa.counters.regions[Int(r)].minimum
            missing = min(missing, minimum > count ? minimum - count + 1 : 0)
        }
        return max(free, missing)
    }

    /// The counted-region facts of `config` (computed on first use; its regions then are
    /// `counterRegions(of:)` the facts).
    @inline(__always)
    func counterInfo(_ config: Int32) -> ConfigurationCounterInfo {
        if Int(config) < counterTables.info.capacity, counterTables.info[Int(config)].isKnown { return counterTables.info[Int(config)] }
        return computeCounterInfo(config)
    }

    /// The counted regions of the configuration whose facts are `info`, sorted.
    private func counterRegions(of info: ConfigurationCounterInfo) -> ArraySlice<Int32> {
        counterTables.regionPool[Int(info.regionStart)..<Int(info.regionStart + info.regionCount)]
    }

    @inline(never)
    private func computeCounterInfo(_ config: Int32) -> ConfigurationCounterInfo {
        var info = ConfigurationCounterInfo()
        info.isKnown = true
        var regions = Set<Int32>()
        let guards = nfa.counters.guards
        forEachKernelState(config) { state in
            guard let g = guards[state] else { return }
            info.inRegion = true
            info.startsUnit = info.startsUnit || g.startsUnit
            info.holdFrom = max(info.holdFrom, g.lower)
            info.holdThrough = min(info.holdThrough, g.upper)
            regions.insert(g.region)
        }
        info.regionStart = Int32(counterTables.regionPool.count)
        info.regionCount = Int32(regions.count)
        counterTables.regionPool.append(contentsOf: regions.sorted())
        counterTables.info.ensure(Int(config) + 1)
        counterTables.info[Int(config)] = info
        return info
    }
}

/// See `ConfigurationSpace.counterEntryFacts`.
public struct CounterEntryFacts: Sendable, Hashable {
    /// The bytes that enter counted regions.
    package var entryBytes = ByteBits()
    /// The smallest count at which a guard may fail, other than at a closing byte.
    package var failsFrom = Int.max
    /// The bytes read by exits whose guard has a lower bound.
    package var closingBytes = ByteBits()
    /// The most bytes between an entry byte and a closing byte at which such an exit may fail
    /// (-1: none; 0 when every such `min` is 1).
    package var closingWithin = -1

    /// Whether a token of `bytes` may read differently with the counter than without, from a
    /// configuration outside every counted region.
    public func mayReadDifferently(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var lastEntry = -1
        for (i, b) in bytes.enumerated() {
            if lastEntry >= 0, Self.contains(closingBytes, b), i - lastEntry - 1 <= closingWithin { return true }
            if Self.contains(entryBytes, b) {
                if bytes.count - 1 - i >= failsFrom { return true }
                lastEntry = i
            }
        }
        return false
    }

    @inline(__always)
    private static func contains(_ set: ByteBits, _ byte: UInt8) -> Bool { set.words[Int(byte >> 6)] >> UInt64(byte & 63) & 1 != 0 }
}

/// The key of a mask with a counter: the configuration and the count's zone in each of its
/// counted regions (or `[-1 - count]` for an exact count). See `ConfigurationSpace.maskKey`.
public struct CountedMaskKey: Hashable, Sendable {
    /// The configuration.
    public var config: Int32
    /// The zones (empty outside counted regions).
    public var zones: [Int]
}

/// The counted-region facts of one configuration. All zero: not computed (`isKnown` false).
struct ConfigurationCounterInfo {
    /// Whether the facts were computed.
    var isKnown = false
    /// The configuration's counted regions, `CounterTables.regionPool[regionStart...]`.
    var regionStart: Int32 = 0
    var regionCount: Int32 = 0
    /// Whether some stack is in a counted region.
    var inRegion = false
    /// Whether the next byte starts a unit (the count goes up).
    var startsUnit = false
    /// The counts at which every guard of the configuration holds.
    var holdFrom = Int.min
    var holdThrough = Int.max
}

/// The caches of `ConfigurationSpace+Counters.swift`.
struct CounterTables: ~Copyable {
    /// Per configuration, grown without copying (`UnmovedStorage`: a configuration past the
    /// computed ones reads as not computed).
    var info = UnmovedStorage<ConfigurationCounterInfo>(capacity: 16, maxCount: 1 << 20)
    /// The counted regions of the configurations, each one's sorted and side by side.
    var regionPool: [Int32] = []
    /// Restrictions computed near a bound, by (configuration, low 32 bits of the count).
    var restrictions: [UInt64: (count: Int, config: Int32)] = [:]
}
