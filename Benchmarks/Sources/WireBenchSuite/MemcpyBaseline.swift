#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// The cheapest possible "encode" and "decode" of one big payload: allocate an array and
/// memcpy the payload into it (encoding also leaves room for the tag and length varint).
enum MemcpyBaseline {
    static func workload(payload: [UInt8], encoded: [UInt8]) -> Workload {
        let headerSize = encoded.count - payload.count
        return Workload(
            encode: { n in
                var check = 0
                for _ in 0..<n {
                    let out = payload.withUnsafeBufferPointer { copy($0, header: headerSize) }
                    check &+= out.count &+ Int(out[out.count >> 1])
                }
                return check
            },
            decode: { n in
                var check = 0
                for _ in 0..<n {
                    let out = encoded.withUnsafeBufferPointer {
                        copy(UnsafeBufferPointer(rebasing: $0[headerSize...]), header: 0)
                    }
                    check &+= out.count &+ Int(out[out.count >> 1])
                }
                return check
            }
        )
    }

    /// A fresh array of `header` zero bytes followed by a memcpy of `source`.
    @inline(never)
    static func copy(_ source: UnsafeBufferPointer<UInt8>, header: Int) -> [UInt8] {
        let total = source.count + header
        return [UInt8](unsafeUninitializedCapacity: total) { buffer, count in
            if let target = buffer.baseAddress {
                memset(target, 0, header)
                if let base = source.baseAddress { memcpy(target + header, base, source.count) }
            }
            count = total
        }
    }
}
