import Foundation
import Grammar
import TokenMask

/// `gramc generate`: a decoder loop with a random "model": at each step it samples uniformly
/// among the tokens the mask allows. It demonstrates the mask in use and checks that every
/// state reached has a non-empty mask.
enum GenerateCommand {
    static let help = """
        USAGE: gramc generate --schema <schema.json> [options]

        Samples documents token by token: each step computes the mask and picks uniformly among
        the allowed tokens. After --target-tokens steps it steers to the end, picking among the
        allowed tokens that spell the start of a shortest completion of the document. Prints each
        output on its own line (or, with --json, one JSON object a line). Exit status 1 if a
        state with an empty mask is reached or --max-tokens runs out.

        OPTIONS:
          --schema PATH         the JSON Schema
          --regex PATTERN       generate strings of this regex (full match) instead of a schema
          --vocab PATH          the vocabulary (default: corpus/vocab/demo, else single bytes)
          --eos IDS             end-of-sequence token ids, comma separated
          --count N             outputs to generate (default 5)
          --seed S              random seed (default 0); output i uses seed S + i
          --target-tokens N     steps of free sampling before steering to the end (default 100)
          --max-tokens N        hard limit of steps per output (default 4000)
          --json                one object a line: {"seed", "tokens", "output"}
          --whitespace W        compact (default here, so each output is one line) | flexible | flexible:N
          --lenient             skip keywords that are not enforced, listing each on stderr
          --no-format-assertion treat `format` as an annotation
          --portable-formats    date/time formats without leap seconds and year 0000 (values common validators reject)
          --portable-patterns   patterns read so that ECMA-262 and Python's re agree on every output
          --portable            both of the above
          --property-order O    declared (default) | any
          -h, --help            show this help
        """

    static func run(_ argv: [String]) throws -> Int32 {
        let args = try Arguments(argv, valued: Set(["schema", "regex", "vocab", "eos", "count", "seed", "target-tokens", "max-tokens"]).union(schemaValuedOptions),
                                 flags: Set(["help", "json"]).union(schemaFlags))
        if args.flags.contains("help") { print(help); return 0 }
        guard args.positionals.isEmpty else { throw UsageError("unexpected argument '\(args.positionals[0])'") }
        let count = try args.int("count", default: 5)
        let seed = try args.int("seed", default: 0)
        let target = try args.int("target-tokens", default: 100)
        let maxTokens = try args.int("max-tokens", default: 4000)
        guard count >= 0, maxTokens > 0, target >= 0 else { throw UsageError("counts must not be negative") }

        let grammar: Grammar
        if let pattern = args.options["regex"] {
            do { grammar = Grammar(try Regex(pattern).matchLanguage()) } catch { throw CLIError("invalid regex: \(error)") }
        } else {
            guard let schemaPath = args.options["schema"] else { throw UsageError("--schema (or --regex) is required") }
            let schema = try readJSON(schemaPath)
            var options = try schemaOptions(args)
            if args.options["whitespace"] == nil { options.whitespace = .compact }
            do {
                let compilation = try JSONSchemaCompiler(options: options).compile(schema)
                for r in compilation.relaxations { printError("relaxed: \(r)") }
                grammar = compilation.grammar
            } catch {
                throw CLIError("\(schemaPath): \(error)")
            }
        }
        let (vocabulary, _, _) = try loadVocabulary(args.options["vocab"], eos: args.options["eos"])
        let compiled: CompiledGrammar
        do { compiled = try CompiledGrammar(grammar, vocabulary: vocabulary) } catch { throw CLIError("\(error)") }

        var status: Int32 = 0
        for i in 0..<count {
            var rng = SplitMix64(seed: UInt64(truncatingIfNeeded: seed + i))
            switch sample(compiled, rng: &rng, target: target, maxTokens: maxTokens) {
            case .success(let (text, tokens)):
                if args.flags.contains("json") {
                    print(jsonLine([("seed", .int(seed + i)), ("tokens", .int(tokens)),
                                    ("output", .string(String(decoding: text, as: UTF8.self)))]))
                } else {
                    print(String(decoding: text, as: UTF8.self))
                }
            case .failure(let error):
                printError("seed \(seed + i): \(error.description)")
                status = 1
            }
        }
        return status
    }

    /// Generates one document.
    static func sample(_ compiled: CompiledGrammar, rng: inout SplitMix64, target: Int, maxTokens: Int) -> Result<([UInt8], Int), CLIError> {
        let vocabulary = compiled.vocabulary.vocabulary
        var matcher = compiled.makeMatcher()
        var text: [UInt8] = []
        var mask = TokenBitmask(size: vocabulary.size)
        for step in 0..<maxTokens {
            mask = matcher.mask()
            let allowed = mask.allowedTokens
            guard !allowed.isEmpty else {
                let exhausted = compiled.statistics.budgetExhausted ? " (the configuration budget is exhausted)" : ""
                return .failure(CLIError("empty mask at step \(step) after \(text.count) bytes\(exhausted); the output ends with \(String(reflecting: String(decoding: text.suffix(80), as: UTF8.self)))", status: 1))
            }
            let token: Int
            if step < target {
                token = allowed[Int(rng.next() % UInt64(allowed.count))]
            } else if let eos = allowed.first(where: { vocabulary.isEOS($0) }) {
                token = eos
            } else if let onPath = tokensOnShortestCompletion(matcher, mask: mask), !onPath.isEmpty {
                // The longest allowed tokens spelling the start of a shortest completion.
                token = onPath[Int(rng.next() % UInt64(onPath.count))]
            } else {
                var best = Int.max
                var choices: [Int] = []
                for t in allowed {
                    guard let d = matcher.shortestCompletionLength(after: t) else { continue }
                    if d < best { best = d; choices = [t] } else if d == best { choices.append(t) }
                }
                token = choices[Int(rng.next() % UInt64(choices.count))]
            }
            do { try matcher.accept(token: token) } catch {
                return .failure(CLIError("a token from the mask was refused: \(error)", status: 1))
            }
            if matcher.isTerminated { return .success((text, step + 1)) }
            text += vocabulary.bytes(of: token)
        }
        return .failure(CLIError("no end within \(maxTokens) tokens", status: 1))
    }
}

extension GenerateCommand {
    /// The longest allowed tokens whose bytes start a shortest completion of the output (nil
    /// when the output may end): following the completion byte by byte (ties: the lowest
    /// byte) as far as the longest token, then reading the token trie along it.
    static func tokensOnShortestCompletion(_ matcher: Matcher, mask: TokenBitmask) -> [Int]? {
        let trie = matcher.vocabulary.trie
        let path = matcher.shortestCompletionPrefix(limit: trie.maxDepth)
        if path.isEmpty { return nil }
        var tokens: [Int] = []
        var node = 0
        for byte in path {
            var child = node + 1
            let end = Int(trie.subtreeEnd[node])
            while child < end, trie.byte[child] != byte { child = Int(trie.subtreeEnd[child]) }
            guard child < end else { break }
            node = child
            let here = trie.tokenIDs[Int(trie.tokenStart[node])..<Int(trie.tokenStart[node + 1])].map(Int.init).filter(mask.contains)
            if !here.isEmpty { tokens = here }
        }
        return tokens
    }
}

