extension Array {
    /// The array with each element replaced by `transform`'s result where it gives one, or nil
    /// when it gives none: the rewriting passes over `Expression` trees (simplifying, encoding,
    /// factoring) copy an operand list only once something in it changes.
    func mappedIfChanged(_ transform: (Element) throws -> Element?) rethrows -> [Element]? {
        var result: [Element]?
        for (index, element) in enumerated() {
            guard let changed = try transform(element) else { continue }
            if result == nil { result = self }
            result![index] = changed
        }
        return result
    }
}
