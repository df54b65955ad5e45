import Foundation
import Logging
import RPC

/// The plugin host as the application sees it: finds plugins in a folder, starts and
/// stops them, reports their states, and fans hook calls out to the active ones.
public actor Environment {
    public nonisolated let pluginsDirectory: String
    private let configuration: SupervisorConfiguration
    private let logger: Logger
    private let apiFactory: @Sendable (PluginManifest) -> any PluginAPI
    private var registrar: APIServerRegistrar = PluginAPIService.registrar
    /// Event loops shared by every plugin's API server and hooks channel.
    private let group: EventLoopGroup
    private(set) var supervisors: [String: Supervisor] = [:]
    /// Carries events plugins publish to each other (`PublishPluginEvent` -> `OnPluginEvent`).
    private let eventBus = PluginEventBus()
    /// Plugin id -> its folder. Internal: `install(bundleAt:options:)` moves folders.
    var folders: [String: String] = [:]
    /// Plugin ids with an install under way (one at a time per plugin).
    var installing: Set<String> = []
    /// Plugin folders that could not be used, with the reason.
    public private(set) var invalidPlugins: [String: ManifestError] = [:]
    private(set) var isShutDown = false

    /// - Parameters:
    ///   - apiFactory: makes the host's PluginAPI for one plugin (called at each activation).
    ///   - reapOrphans: make this process a child subreaper, so children a plugin leaves
    ///     behind are re-parented to (and reaped by) the host instead of pid 1.
    public init(
        pluginsDirectory: String, configuration: SupervisorConfiguration = .init(), logger: Logger,
        reapOrphans: Bool = true, apiFactory: @escaping @Sendable (PluginManifest) -> any PluginAPI
    ) throws {
        self.pluginsDirectory = pluginsDirectory
        self.configuration = configuration
        self.logger = logger
        self.apiFactory = apiFactory
        self.group = try EventLoopGroup(loopCount: min(2, EventLoopGroup.coreCount), name: "plugin-host")
        eventBus.connect { [weak self] source, topic, payload in
            await self?.deliverPluginEvent(from: source, topic: topic, payload: payload) ?? 0
        }
        if reapOrphans && !becomeChildSubreaper() {
            logger.warning("could not become a child subreaper; orphaned plugin children go to pid 1")
        }
    }

    /// Replaces how the PluginAPI is served to plugins (default: `PluginAPIService.registrar`).
    /// Takes effect for plugins activated afterwards.
    public func setAPIServerRegistrar(_ registrar: @escaping APIServerRegistrar) {
        self.registrar = registrar
    }

    /// Scans the plugins folder: every subfolder with a valid plugin.json is a plugin.
    /// Returns the plugin ids found, sorted.
    @discardableResult
    public func discover() -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: pluginsDirectory)) ?? []
        for entry in entries.sorted() where !entry.hasPrefix(".") {
            let folder = (pluginsDirectory as NSString).appendingPathComponent(entry)
            guard FileManager.default.fileExists(atPath: folder + "/plugin.json") else { continue }
            do {
                let manifest = try PluginManifest.load(fromDirectory: folder)
                if let existing = folders[manifest.id], existing != folder {
                    logger.error("duplicate plugin id \(manifest.id) in \(folder); keeping \(existing)")
                    continue
                }
                folders[manifest.id] = folder
            } catch {
                invalidPlugins[entry] = error
                logger.error("ignoring plugin folder \(entry): \(error)")
            }
        }
        return folders.keys.sorted()
    }

    public var pluginIDs: [String] { folders.keys.sorted() }

    public func state(of id: String) async -> PluginState {
        guard let supervisor = supervisors[id] else { return .inactive }
        return await supervisor.state
    }

    public func states() async -> [String: PluginState] {
        var states: [String: PluginState] = [:]
        for id in folders.keys { states[id] = await state(of: id) }
        return states
    }

    /// The supervisor of a plugin that was activated at least once.
    public func supervisor(for id: String) -> Supervisor? { supervisors[id] }

    /// The hooks an active plugin said it implements (its `Implemented` answer); empty when it
    /// is not running.
    public func implementedHooks(of id: String) async -> Set<PluginHook> {
        await supervisors[id]?.implementedHooks ?? []
    }

    /// Starts and activates a plugin found by `discover()`.
    public func activate(_ id: String) async throws(PluginStartError) {
        guard !isShutDown else {
            throw PluginStartError(pluginID: id, reason: .activationFailed("the environment is shut down"))
        }
        guard let folder = folders[id] else {
            throw PluginStartError(pluginID: id, reason: .activationFailed("no such plugin in \(pluginsDirectory)"))
        }
        let supervisor: Supervisor
        if let existing = supervisors[id] {
            supervisor = existing
        } else {
            let manifest: PluginManifest
            do {
                manifest = try PluginManifest.load(fromDirectory: folder)
            } catch {
                throw PluginStartError(pluginID: id, reason: .invalidManifest(error))
            }
            supervisor = Supervisor(
                directory: folder, manifest: manifest, api: apiFactory(manifest), registrar: registrar,
                eventBus: eventBus, configuration: configuration, group: group, logger: logger)
            supervisors[id] = supervisor
        }
        try await supervisor.start()
    }

    /// Stops a plugin in order. Returns what stopping its process took.
    @discardableResult
    public func deactivate(_ id: String) async -> StopReport? {
        guard let supervisor = supervisors.removeValue(forKey: id) else { return nil }
        return await supervisor.stop()
    }

    /// Stops a plugin (if running) and starts it again with a fresh launch (and a fresh
    /// failure history).
    public func restart(_ id: String) async throws(PluginStartError) {
        await deactivate(id)
        try await activate(id)
    }

    /// Stops every plugin in parallel. Each stop is bounded (OnDeactivate timeout + exit
    /// grace + terminate grace + kill wait + API server grace), so the whole shutdown is
    /// bounded by one plugin's bound. Returns each plugin's stop report.
    @discardableResult
    public func shutdown() async -> [String: StopReport] {
        guard !isShutDown else { return [:] }
        isShutDown = true
        let stopping = supervisors
        supervisors = [:]
        let reports = await withTaskGroup(of: (String, StopReport?).self) { tasks in
            for (id, supervisor) in stopping {
                tasks.addTask { (id, await supervisor.stop()) }
            }
            var reports: [String: StopReport] = [:]
            for await (id, report) in tasks {
                if let report { reports[id] = report }
            }
            return reports
        }
        group.shutdown()
        return reports
    }

    // MARK: - Hooks of one plugin (the fan-out to all plugins is in Environment+Hooks.swift)

    public func executeCommand(pluginID: String, _ args: PluginCommandArgs) async throws
        -> Mattermost_Pluginapi_V1_ExecuteCommandResponse
    {
        guard let supervisor = supervisors[pluginID] else {
            throw RPCError(code: .notFound, message: "plugin \(pluginID) is not active")
        }
        return try await supervisor.executeCommand(args)
    }

    /// Forwards an HTTP request to plugin `pluginID`, streaming both ways (transport-neutral:
    /// the caller's HTTP server adapts to it).
    ///
    /// `head.url` is relative to the plugin's root ("/plugins/ID/items?x=1" arrives as
    /// "/items?x=1"). `body` yields the request body's chunks as the HTTP client sends them;
    /// it is read only as fast as the plugin consumes (gRPC/HTTP/2 flow control), and an
    /// error it throws (the client went away mid-body) cancels the plugin's call. Returns as
    /// soon as the plugin sent its response head; the body follows through
    /// `PluginHTTPResponseBody` with bounded buffering. Dropping or cancelling that body
    /// (the client went away mid-response) cancels the plugin's call.
    ///
    ///     let response = try await environment.serveHTTP(pluginID: id, head: head, body: requestChunks)
    ///     writeHead(response.statusCode, response.head.headers)
    ///     for try await chunk in response.body { try await write(chunk) }
    ///
    /// Throws NOT_FOUND for a plugin that is not active, UNIMPLEMENTED when it has no
    /// ServeHTTP, and `RPCError`s of the call (before the head).
    public func serveHTTP<Body: AsyncSequence & Sendable>(
        pluginID: String, head: PluginHTTPRequestHead, body: Body
    ) async throws -> PluginHTTPStreamingResponse where Body.Element == [UInt8] {
        guard let supervisor = supervisors[pluginID] else {
            throw RPCError(code: .notFound, message: "plugin \(pluginID) is not active")
        }
        return try await supervisor.serveHTTP(head: head, body: body)
    }

    /// The buffered convenience: the whole request body in, the whole response body back
    /// (at most `SupervisorConfiguration.maximumHTTPResponseBody` bytes).
    public func serveHTTP(pluginID: String, _ request: PluginHTTPRequest) async throws -> PluginHTTPResponse {
        guard let supervisor = supervisors[pluginID] else {
            throw RPCError(code: .notFound, message: "plugin \(pluginID) is not active")
        }
        return try await supervisor.serveHTTP(request)
    }

    public func configurationChanged(pluginID: String, json: String) async throws -> PluginAppError? {
        guard let supervisor = supervisors[pluginID] else {
            throw RPCError(code: .notFound, message: "plugin \(pluginID) is not active")
        }
        return try await supervisor.configurationChanged(json: json)
    }
}
