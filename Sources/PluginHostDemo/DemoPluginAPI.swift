import Foundation
import Logging
import PluginHost

/// The demo host's PluginAPI for one plugin: key-value calls go to the SQLite store in
/// that plugin's namespace, the rest to the shared SQLite workspace (`DemoPluginAPI+*.swift`,
/// one file per category). It implements every method. Every call is reported to `onCall`
/// so the demo can show what plugins do.
public struct DemoPluginAPI: PluginAPI {
    public let pluginID: String
    private let store: SQLiteKVStore
    let workspace: DemoWorkspace
    private let logger: Logger
    private let onCall: @Sendable (_ pluginID: String, _ call: String) -> Void

    /// Every method: the demo implements the whole API (`DemoAPICoverageTests` calls each one
    /// from a real plugin, so this cannot claim a method that answers UNIMPLEMENTED).
    public var supportedMethods: Set<PluginAPIMethod> { Set(PluginAPIMethod.allCases) }

    public init(
        pluginID: String, store: SQLiteKVStore, workspace: DemoWorkspace, logger: Logger,
        onCall: @escaping @Sendable (_ pluginID: String, _ call: String) -> Void = { _, _ in }
    ) {
        self.pluginID = pluginID
        self.store = store
        self.workspace = workspace
        var logger = logger
        logger[metadataKey: "plugin"] = .string(pluginID)
        self.logger = logger
        self.onCall = onCall
    }

    func note(_ call: String) { onCall(pluginID, call) }

    private func kv<R>(_ call: String, _ body: () throws(SQLiteKVStore.StoreError) -> R) throws(PluginAppError) -> R {
        note(call)
        do {
            return try body()
        } catch {
            switch error {
            case .invalidKey, .valueTooLarge, .invalidPaging:
                throw PluginAppError(id: "app.plugin.kv.invalid", message: error.description, statusCode: 400)
            case .database:
                throw PluginAppError(id: "app.plugin.kv.storage", message: "key-value storage failed",
                                     detailedError: error.description, statusCode: 500)
            }
        }
    }

    public func log(level: Logger.Level, message: String, keyValues: [(key: String, value: String)]) async {
        note("Log(\(level), \"\(message)\")")
        var metadata: Logger.Metadata = ["source": "api"]
        for (key, value) in keyValues { metadata[key] = .string(value) }
        logger.log(level: level, "\(message)", metadata: metadata)
    }

    public func kvSet(key: String, value: [UInt8], expireInSeconds: Int64) async throws(PluginAppError) {
        try kv("KVSet(\(key))") { () throws(SQLiteKVStore.StoreError) in
            try store.set(plugin: pluginID, key: key, value: value, expireInSeconds: expireInSeconds)
        }
    }

    public func kvGet(key: String) async throws(PluginAppError) -> [UInt8]? {
        try kv("KVGet(\(key))") { () throws(SQLiteKVStore.StoreError) in try store.get(plugin: pluginID, key: key) }
    }

    public func kvDelete(key: String) async throws(PluginAppError) {
        try kv("KVDelete(\(key))") { () throws(SQLiteKVStore.StoreError) in try store.delete(plugin: pluginID, key: key) }
    }

    public func kvList(page: Int, perPage: Int) async throws(PluginAppError) -> [String] {
        try kv("KVList(page \(page))") { () throws(SQLiteKVStore.StoreError) in
            try store.list(plugin: pluginID, page: page, perPage: perPage)
        }
    }

    public func kvCompareAndSet(key: String, expected: [UInt8]?, newValue: [UInt8], expireInSeconds: Int64)
        async throws(PluginAppError) -> Bool
    {
        try kv("KVCompareAndSet(\(key))") { () throws(SQLiteKVStore.StoreError) in
            try store.compareAndSet(
                plugin: pluginID, key: key, expected: expected, newValue: newValue, expireInSeconds: expireInSeconds)
        }
    }

    public func kvCompareAndDelete(key: String, expected: [UInt8]) async throws(PluginAppError) -> Bool {
        try kv("KVCompareAndDelete(\(key))") { () throws(SQLiteKVStore.StoreError) in
            try store.compareAndDelete(plugin: pluginID, key: key, expected: expected)
        }
    }

    public func kvDeleteAll() async throws(PluginAppError) {
        try kv("KVDeleteAll") { () throws(SQLiteKVStore.StoreError) in try store.deleteAll(plugin: pluginID) }
    }

    public func pluginConfiguration() async throws(PluginAppError) -> String {
        note("GetPluginConfig")
        return workspace.configuration(plugin: pluginID)
    }

    public func savePluginConfiguration(_ json: String) async throws(PluginAppError) {
        note("SavePluginConfig")
        guard json.utf8.count <= 1 << 20, (try? JSONSerialization.jsonObject(with: Data(json.utf8))) is [String: Any]
        else {
            throw PluginAppError(id: "app.plugin.config.invalid", message: "configuration must be a JSON object",
                                 statusCode: 400)
        }
        try workspace.setConfiguration(plugin: pluginID, json: json)
    }

    public func serverVersion() async -> String {
        note("GetServerVersion")
        return workspace.serverVersion
    }
}
