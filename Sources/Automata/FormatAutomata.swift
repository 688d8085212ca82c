import struct Foundation.Data
import Grammar

/// The minimal automata of the format rule bodies that are costliest to build (`date-time`,
/// `time`, `hostname`…), built ahead of time and compiled into the binary
/// (`FormatAutomata+Tables.swift`), so that the first schema of a process using one of these
/// formats does not pay for its determinization and minimization (`date-time`: ~240 M
/// instructions, `hostname`: ~530 M).
///
/// The construction stays the source of truth: the tables are its output, written by
/// `scripts/generate-format-automata.sh` and checked against it by a test
/// (`FormatAutomataTests`), state for state. `RegularAutomatonCache.automaton(for:limits:)`
/// takes a table instead of the construction when the expression is a tabled format's whole
/// rule body (`FormatRuleBodies.format(ofBody:)`) and the limits are at least those the
/// construction was verified to succeed under (`verifiedLimits`): the checks of the
/// construction only grow stricter as the limits shrink, so within them it would have
/// succeeded with this very automaton; under tighter limits the construction runs and decides.
enum FormatAutomata {
    /// The formats whose automata are tabled: those whose construction costs tens of millions
    /// of instructions or more. (`uri-reference` and `iri-reference` are not: their bodies are
    /// choices the cache asks about without their redundant literals, under another key.)
    static let formats = ["date-time", "time", "hostname", "idn-hostname", "iri", "uri", "email", "idn-email"]

    /// Formats whose construction exceeds `verifiedLimits`: `regex`, whose NFA of 37,366
    /// states has wide ε-closures (its determinization would take ~51 M closure steps, more
    /// than a hundred times `SharedRulePrefix.maxAttemptVisits`).
    static let exceedingVerifiedLimits = ["regex"]

    /// The limits the tables were checked under: those of `SharedRulePrefix`'s attempts at
    /// the default limits.
    static var verifiedLimits: CompileLimits {
        var limits = CompileLimits()
        limits.maxNFAStates = SharedRulePrefix.maxAttemptStates
        limits.maxRegularStates = SharedRulePrefix.maxAttemptStates
        limits.maxClosureVisits = SharedRulePrefix.maxAttemptVisits
        return limits
    }

    /// The prebuilt minimal automaton of `body` when it is the whole rule body of a tabled
    /// format and `limits` are at least `verifiedLimits`; nil otherwise.
    static func automaton(for body: Expression, limits: CompileLimits) -> RegularAutomaton? {
        let verified = verifiedLimits
        guard limits.maxNFAStates >= verified.maxNFAStates, limits.maxRegularStates >= verified.maxRegularStates,
              limits.maxClosureVisits >= verified.maxClosureVisits,
              let format = FormatRuleBodies.format(ofBody: body),
              let table = table(named: format.name, portable: format.portable)
        else { return nil }
        return decode(table)
    }

    /// Whether `body` is the whole rule body of a format of `exceedingVerifiedLimits` and
    /// `limits` are at most `verifiedLimits` (the limits of `SharedRulePrefix`'s attempts), so
    /// that its construction is known to exceed them: the attempt is refused without being made.
    static func exceedsLimits(_ body: Expression, limits: CompileLimits) -> Bool {
        let verified = verifiedLimits
        guard limits.maxNFAStates <= verified.maxNFAStates, limits.maxRegularStates <= verified.maxRegularStates,
              limits.maxClosureVisits <= verified.maxClosureVisits,
              let format = FormatRuleBodies.format(ofBody: body)
        else { return false }
        return exceedingVerifiedLimits.contains(format.name)
    }

    /// The table of format `name`: its own under `portable` when the portable language
    /// differs, else the one table of both.
    static func table(named name: String, portable: Bool) -> String? {
        if portable, let table = tables[key(name, portable: true)] { return table }
        return tables[key(name, portable: false)]
    }

    /// The key of a table in `tables`.
    static func key(_ name: String, portable: Bool) -> String { portable ? name + " portable" : name }

    // MARK: Serialization

    /// `automaton` as text: base64 of the class count, the state count, each byte's class,
    /// the accepting states as bits, the distinct rows, then each state's row by number. A row
    /// is a state's live transitions as runs of consecutive classes with one target: how many
    /// runs, then each run's first class after the previous run's end, its length and its
    /// target's distance from the state (so the states of a counter share rows: `hostname`'s
    /// 24,038 states have 4,102 distinct rows). Numbers are LEB128 varints, distances
    /// zigzag-encoded; lines of 100 characters.
    static func encode(_ automaton: RegularAutomaton) -> String {
        var bytes: [UInt8] = []
        func append(_ value: Int) {
            var v = UInt(bitPattern: value)
            while v >= 0x80 {
                bytes.append(UInt8(v & 0x7F) | 0x80)
                v >>= 7
            }
            bytes.append(UInt8(v))
        }
        append(automaton.classCount)
        append(automaton.stateCount)
        bytes += automaton.classOf
        var bits = [UInt8](repeating: 0, count: (automaton.stateCount + 7) / 8)
        for s in 0..<automaton.stateCount where automaton.accepting[s] { bits[s >> 3] |= 1 << UInt8(s & 7) }
        bytes += bits
        var rows: [[Int]] = [], rowNumbers: [[Int]: Int] = [:], rowOfState: [Int] = []
        for s in 0..<automaton.stateCount {
            var row: [Int] = []   // (gap, length, zigzagged distance) per run
            var end = 0, previousTarget: Int32 = -1
            for c in 0..<automaton.classCount {
                let target = automaton.transitions[s * automaton.classCount + c]
                if target >= 0, target == previousTarget, c == end {
                    row[row.count - 2] += 1
                    end += 1
                    continue
                }
                guard target >= 0 else { continue }
                let distance = Int(target) - s
                row += [c - end, 1, distance >= 0 ? distance << 1 : (~distance) << 1 | 1]
                previousTarget = target
                end = c + 1
            }
            let number = rowNumbers[row] ?? rows.count
            if number == rows.count {
                rows.append(row)
                rowNumbers[row] = number
            }
            rowOfState.append(number)
        }
        append(rows.count)
        for row in rows {
            append(row.count / 3)
            for value in row { append(value) }
        }
        for number in rowOfState { append(number) }
        let text = Data(bytes).base64EncodedString()
        return stride(from: 0, to: text.count, by: 100).map { start in
            let from = text.index(text.startIndex, offsetBy: start)
            return String(text[from..<(text.index(from, offsetBy: 100, limitedBy: text.endIndex) ?? text.endIndex)])
        }.joined(separator: "\n")
    }

    /// The automaton `encode` wrote as `text`; nil for text it cannot have written.
    static func decode(_ text: String) -> RegularAutomaton? {
        guard let data = Data(base64Encoded: text, options: .ignoreUnknownCharacters) else { return nil }
        return data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> RegularAutomaton? in
            var reader = Reader(bytes: raw)
            guard let classCount = reader.number(), let stateCount = reader.number(),
                  (1...256).contains(classCount),
                  let classes = reader.bytes(256), let bits = reader.bytes((stateCount + 7) / 8),
                  let rowCount = reader.number(), rowCount <= raw.count
            else { return nil }
            let classOf = Array(classes), acceptingBits = Array(bits)
            guard classOf.allSatisfy({ Int($0) < classCount }) else { return nil }
            let accepting = (0..<stateCount).map { acceptingBits[$0 >> 3] >> UInt8($0 & 7) & 1 == 1 }
            // The rows as (first class, length, distance) runs, flat: row r owns runs[rowStart[r]..<rowStart[r + 1]].
            var runs: [(first: Int, count: Int, distance: Int)] = [], rowStart = [0]
            for _ in 0..<rowCount {
                guard let runCount = reader.number(), runCount <= classCount else { return nil }
                var end = 0
                for _ in 0..<runCount {
                    guard let gap = reader.number(), let count = reader.number(), let zigzag = reader.number(),
                          count > 0, gap <= classCount - end, count <= classCount - end - gap
                    else { return nil }
                    runs.append((end + gap, count, zigzag & 1 == 0 ? zigzag >> 1 : ~(zigzag >> 1)))
                    end += gap + count
                }
                rowStart.append(runs.count)
            }
            var transitions = [Int32](repeating: -1, count: stateCount * classCount)
            for s in 0..<stateCount {
                guard let row = reader.number(), row < rowCount else { return nil }
                for run in runs[rowStart[row]..<rowStart[row + 1]] {
                    let target = s + run.distance
                    guard (0..<stateCount).contains(target) else { return nil }
                    for c in run.first..<run.first + run.count { transitions[s * classCount + c] = Int32(target) }
                }
            }
            guard reader.isAtEnd else { return nil }
            return RegularAutomaton(classOf: classOf, classCount: classCount, transitions: transitions, accepting: accepting)
        }
    }

    /// Reads the numbers and byte runs of `encode`'s layout.
    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var offset = 0

        var isAtEnd: Bool { offset == bytes.count }

        /// The next LEB128 varint (at most 63 bits), or nil past the end.
        mutating func number() -> Int? {
            var value = 0, shift = 0
            while offset < bytes.count, shift < 63 {
                let byte = bytes[offset]
                offset += 1
                value |= Int(byte & 0x7F) << shift
                if byte < 0x80 { return value }
                shift += 7
            }
            return nil
        }

        /// The next `count` bytes, or nil past the end.
        mutating func bytes(_ count: Int) -> UnsafeRawBufferPointer.SubSequence? {
            guard count <= bytes.count - offset else { return nil }
            defer { offset += count }
            return bytes[offset..<offset + count]
        }
    }
}
