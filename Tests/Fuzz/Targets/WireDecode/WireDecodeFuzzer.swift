// fuzz-wire-decode. Built by scripts/fuzz.sh (-sanitize=fuzzer,address -DFUZZING), main hands the
// process to libFuzzer, which calls LLVMFuzzerTestOneInput per input; a plain build's main
// replays inputs and records seeds (FuzzTool).
import FuzzHarnesses

/// The symbol libFuzzer's runtime expects (its own main, linked but unused, refers to it).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzTarget.wireDecode.run(FuzzTarget.bytes(data, size))
    return 0
}

@main enum FuzzMain {
    static func main() {
        #if FUZZING
        FuzzTool.runLibFuzzer { data, size in fuzzOneInput(data, size) }
        #else
        FuzzTool.main(.wireDecode)
        #endif
    }
}
