/// The object shapes of one object, with the declared properties of its large shapes indexed
/// by name: asking for the schemas of each of an object's n declared names scanned every
/// shape's properties per name (n² comparisons; `web-types`' objects declare hundreds of
/// names), a lookup per shape instead.
struct PropertySchemaIndex {
    /// The shapes, in order.
    let shapes: [ObjectShape]
    /// Per shape, the schemas of its declared properties by name, in declared order (nil for
    /// shapes of at most `indexedCount` properties, which are scanned).
    private let byName: [[String: [String]]?]

    /// Shapes with more declared properties than this are indexed (a scan of a few names
    /// costs less than building a table).
    static let indexedCount = 8

    init(_ shapes: [ObjectShape]) {
        self.shapes = shapes
        var byName: [[String: [String]]?] = []
        byName.reserveCapacity(shapes.count)
        for shape in shapes {
            guard shape.properties.count > Self.indexedCount else { byName.append(nil); continue }
            var table: [String: [String]] = [:]
            table.reserveCapacity(shape.properties.count)
            for property in shape.properties { table[property.name, default: []].append(property.schema) }
            byName.append(table)
        }
        self.byName = byName
    }

    /// The schemas of the declared properties named `name` of the shape at `index`, in
    /// declared order.
    func declaredSchemas(named name: String, inShape index: Int) -> [String] {
        if let table = byName[index] { return table[name] ?? [] }
        var result: [String] = []
        for property in shapes[index].properties where property.name == name { result.append(property.schema) }
        return result
    }
}
