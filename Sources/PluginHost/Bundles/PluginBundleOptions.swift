/// What `Environment.install(bundleAt:options:)` checks and allows.
public struct PluginBundleOptions: Sendable {
    /// The bundle's expected SHA-256, as 64 hex digits. When nil, the first word of
    /// `BUNDLE.sha256` beside the bundle (what `sha256sum` writes) is used; with neither, the
    /// bundle is refused.
    public var expectedSHA256: String?
    /// Publishers whose Ed25519 signature is accepted. When not empty, a bundle must carry a
    /// signature by one of them (`signature`, or `BUNDLE.sig` beside the bundle).
    public var trustedKeys: [BundlePublicKey] = []
    /// The signature (raw 64 bytes, or base64 or hex text) of the bundle's SHA-256 digest.
    public var signature: [UInt8]?
    /// Largest accepted bundle file.
    public var maximumBundleBytes = 512 << 20
    /// Largest total of unpacked bytes (the tar stream, headers included).
    public var maximumUnpackedBytes = 1 << 30
    /// Most entries (files, folders, links) in a bundle.
    public var maximumEntries = 20_000
    /// How the plugin's venv is built when the bundle has a `requirements.txt`.
    public var venv = PluginVenvOptions()
    /// Activate the plugin once installed (an upgrade of an active plugin is always
    /// re-activated). A plugin that fails to activate is rolled back.
    public var activate = true

    public init() {}
}
