import Foundation
let W = 4008
var dst = [UInt32](repeating: 0, count: W)
// many bitsets to emulate cold-ish sources
let nsrc = 64
var srcs = (0..<nsrc).map { _ in (0..<W).map { _ in UInt32.random(in: 0...UInt32.max) } }
func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
func bench(_ name: String, _ body: (Int) -> Void) {
    var best = UInt64.max
    for _ in 0..<5 {
        let t = now(); for i in 0..<20000 { body(i) }; best = min(best, now() - t)
    }
    print(name, Double(best) / 20000, "ns")
}
dst.withUnsafeMutableBufferPointer { d in
    bench("memcpy hot") { _ in srcs[0].withUnsafeBufferPointer { s in _ = d.update(fromContentsOf: s) } }
    bench("memcpy 64 srcs") { i in srcs[i & 63].withUnsafeBufferPointer { s in _ = d.update(fromContentsOf: s) } }
    bench("memset") { _ in d.update(repeating: 0) }
    for n in [32, 64, 128, 256, 512, 1024, 2000] {
        let ids = (0..<n).map { _ in Int32.random(in: 0..<128256) }
        let sorted = ids.sorted()
        ids.withUnsafeBufferPointer { ids in
            bench("memset+scatter \(n)") { _ in d.update(repeating: 0); for id in ids { d[Int(id) >> 5] |= 1 << UInt32(id & 31) } }
        }
        sorted.withUnsafeBufferPointer { ids in
            bench("memset+sorted \(n)") { _ in d.update(repeating: 0); for id in ids { d[Int(id) >> 5] |= 1 << UInt32(id & 31) } }
        }
    }
}
