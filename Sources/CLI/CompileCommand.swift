import Foundation
import Grammar
import TokenMask

/// `gramc compile`: builds the grammar of a schema or regex, and compiles it against a vocabulary.
enum CompileCommand {
    static let help = """
        USAGE: gramc compile <schema.json | pattern> [options]

        Compiles a JSON Schema (or, with --regex, a regex) to a grammar and then to a token-level
        automaton for a vocabulary, and reports figures (or prints the grammar).

        OPTIONS:
          --regex               the argument is an ECMA-262 regex (full match), not a schema file
          --vocab PATH          tokenizer.json, tokens.jsonl, tiktoken file or a folder holding one
                                (default: corpus/vocab/demo when present, else single bytes)
          --eos IDS             end-of-sequence token ids, comma separated (default: from the vocabulary)
          --emit grammar|stats  print the grammar as text, or figures (default: stats)
          --json                figures as one JSON object
        \(schemaOptionsHelp)
          -h, --help            show this help
        """

    static func run(_ argv: [String]) throws -> Int32 {
        let args = try Arguments(argv, valued: Set(["vocab", "eos", "emit"]).union(schemaValuedOptions),
                                 flags: Set(["regex", "json", "help"]).union(schemaFlags))
        if args.flags.contains("help") { print(help); return 0 }
        guard args.positionals.count == 1 else { throw UsageError("expected one schema file or pattern") }
        let source = args.positionals[0]
        let emit = args.options["emit"] ?? "stats"
        guard ["grammar", "stats"].contains(emit) else { throw UsageError("--emit takes grammar or stats") }

        let grammarStart = DispatchTime.now()
        let grammar: Grammar
        var relaxations: [String] = []
        if args.flags.contains("regex") {
            do {
                grammar = Grammar(try Regex(source).matchLanguage())
            } catch {
                throw CLIError("invalid regex: \(error)")
            }
        } else {
            let schema = try readJSON(source)
            do {
                let compilation = try JSONSchemaCompiler(options: try schemaOptions(args)).compile(schema)
                grammar = compilation.grammar
                relaxations = compilation.relaxations.map { "\($0)" }
            } catch {
                throw CLIError("\(source): \(error)")
            }
        }
        let grammarMilliseconds = elapsedMilliseconds(since: grammarStart)
        for r in relaxations { printError("relaxed: \(r)") }
        if emit == "grammar" {
            print(grammar)
            return 0
        }

        let (vocabulary, vocabularyMilliseconds, vocabularyName) = try loadVocabulary(args.options["vocab"], eos: args.options["eos"])
        let compileStart = DispatchTime.now()
        let compiled: CompiledGrammar
        do {
            compiled = try CompiledGrammar(grammar, vocabulary: vocabulary)
        } catch {
            throw CLIError("\(source): \(error)")
        }
        let compileMilliseconds = elapsedMilliseconds(since: compileStart)
        let matcher = compiled.makeMatcher()
        let maskStart = DispatchTime.now()
        let mask = matcher.mask()
        let firstMaskMicroseconds = elapsedMilliseconds(since: maskStart) * 1000
        let stats = compiled.statistics

        if args.flags.contains("json") {
            print(jsonLine([
                ("source", .string(source)), ("vocab", .string(vocabularyName)), ("vocab_size", .int(vocabulary.size)),
                ("rules", .int(stats.rules)), ("nfa_states", .int(stats.nfaStates)),
                ("grammar_ms", .double(grammarMilliseconds)), ("compile_ms", .double(compileMilliseconds)),
                ("first_mask_us", .double(firstMaskMicroseconds)), ("allowed_at_start", .int(mask.allowedCount)),
                ("configurations", .int(stats.configurations)), ("grammar_bytes", .int(stats.memoryBytes)),
                ("vocab_ms", .double(vocabularyMilliseconds)), ("relaxations", .array(relaxations.map { .string($0) })),
            ]))
        } else {
            print("""
                compiled \(source)
                  grammar:     \(stats.rules) rules, \(stats.nfaStates) automaton states (\(String(format: "%.2f", grammarMilliseconds)) ms to build)
                  vocabulary:  \(vocabularyName), \(vocabulary.size) tokens (\(String(format: "%.1f", vocabularyMilliseconds)) ms to load)
                  compile:     \(String(format: "%.2f", compileMilliseconds)) ms
                  first mask:  \(String(format: "%.1f", firstMaskMicroseconds)) µs, \(mask.allowedCount) tokens allowed
                  memory:      \(stats.memoryBytes) bytes (automaton, configuration tables and cached masks, at the first mask)
                """)
            if !relaxations.isEmpty { print("  relaxed:     \(relaxations.count) keyword(s), listed on stderr") }
        }
        return 0
    }
}
