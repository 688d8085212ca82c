/// A JSON Schema document: the root value, its dialect, and the index needed to resolve local
/// references (`#`, `#/json/pointer`, `#anchor`, and those prefixed by the root `$id`).
///
/// Building one walks every subschema once, so nesting deeper than
/// `JSONSchemaLimits.maxSchemaDepth` is reported up front.
struct SchemaDocument {
    /// The JSON Schema drafts whose spelling differs in ways the compiler honors.
    enum Dialect {
        /// Draft-04: as draft-07, and `exclusiveMinimum`/`exclusiveMaximum` are Booleans
        /// qualifying `minimum`/`maximum`; `id` spells `$id`.
        case draft4
        /// Draft-06 and draft-07: `$ref` overrides its sibling keywords; `items` may be an array.
        case draft7
        /// Draft 2019-09: `items` may be an array.
        case draft2019
        /// Draft 2020-12 (also assumed without `$schema`).
        case draft2020
    }

    /// The whole schema document.
    let root: JSONValue
    /// The dialect named by the root `$schema`.
    let dialect: Dialect
    /// The root `$id` without its fragment, against which absolute `$ref`s are resolved.
    let baseURI: String?
    /// `$anchor` names and the pointers of the schemas declaring them.
    private(set) var anchors: [String: String] = [:]
    /// The keyword naming a schema's URI: `$id`, or `id` in draft-04.
    let identifierKeyword: String
    /// Schemas below the root with a new base URI (`$id`) and a `$ref` inside, which would
    /// resolve against that base: not supported. A nested `$id` without one is harmless.
    private(set) var scopedIdentifiers: Set<String> = []

    /// Indexes `root`; throws on an unsupported `$schema` or too deep nesting.
    init(_ root: JSONValue) throws(GrammarError) {
        self.root = root
        var dialect = Dialect.draft2020
        if case .string(let uri)? = root["$schema"] {
            switch uri.trimmingSuffix("#") {
            case "http://json-schema.org/draft-04/schema", "https://json-schema.org/draft-04/schema":
                dialect = .draft4
            case "http://json-schema.org/draft-06/schema", "https://json-schema.org/draft-06/schema",
                 "http://json-schema.org/draft-07/schema", "https://json-schema.org/draft-07/schema":
                dialect = .draft7
            case "https://json-schema.org/draft/2019-09/schema": dialect = .draft2019
            case "https://json-schema.org/draft/2020-12/schema": dialect = .draft2020
            default:
                throw GrammarError(.unsupportedValue, "unsupported $schema dialect \"\(uri)\"", at: .jsonPointer("/$schema"))
            }
        }
        self.dialect = dialect
        identifierKeyword = dialect == .draft4 ? "id" : "$id"
        if case .string(let id)? = root[identifierKeyword] {
            let base = id.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            baseURI = base.isEmpty ? nil : base
        } else {
            baseURI = nil
        }
        try index(root, pointer: "", depth: 0, inRootResource: true)
    }

    /// The value at `pointer`, if any.
    func value(at pointer: String) -> JSONValue? {
        guard let tokens = JSONPointer.tokens(pointer) else { return nil }
        var current = root
        for token in tokens {
            switch current {
            case .object(let object):
                guard let next = object[token] else { return nil }
                current = next
            case .array(let items):
                guard let index = Int(token), token == String(index), items.indices.contains(index) else { return nil }
                current = items[index]
            default: return nil
            }
        }
        return current
    }

    /// The pointer of the schema `reference` (a `$ref` value found at `pointer`) designates.
    func resolve(_ reference: String, at pointer: String) throws(GrammarError) -> String {
        let fragment: Substring
        if let hash = reference.firstIndex(of: "#") {
            let base = reference[..<hash]
            guard base.isEmpty || String(base) == baseURI else { throw unresolved(reference, pointer) }
            fragment = reference[reference.index(after: hash)...]
        } else {
            guard reference == baseURI else { throw unresolved(reference, pointer) }
            fragment = ""
        }
        guard let decoded = JSONPointer.percentDecoded(String(fragment)) else { throw unresolved(reference, pointer) }
        let target: String
        if decoded.isEmpty || decoded.hasPrefix("/") {
            target = decoded
        } else if let anchored = anchors[decoded] {
            target = anchored
        } else {
            throw unresolved(reference, pointer)
        }
        switch value(at: target) {
        case .object?, .bool?: return target
        default: throw unresolved(reference, pointer)
        }
    }

    private func unresolved(_ reference: String, _ pointer: String) -> GrammarError {
        GrammarError(.unresolvedReference, "cannot resolve $ref \"\(reference)\" within this document",
                     at: .jsonPointer(JSONPointer.appending(pointer, "$ref")))
    }

    /// Records anchors and scoped identifiers, and checks nesting depth, over every subschema
    /// of `schema`. Anchors count only in the root's resource (below a nested `$id` they name
    /// URIs of another base). Returns whether a `$ref` occurs in `schema`.
    @discardableResult
    private mutating func index(_ schema: JSONValue, pointer: String, depth: Int, inRootResource: Bool) throws(GrammarError) -> Bool {
        guard case .object(let object) = schema else { return false }
        guard depth <= JSONSchemaLimits.maxSchemaDepth else {
            throw GrammarError(.limitExceeded, "schemas nest deeper than \(JSONSchemaLimits.maxSchemaDepth) levels",
                               at: .jsonPointer(pointer))
        }
        var hasNewBase = false
        if depth > 0, case .string(let id)? = object[identifierKeyword] {
            if dialect != .draft2020 && dialect != .draft2019 && id.hasPrefix("#") {
                if inRootResource { anchors[String(id.dropFirst())] = pointer }  // Draft-04/06/07 plain-name fragment.
            } else {
                hasNewBase = true
            }
        }
        let inRootResource = inRootResource && !hasNewBase
        if inRootResource, case .string(let anchor)? = object["$anchor"] { anchors[anchor] = pointer }
        var hasReference = object["$ref"] != nil
        for (keyword, value) in object {
            let here = JSONPointer.appending(pointer, keyword)
            switch (SchemaDocument.subschemaShape(of: keyword), value) {
            case (.single, _), (.singleOrList, .object), (.singleOrList, .bool):
                if try index(value, pointer: here, depth: depth + 1, inRootResource: inRootResource) { hasReference = true }
            case (.list, .array(let items)), (.singleOrList, .array(let items)):
                for (i, item) in items.enumerated() where try index(item, pointer: JSONPointer.appending(here, i), depth: depth + 1, inRootResource: inRootResource) {
                    hasReference = true
                }
            case (.map, .object(let members)):
                for (name, item) in members where try index(item, pointer: JSONPointer.appending(here, name), depth: depth + 1, inRootResource: inRootResource) {
                    hasReference = true
                }
            default: continue
            }
        }
        if hasNewBase && hasReference { scopedIdentifiers.insert(pointer) }
        return hasReference
    }

    /// Where a keyword holds subschemas.
    private enum SubschemaShape { case none, single, list, singleOrList, map }

    private static func subschemaShape(of keyword: String) -> SubschemaShape {
        switch keyword {
        case "additionalProperties", "additionalItems", "not", "if", "then", "else", "contains",
             "propertyNames", "unevaluatedItems", "unevaluatedProperties", "contentSchema":
            return .single
        case "allOf", "anyOf", "oneOf", "prefixItems": return .list
        case "items": return .singleOrList
        case "properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "dependencies":
            return .map
        default: return .none
        }
    }
}

extension String {
    /// The string without one trailing `suffix`, if it ends with it.
    fileprivate func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
