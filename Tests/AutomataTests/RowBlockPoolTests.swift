import Testing
@testable import Automata

/// `TransitionRows` blocks recycled through a `RowBlockPool`: a later table reuses the block,
/// and every row it creates reads `unknown` (zero) whatever the earlier table wrote there.
@Suite struct RowBlockPoolTests {
    /// Creates `rows` rows and writes a non-zero entry in each of their 256 slots.
    static func fill(_ table: inout TransitionRows, rows: Int) {
        for row in 0..<rows {
            table.initializeRow(row)
            for byte in 0..<256 { table.base[row << 8 | byte] = TransitionRows.encoded(Int32(row)) }
        }
    }

    /// Whether every entry of the first `rows` rows (created first) reads zero.
    static func createdRowsReadZero(_ table: inout TransitionRows, rows: Int) -> Bool {
        for row in 0..<rows { table.initializeRow(row) }
        return (0..<(rows << 8)).allSatisfy { table.base[$0] == 0 }
    }

    @Test func recycledRowsReadUnknown() {
        let pool = RowBlockPool(maxBlocks: 1, maxBackedRows: 100)
        var first: UnsafeMutablePointer<Int32>?
        do {
            var table = TransitionRows(maxRows: 1_000, pool: pool)
            first = table.base
            Self.fill(&table, rows: 300)
        }
        // Handed in with its backed rows trimmed to the pool's bound.
        #expect(pool.holding.blocks == 1)
        #expect(pool.holding.backedRows == 100)
        do {
            var table = TransitionRows(maxRows: 1_000, pool: pool)
            #expect(table.base == first)
            #expect(pool.holding.blocks == 0)
            // The kept rows, the trimmed ones and the never-written ones all read zero.
            #expect(Self.createdRowsReadZero(&table, rows: 400))
            Self.fill(&table, rows: 50)
        }
        // A block of another size is not taken.
        do {
            let table = TransitionRows(maxRows: 2_000, pool: pool)
            #expect(table.base != first)
        }
        pool.drain()
        #expect(pool.holding.blocks == 0)
    }

    @Test func fullPoolReleasesBlocks() {
        let pool = RowBlockPool(maxBlocks: 1, maxBackedRows: 10)
        do {
            var a = TransitionRows(maxRows: 100, pool: pool)
            var b = TransitionRows(maxRows: 100, pool: pool)
            Self.fill(&a, rows: 5)
            Self.fill(&b, rows: 5)
        }
        #expect(pool.holding.blocks == 1)
        pool.drain()
    }

    /// Emptying the cache of a table on a recycled block also clears the rows the earlier
    /// table wrote past this one's.
    @Test func evictionClearsRecycledRows() {
        let pool = RowBlockPool(maxBlocks: 1, maxBackedRows: 1_000)
        do {
            var table = TransitionRows(maxRows: 1_000, pool: pool)
            Self.fill(&table, rows: 200)
        }
        do {
            var table = TransitionRows(maxRows: 1_000, pool: pool)
            Self.fill(&table, rows: 20)
            table.evictAll()
            #expect((0..<(200 << 8)).allSatisfy { table.base[$0] == 0 })
            #expect(Self.createdRowsReadZero(&table, rows: 200))
        }
        pool.drain()
    }
}
