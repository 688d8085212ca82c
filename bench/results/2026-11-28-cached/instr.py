p='Sources/TokenMask/CompiledGrammar.swift'
s=open(p).read()
s=s.replace("""        if cached.form != .none { cached.write(into: words, size: vocabulary.size) }
        return id""","""        if cached.form != .none { cached.write(into: words, size: vocabulary.size) }
        debugMaskForm = Int(cached.form.rawValue) | Int(cached.count) << 2
        return id""")
s=s.replace("/// The shared, lock-protected state behind","public nonisolated(unsafe) var debugMaskForm = 0\n/// The shared, lock-protected state behind",1)
open(p,'w').write(s)
p='Sources/TokenMask/Matcher.swift'
s=open(p).read()
s=s.replace("""        let maskID = engine.fillMask(current, into: used)
""","""        let t0 = DispatchTime.now().uptimeNanoseconds
        let maskID = engine.fillMask(current, into: used)
        debugEngineNanos = Int(DispatchTime.now().uptimeNanoseconds - t0)
        debugMode = keys == nil ? 0 : keys!.isReadingKey ? 1 : keys!.mayCompleteKey ? 2 : 3
        if objectKeys != nil { debugMode |= 4 }
        if elements?.hasOpenUniqueArray == true { debugMode |= 8 }
""")
s=s.replace("import Automata","import Automata\nimport Foundation\npublic nonisolated(unsafe) var debugEngineNanos = 0\npublic nonisolated(unsafe) var debugMode = 0",1)
open(p,'w').write(s)
p='Sources/CLI/BenchCommand.swift'
s=open(p).read()
s=s.replace("""                matcher.fillMask(into: buffer)
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1000)
                guard""","""                matcher.fillMask(into: buffer)
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1000)
                debugForms.append(debugMaskForm | debugEngineNanos << 32 | debugMode << 24)
                guard""")
s=s.replace("""                    record.append(("mask_ns", .array(result.maskMicroseconds.map { .int(Int($0 * 1000)) })))""","""                    record.append(("mask_ns", .array(result.maskMicroseconds.map { .int(Int($0 * 1000)) })))
                    record.append(("forms", .array(debugForms.map { .int($0) })))""")
s=s.replace("""                let result = replayTimed(trace.tokens, compiled: compiled, words: &words)""","""                debugForms = []
                let result = replayTimed(trace.tokens, compiled: compiled, words: &words)""")
s=s.replace("enum BenchCommand {","nonisolated(unsafe) var debugForms: [Int] = []\nenum BenchCommand {",1)
open(p,'w').write(s)
