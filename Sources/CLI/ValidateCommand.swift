import Foundation
import Grammar
import TokenMask

/// `gramc validate`: feeds an instance through the matcher of a schema's compiled grammar.
enum ValidateCommand {
    static let help = """
        USAGE: gramc validate --schema <schema.json> <instance.json | ->

        Feeds the instance's text (surrounding whitespace trimmed) through the compiled grammar's
        matcher, token by token with --vocab (the tokenizer's own encoding when the vocabulary is
        a tokenizer.json, else greedy longest-match tokens; each checked against the mask), else
        byte by byte. Exit status: 0 accepted, 1 rejected, 2 the schema cannot be
        compiled, 64 bad usage.

        OPTIONS:
          --schema PATH     the JSON Schema
          --vocab PATH      replay token by token with this vocabulary
          --reorder         reorder the instance's object keys to the grammar's property order first
        \(schemaOptionsHelp)
          -h, --help        show this help
        """

    static func run(_ argv: [String]) throws -> Int32 {
        let args = try Arguments(argv, valued: Set(["schema", "vocab", "eos"]).union(schemaValuedOptions),
                                 flags: Set(["help", "reorder"]).union(schemaFlags))
        if args.flags.contains("help") { print(help); return 0 }
        guard let schemaPath = args.options["schema"] else { throw UsageError("--schema is required") }
        guard args.positionals.count == 1 else { throw UsageError("expected one instance file (or -)") }
        let schema = try readJSON(schemaPath)
        let compiler = JSONSchemaCompiler(options: try schemaOptions(args))
        let grammar: Grammar
        do {
            grammar = try compiler.compile(schema).grammar
        } catch {
            throw CLIError("\(schemaPath): \(error)")
        }
        var text = try readFile(args.positionals[0])
        if args.flags.contains("reorder") {
            guard let instance = try? JSONParser().parse(bytes: text) else {
                printError("rejected: the instance is not valid JSON")
                return 1
            }
            text = Array(JSONSerializer.compact.serialize(compiler.reorderKeys(instance, schema: schema)).utf8)
        }
        let trimmed = trimJSONWhitespace(text)
        let vocabulary = args.options["vocab"] == nil
            ? PreparedVocabulary(byteVocabulary()) : try loadVocabulary(args.options["vocab"], eos: args.options["eos"]).0
        let compiled: CompiledGrammar
        do {
            compiled = try CompiledGrammar(grammar, vocabulary: vocabulary)
        } catch {
            throw CLIError("\(schemaPath): \(error)")
        }
        let encoder = args.options["vocab"].flatMap { try? TokenEncoder(contentsOf: $0) }
        switch replay(trimmed, compiled: compiled, encoder: encoder) {
        case .accepted:
            print("accepted")
            return 0
        case .rejected(let reason):
            print("rejected: \(reason)")
            return 1
        }
    }
}

/// `bytes` without leading and trailing JSON whitespace.
func trimJSONWhitespace(_ bytes: [UInt8]) -> [UInt8] {
    let ws: Set<UInt8> = [0x20, 0x0A, 0x0D, 0x09]
    var start = 0, end = bytes.count
    while start < end, ws.contains(bytes[start]) { start += 1 }
    while end > start, ws.contains(bytes[end - 1]) { end -= 1 }
    return Array(bytes[start..<end])
}

/// The outcome of feeding a document through a matcher.
enum ReplayOutcome: Equatable {
    case accepted
    case rejected(String)
}

/// Feeds `text` through a fresh matcher token by token, checking each token against the mask
/// before accepting it, and EOS at the end. The tokens are the tokenizer's own encoding when an
/// `encoder` is given (as a model would produce them), else greedy longest-match tokens.
func replay(_ text: [UInt8], compiled: CompiledGrammar, encoder: TokenEncoder? = nil) -> ReplayOutcome {
    let vocabulary = compiled.vocabulary
    var encoded: [Int]?
    if let encoder, let string = String(validating: text, as: UTF8.self) {
        let ids = encoder.encode(string)
        // Use the encoding only if it spells the text exactly in this vocabulary.
        if ids.flatMap({ vocabulary.vocabulary.bytes(of: $0) }) == text { encoded = ids }
    }
    guard let tokens = encoded ?? vocabulary.greedyTokens(text) else {
        return .rejected("the text cannot be split into vocabulary tokens")
    }
    var matcher = compiled.makeMatcher()
    var mask = TokenBitmask(size: vocabulary.size)
    var offset = 0
    for (step, token) in tokens.enumerated() {
        mask = matcher.mask()
        let inMask = mask.contains(token)
        let canAccept = matcher.canAccept(token: token)
        if inMask != canAccept {
            return .rejected("mask and matcher disagree on token \(token) at step \(step) (mask: \(inMask))")
        }
        guard inMask else { return .rejected("token \(token) at byte \(offset) (step \(step)) is not allowed") }
        do { try matcher.accept(token: token) } catch { return .rejected("\(error)") }
        offset += vocabulary.vocabulary.bytes(of: token).count
    }
    guard matcher.canTerminate else { return .rejected("the document is incomplete: EOS is not allowed at its end") }
    mask = matcher.mask()
    guard vocabulary.vocabulary.eosTokens.contains(where: { mask.contains($0) }) else {
        return .rejected("EOS is missing from the final mask")
    }
    return .accepted
}
