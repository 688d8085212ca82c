extension JSONSchemaCompiler {
    /// Best effort: `instance` with object keys reordered to the order the grammar emits —
    /// declared properties in schema order, then the rest in instance order; `enum`/`const`
    /// objects in the order of the matching constant. Follows `properties`, `items`,
    /// `prefixItems`, `$ref` and `allOf`, and of `anyOf`/`oneOf` the first branch the instance
    /// plausibly matches. A schema that does not compile leaves the instance as it is.
    public func reorderKeys(_ instance: JSONValue, schema: JSONValue) -> JSONValue {
        guard let document = try? SchemaDocument(schema) else { return instance }
        var builder = SchemaGrammarBuilder(document: document, options: options)
        return builder.reordered(instance, under: [""])
    }
}

extension SchemaGrammarBuilder {
    /// `instance` reordered as the rule of the conjunction of `atoms` emits it.
    mutating func reordered(_ instance: JSONValue, under atoms: [String]) -> JSONValue {
        guard let closure = try? closure(of: atoms) else { return instance }
        if let group = pendingGroup(of: closure) {
            let chosen = group.branches.first { branch in
                plausiblyAdmits(instance, under: closure.atoms + [branch], depth: 0)
            } ?? group.branches[0]
            return reordered(instance, under: closure.atoms + [chosen])
        }
        guard let merged = try? constraints(of: closure) else { return instance }
        if let match = merged.allowedValues?.first(where: { $0 == instance }) {
            return SchemaGrammarBuilder.reordered(instance, like: match)
        }
        switch instance {
        case .object(let object):
            let declared = merged.declaredNames
            var members: [(key: String, value: JSONValue)] = []
            for name in declared { if let value = object[name] { members.append((name, value)) } }
            let declaredSet = Set(declared)
            members += object.members.filter { !declaredSet.contains($0.key) }
            return .object(JSONObject(members.map { ($0.key, reordered($0.value, under: merged.propertySchemas(for: $0.key))) }))
        case .array(let items):
            return .array(items.enumerated().map { reordered($0.element, under: merged.elementSchemas(at: $0.offset)) })
        default:
            return instance
        }
    }

    /// `instance` with the key order of the equal constant `template`, recursively.
    private static func reordered(_ instance: JSONValue, like template: JSONValue) -> JSONValue {
        switch (instance, template) {
        case (.object(let object), .object(let model)):
            return .object(JSONObject(model.members.compactMap { member in
                object[member.key].map { (member.key, reordered($0, like: member.value)) }
            }))
        case (.array(let items), .array(let models)) where items.count == models.count:
            return .array(zip(items, models).map { reordered($0, like: $1) })
        default:
            return instance
        }
    }

    /// A partial check, a few levels deep: types, allowed values, required and forbidden
    /// properties, and the same for property values (branch groups are not looked into).
    private mutating func plausiblyAdmits(_ instance: JSONValue, under atoms: [String], depth: Int) -> Bool {
        guard let closure = try? closure(of: atoms), let merged = try? constraints(of: closure) else { return false }
        guard merged.types.contains(JSONTypeSet(of: instance)), merged.allowedValues?.contains(instance) ?? true else {
            return false
        }
        guard case .object(let object) = instance else { return true }
        guard merged.required.allSatisfy({ object[$0] != nil }) else { return false }
        for shape in merged.objectShapes {
            guard let additional = shape.additional, document.value(at: additional) == .bool(false) else { continue }
            let declared = Set(shape.properties.map(\.name))
            if object.keys.contains(where: { !declared.contains($0) }) { return false }
        }
        guard depth < 3 else { return true }
        return object.members.allSatisfy { plausiblyAdmits($0.value, under: merged.propertySchemas(for: $0.key), depth: depth + 1) }
    }
}
