/// A keyword that the grammar does not enforce exactly, skipped under `lenient`.
public struct Relaxation: Sendable, Hashable, CustomStringConvertible {
    /// The keyword, e.g. `uniqueItems`.
    public var keyword: String
    /// The JSON Pointer of the keyword in the schema, e.g. `/properties/tags/uniqueItems`.
    public var pointer: String
    /// What the grammar does instead.
    public var detail: String

    /// A relaxation of `keyword` at `pointer`.
    public init(keyword: String, pointer: String, detail: String) {
        self.keyword = keyword
        self.pointer = pointer
        self.detail = detail
    }

    /// `keyword at #pointer: detail`.
    public var description: String { "\(keyword) at #\(pointer): \(detail)" }
}
