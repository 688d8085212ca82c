extension JSONSchemaCompiler {
    /// Best effort: `instance` with object keys reordered to the order the grammar emits —
    /// declared properties in schema order, then the rest in instance order; `enum`/`const`
    /// objects in the order of the matching constant. Follows every applicator the compiler
    /// does: of a disjunction (`anyOf`, `oneOf`, `if`/`then`/`else`, dependencies, negations)
    /// the first branch the instance satisfies, so the order matches the rule the grammar
    /// would use. Under `propertyOrder: .any` the grammar takes any order, so nothing changes.
    /// A schema that does not compile leaves the instance as it is.
    public func reorderKeys(_ instance: JSONValue, schema: JSONValue) -> JSONValue {
        guard options.propertyOrder == .declared,
              let document = try? SchemaDocument(schema, remoteDocuments: options.remoteDocuments) else { return instance }
        var builder = SchemaGrammarBuilder(document: document, options: options)
        return builder.reordered(instance, under: [builder.rootAtom()])
    }
}

extension SchemaGrammarBuilder {
    /// `instance` reordered as the rule of the conjunction of `atoms` emits it.
    mutating func reordered(_ instance: JSONValue, under atoms: [String]) -> JSONValue {
        guard depth < SchemaGrammarBuilder.maxDepth, let closure = try? closure(of: atoms, types: JSONTypeSet(of: instance)) else {
            return instance
        }
        depth += 1
        defer { depth -= 1 }
        if let group = closure.pendingGroups.first {
            let branches = (try? effectiveBranches(of: group, in: closure)) ?? group.branches
            // Without unevaluated*, a branch the instance satisfies on its own will do.
            let alone = (try? seesAnnotations(closure)) == false
            var chosen = branches.first
            for branch in branches where (try? admits(instance, atoms: alone ? [branch] : atoms + [branch])) == true {
                chosen = branch
                break
            }
            guard let chosen else { return instance }
            return reordered(instance, under: atoms + [chosen])
        }
        guard let merged = try? constraints(of: closure) else { return instance }
        if let match = merged.allowedValues?.first(where: { $0 == instance }) {
            return SchemaGrammarBuilder.reordered(instance, like: match)
        }
        switch instance {
        case .object(let object):
            var shapes = merged.objectShapes
            for unevaluated in merged.unevaluatedProperties {
                if let shape = evaluationShape(for: unevaluated, merged, closure: closure) { shapes.append(shape) }
            }
            let declared = merged.declaredNames
            var members: [(key: String, value: JSONValue)] = []
            for name in declared { if let value = object[name] { members.append((name, value)) } }
            let declaredSet = Set(declared)
            members += object.members.filter { !declaredSet.contains($0.key) }
            return .object(JSONObject(members.map { ($0.key, reordered($0.value, under: propertySchemas(for: $0.key, in: shapes))) }))
        case .array(let items):
            return .array(items.enumerated().map { index, item in
                var elementAtoms = merged.elementSchemas(at: index)
                for constraint in merged.contains where index >= constraint.start {
                    if (try? admits(item, atoms: [constraint.schema])) == true {
                        elementAtoms.append(constraint.schema)
                    } else if constraint.max != nil {
                        elementAtoms.append("!" + constraint.schema)
                    }
                }
                return reordered(item, under: elementAtoms)
            })
        default:
            return instance
        }
    }

    /// `instance` with the key order of the equal constant `template`, recursively.
    static func reordered(_ instance: JSONValue, like template: JSONValue) -> JSONValue {
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
}
