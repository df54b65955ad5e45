/// Conversions between the time well-known types and Swift's own types (hand-written; the
/// `.wire.swift` files next to this one are generated).
extension Google_Protobuf_Duration {
    public init(seconds: Int64, nanos: Int32 = 0) {
        self.init()
        self.seconds = seconds
        self.nanos = nanos
    }

    /// protobuf durations keep seconds and nanos with the same sign; Swift.Duration's
    /// attoseconds are truncated to nanoseconds.
    public init(_ duration: Swift.Duration) {
        let (seconds, attoseconds) = duration.components
        var wholeSeconds = seconds
        var nanos = attoseconds / 1_000_000_000
        if wholeSeconds > 0 && nanos < 0 {
            wholeSeconds -= 1
            nanos += 1_000_000_000
        } else if wholeSeconds < 0 && nanos > 0 {
            wholeSeconds += 1
            nanos -= 1_000_000_000
        }
        self.init(seconds: wholeSeconds, nanos: Int32(nanos))
    }

    public var swiftDuration: Swift.Duration {
        .seconds(seconds) + .nanoseconds(Int64(nanos))
    }
}

extension Google_Protobuf_Timestamp {
    public init(seconds: Int64, nanos: Int32 = 0) {
        self.init()
        self.seconds = seconds
        self.nanos = nanos
    }

    /// Seconds since 1970-01-01T00:00:00Z as a floating-point number (nanos are 0...999_999_999).
    public init(secondsSince1970 value: Double) {
        let whole = value.rounded(.down)
        var nanos = Int32(((value - whole) * 1e9).rounded())
        var seconds = Int64(whole)
        if nanos >= 1_000_000_000 {
            seconds += 1
            nanos -= 1_000_000_000
        }
        self.init(seconds: seconds, nanos: nanos)
    }

    public var secondsSince1970: Double { Double(seconds) + Double(nanos) / 1e9 }
}

// Wrapper types: `Google_Protobuf_StringValue("x")` instead of building and assigning.
extension Google_Protobuf_DoubleValue { public init(_ value: Double) { self.init(); self.value = value } }
extension Google_Protobuf_FloatValue { public init(_ value: Float) { self.init(); self.value = value } }
extension Google_Protobuf_Int64Value { public init(_ value: Int64) { self.init(); self.value = value } }
extension Google_Protobuf_UInt64Value { public init(_ value: UInt64) { self.init(); self.value = value } }
extension Google_Protobuf_Int32Value { public init(_ value: Int32) { self.init(); self.value = value } }
extension Google_Protobuf_UInt32Value { public init(_ value: UInt32) { self.init(); self.value = value } }
extension Google_Protobuf_BoolValue { public init(_ value: Bool) { self.init(); self.value = value } }
extension Google_Protobuf_StringValue { public init(_ value: String) { self.init(); self.value = value } }
extension Google_Protobuf_BytesValue { public init(_ value: [UInt8]) { self.init(); self.value = value } }
