import Testing
@testable import Automata

/// `TransitionRows` blocks recycled through a `RowBlockPool`: a later table reuses the block,
/// and every row it creates reads `unknown` (zero) whatever the earlier table wrote there.
@Suite struct RowBlockPoolTests {
    /// Creates `rows` rows and writes a non-zero entry in each of their 256 slots.
    static func fill(_ table: inout TransitionRows, rows: Int) {
        for row in 0..<rows {
            table.initializeRow(row)
            for entry in 0..<(1 << table.rowShift) { table.base[row << table.rowShift | entry] = TransitionRows.encoded(Int32(row)) }
        }
    }

    /// Whether every entry of the first `rows` rows (created first) reads zero.
    static func createdRowsReadZero(_ table: inout TransitionRows, rows: Int) -> Bool {
        for row in 0..<rows { table.initializeRow(row) }
        return (0..<(rows << table.rowShift)).allSatisfy { table.base[$0] == 0 }
    }

    @Test func recycledRowsReadUnknown() {
        let pool = RowBlockPool(maxBlocks: 1, maxBackedBytes: 100 << 10)
        var first: UnsafeMutablePointer<Int32>?
        do {
            var table = TransitionRows(maxRows: 1_000, rowShift: 8, pool: pool)
            first = table.base
            Self.fill(&table, rows: 300)
        }
        // Handed in with its backed rows trimmed to the pool's bound.
        #expect(pool.holding.blocks == 1)
        #expect(pool.holding.backedBytes == 100 << 10)
        do {
            // A grammar with fewer byte classes: narrower rows over the same block.
            var table = TransitionRows(maxRows: 1_000, rowShift: 6, pool: pool)
            #expect(table.base == first)
            #expect(pool.holding.blocks == 0)
            // The kept rows, the trimmed ones and the never-written ones all read zero.
            #expect(Self.createdRowsReadZero(&table, rows: 900))
            Self.fill(&table, rows: 50)
        }
        // A block of another size is not taken.
        do {
            let table = TransitionRows(maxRows: 2_000, rowShift: 8, pool: pool)
            #expect(table.base != first)
        }
        pool.drain()
        #expect(pool.holding.blocks == 0)
    }

    @Test func fullPoolReleasesBlocks() {
        let pool = RowBlockPool(maxBlocks: 1, maxBackedBytes: 10 << 10)
        do {
            var a = TransitionRows(maxRows: 100, rowShift: 8, pool: pool)
            var b = TransitionRows(maxRows: 100, rowShift: 8, pool: pool)
            Self.fill(&a, rows: 5)
            Self.fill(&b, rows: 5)
        }
        #expect(pool.holding.blocks == 1)
        pool.drain()
    }

    /// Emptying the cache of a table on a recycled block also clears the rows the earlier
    /// table wrote past this one's.
    @Test func evictionClearsRecycledRows() {
        let pool = RowBlockPool(maxBlocks: 1, maxBackedBytes: 1_000 << 10)
        do {
            var table = TransitionRows(maxRows: 1_000, rowShift: 8, pool: pool)
            Self.fill(&table, rows: 200)
        }
        do {
            var table = TransitionRows(maxRows: 1_000, rowShift: 8, pool: pool)
            Self.fill(&table, rows: 20)
            table.evictAll()
            #expect((0..<(200 << table.rowShift)).allSatisfy { table.base[$0] == 0 })
            #expect(Self.createdRowsReadZero(&table, rows: 200))
        }
        pool.drain()
    }
}
