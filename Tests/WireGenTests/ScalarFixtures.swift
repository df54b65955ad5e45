import Wire

extension WireTest_P3_Scalars {
    /// Every numeric field at an extreme (each varint at its longest encoding), with the given
    /// string and bytes.
    static func atExtremes(string: String, bytes: [UInt8]) -> Self {
        var message = Self()
        message.fDouble = -.greatestFiniteMagnitude
        message.fFloat = .leastNonzeroMagnitude
        message.fInt64 = .min
        message.fUint64 = .max
        message.fInt32 = .min
        message.fFixed64 = .max
        message.fFixed32 = .max
        message.fBool = true
        message.fString = string
        message.fBytes = bytes
        message.fUint32 = .max
        message.fColor = .green
        message.fSfixed32 = .min
        message.fSfixed64 = .min
        message.fSint32 = .min
        message.fSint64 = .min
        return message
    }
}
