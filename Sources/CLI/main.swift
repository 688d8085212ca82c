import Foundation

/// The `gramc` command: dispatches to a subcommand and maps errors to exit statuses
/// (0 success, 1 rejected / checks failed, 2 input cannot be compiled or loaded, 64 bad usage).
let commands: [(name: String, summary: String, run: ([String]) throws -> Int32)] = [
    ("compile", "Compile a JSON Schema (or regex) and report or emit the result.", CompileCommand.run),
    ("validate", "Check whether an instance is accepted by a schema's compiled grammar.", ValidateCommand.run),
    ("generate", "Sample documents with the token mask applied (a decoder-loop demo).", GenerateCommand.run),
    ("conformance", "Run JSON Schema Test Suite files through the compiled grammars.", ConformanceCommand.run),
    ("corpus", "Compile, replay and sample a JSONSchemaBench-style folder of schemas, by subset.", CorpusCommand.run),
    ("bench", "Replay tokenized traces and time every mask (MaskBench method).", BenchCommand.run),
    ("vocab", "Summarize a vocabulary, list its tokens, or encode a text.", VocabCommand.run),
]

let overview = """
    OVERVIEW: gramc compiles JSON Schemas and regexes into token-level automata that give, at each
    decoding step, the set of vocabulary tokens that keep the output valid.

    USAGE: gramc <command> [options]

    COMMANDS:
    \(commands.map { "  " + $0.name.padding(toLength: 13, withPad: " ", startingAt: 0) + $0.summary }.joined(separator: "\n"))

    Run 'gramc <command> --help' for a command's options.
    """

@MainActor func main() -> Int32 {
    var args = Array(CommandLine.arguments.dropFirst())
    guard let name = args.first, !name.hasPrefix("-") || name == "--version" else {
        if args.contains("--help") || args.contains("-h") {
            print(overview)
            return 0
        }
        printError(overview)
        return 64
    }
    if name == "--version" {
        print("gramc 0.1.0")
        return 0
    }
    if name == "help" {
        print(overview)
        return 0
    }
    args.removeFirst()
    guard let command = commands.first(where: { $0.name == name }) else {
        printError("gramc: unknown command '\(name)'\n\n\(overview)")
        return 64
    }
    do {
        return try command.run(args)
    } catch let error as UsageError {
        printError("gramc \(name): \(error.description)\nRun 'gramc \(name) --help' for usage.")
        return 64
    } catch let error as CLIError {
        printError("gramc \(name): \(error.description)")
        return error.status
    } catch {
        printError("gramc \(name): \(error)")
        return 2
    }
}

exit(main())
