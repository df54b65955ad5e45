import Instrumentation
import RPC

/// Writes a tracer's propagation headers (W3C `traceparent` / `tracestate` with a W3C
/// propagator) into request metadata. gRPC metadata keys are lowercase; a value already there
/// under the key (say, one forwarded from an incoming call) is replaced, never duplicated.
struct MetadataInjector: Injector {
    func inject(_ value: String, forKey key: String, into metadata: inout Metadata) {
        metadata.replace(key.lowercased(), value)
    }
}

/// Reads a tracer's propagation headers from a call's request metadata (the first value of
/// a repeated key). What the value means, and whether it is well formed, is the tracer's
/// business: a tracer ignores what it cannot parse, so a bad header never fails a call.
struct MetadataExtractor: Extractor {
    func extract(key: String, from metadata: Metadata) -> String? {
        metadata.first(key.lowercased())
    }
}
