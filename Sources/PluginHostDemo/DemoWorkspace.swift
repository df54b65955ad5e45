import Foundation
import PluginHost
import Synchronization

/// The demo host's data besides the key-value store, in one SQLite database (schema:
/// `DemoSchema`): users, teams, channels, posts, reactions, bots, slash commands, published
/// WebSocket events, preferences and plugin configurations. Uploaded files live on disk in
/// `filesDirectory`, their metadata in the database. Every statement binds its values as
/// parameters; no input is ever spliced into SQL text.
public final class DemoWorkspace: Sendable {
    public let serverVersion: String
    /// Where uploaded files are stored, one file per upload named by its id.
    public let filesDirectory: String
    /// The largest file a plugin may upload.
    public let maximumFileSize: Int64

    let database: SQLiteDatabase
    /// The environment whose plugins this workspace serves, for plugin-to-plugin HTTP and
    /// slash-command dispatch; set by `attach(_:)` once the environment exists.
    private let environment = Mutex<Environment?>(nil)
    /// A files folder this workspace made for itself and removes when it goes away.
    private let ownsFilesDirectory: Bool

    /// Opens (creating and migrating) the workspace database at `path` (":memory:" for a
    /// private in-memory one); `filesDirectory` nil makes a fresh temporary folder.
    public init(
        path: String = ":memory:", filesDirectory: String? = nil, maximumFileSize: Int64 = 64 << 20,
        serverVersion: String = "9.11.0-swift-plugin-host"
    ) throws {
        database = try SQLiteDatabase(path: path)
        try database.exclusive { session throws(SQLiteDatabase.Error) in
            if path != ":memory:" { try session.query("PRAGMA journal_mode=WAL") }
            try DemoSchema.migrate(session)
        }
        if let filesDirectory {
            try FileManager.default.createDirectory(atPath: filesDirectory, withIntermediateDirectories: true)
            self.filesDirectory = filesDirectory
            ownsFilesDirectory = false
        } else {
            let folder = NSTemporaryDirectory() + "plugin-host-files-" + DemoIDs.make()
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            self.filesDirectory = folder
            ownsFilesDirectory = true
        }
        self.maximumFileSize = maximumFileSize
        self.serverVersion = serverVersion
    }

    deinit {
        if ownsFilesDirectory { try? FileManager.default.removeItem(atPath: filesDirectory) }
    }

    /// A workspace with users alice and bob, team "demo" (both members) and its channels
    /// town-square and random (both members).
    public static func seeded(
        path: String = ":memory:", filesDirectory: String? = nil, maximumFileSize: Int64 = 64 << 20
    ) throws -> DemoWorkspace {
        let workspace = try DemoWorkspace(path: path, filesDirectory: filesDirectory, maximumFileSize: maximumFileSize)
        try workspace.seed()
        return workspace
    }

    private func seed() throws(PluginAppError) {
        var team = PluginTeam()
        team.id = "team-demo"
        team.name = "demo"
        team.displayName = "Demo"
        team.openInvite = true
        try transaction { session throws(PluginAppError) in
            guard try session.run("SELECT 1 FROM teams WHERE id = ?", [.text(team.id)]).isEmpty else { return }
            try DemoRows.insert(team: team, now: Self.now(), session)
            for (id, name) in [("user-alice", "alice"), ("user-bob", "bob")] {
                var user = PluginUser()
                user.id = id
                user.username = name
                user.email = "\(name)@example.com"
                user.roles = "system_user"
                try DemoRows.insert(user: user, now: Self.now(), session)
                try DemoRows.join(team: team.id, user: id, now: Self.now(), session)
            }
            for (id, name) in [("channel-town-square", "town-square"), ("channel-random", "random")] {
                var channel = PluginChannel()
                channel.id = id
                channel.teamID = team.id
                channel.name = name
                channel.displayName = name.replacingOccurrences(of: "-", with: " ").capitalized
                channel.type = .open
                try DemoRows.insert(channel: channel, now: Self.now(), session)
                for user in ["user-alice", "user-bob"] { try DemoRows.join(channel: id, user: user, session) }
            }
        }
    }

    /// Connects the workspace to the environment serving its plugins (plugin-to-plugin HTTP
    /// and slash commands go through it).
    public func attach(_ environment: Environment) { self.environment.withLock { $0 = environment } }

    var attachedEnvironment: Environment? { environment.withLock { $0 } }

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    /// Runs `body` in one transaction, rolled back when it throws.
    func transaction<R>(_ body: (SQLiteDatabase.Session) throws(PluginAppError) -> R) throws(PluginAppError) -> R {
        try database.withSession { session throws(PluginAppError) -> R in
            try session.run("BEGIN IMMEDIATE")
            do throws(PluginAppError) {
                let result = try body(session)
                try session.run("COMMIT")
                return result
            } catch {
                _ = try? session.query("ROLLBACK")
                throw error
            }
        }
    }

    /// One statement outside a transaction.
    @discardableResult
    func run(_ sql: String, _ parameters: [SQLiteDatabase.Value] = []) throws(PluginAppError) -> [[SQLiteDatabase.Value]] {
        try database.withSession { session throws(PluginAppError) in try session.run(sql, parameters) }
    }

    // What the demo host itself reads and writes (not through a plugin).

    public func user(id: String) -> PluginUser? {
        (try? run("SELECT \(DemoRows.userColumns) FROM users WHERE id = ?", [.text(id)]))?.first.map(DemoRows.user)
    }

    public func user(username: String) -> PluginUser? {
        (try? run("SELECT \(DemoRows.userColumns) FROM users WHERE username = ?", [.text(username)]))?.first
            .map(DemoRows.user)
    }

    public func channel(id: String) -> PluginChannel? {
        (try? run("SELECT \(DemoRows.channelColumns) FROM channels WHERE id = ?", [.text(id)]))?.first
            .map(DemoRows.channel)
    }

    /// Stores a post the host accepted, giving it an id and timestamps.
    public func insert(_ post: PluginPost) throws(PluginAppError) -> PluginPost {
        try transaction { session throws(PluginAppError) in try DemoRows.insert(post: post, now: Self.now(), session) }
    }

    /// Stores an edit of a live post (its message, props and type), stamping update_at and edit_at.
    public func update(_ post: PluginPost) throws(PluginAppError) -> PluginPost {
        try transaction { session throws(PluginAppError) in
            let now = Self.now()
            try session.run(
                "UPDATE posts SET message = ?, props = ?, type = ?, update_at = ?, edit_at = ? WHERE id = ? AND delete_at = 0",
                [.text(post.message), .text(DemoRows.json(post.props)), .text(post.type), .integer(now), .integer(now),
                 .text(post.id)])
            let rows = try session.run(
                "SELECT \(DemoRows.postColumns) FROM posts WHERE id = ? AND delete_at = 0", [.text(post.id)])
            guard let row = rows.first else { throw DemoChecks.notFound("post", post.id) }
            return DemoRows.post(row)
        }
    }

    /// Every post, oldest first.
    public var allPosts: [PluginPost] {
        ((try? run("SELECT \(DemoRows.postColumns) FROM posts WHERE delete_at = 0 ORDER BY create_at, id")) ?? [])
            .map(DemoRows.post)
    }

    /// A WebSocket event a plugin published, as the demo records it.
    public struct PublishedEvent: Sendable, Equatable {
        public var pluginID: String
        public var event: String
        public var payloadJSON: String
        public var broadcast: PluginBroadcast
    }

    /// Every WebSocket event published so far, in order.
    public var publishedEvents: [PublishedEvent] {
        let rows = (try? run(
            "SELECT plugin_id, event, payload_json, user_id, channel_id FROM websocket_events ORDER BY sequence")) ?? []
        return rows.map { row in
            let broadcast: PluginBroadcast =
                !row[3].string.isEmpty ? .user(row[3].string) : !row[4].string.isEmpty ? .channel(row[4].string) : .everyone
            return PublishedEvent(pluginID: row[0].string, event: row[1].string, payloadJSON: row[2].string, broadcast: broadcast)
        }
    }

    /// Ephemeral posts shown to `userID`, oldest first (the demo has no clients to show them to).
    public func ephemeralPosts(for userID: String) -> [PluginPost] {
        let rows = (try? run(
            "SELECT id, channel_id, user_id, message, props, create_at, update_at FROM ephemeral_posts"
                + " WHERE recipient_id = ? ORDER BY create_at, id", [.text(userID)])) ?? []
        return rows.map(DemoRows.ephemeralPost)
    }

    /// Runs a slash command line ("/trigger words...") through the plugin that registered the
    /// trigger (for `teamID` or for every team): its ExecuteCommand hook answers.
    public func executeCommand(_ args: PluginCommandArgs, teamID: String) async throws
        -> Mattermost_Pluginapi_V1_ExecuteCommandResponse
    {
        let trigger = String(args.command.split(separator: " ", maxSplits: 1).first?.dropFirst() ?? "")
        let rows = try run(
            "SELECT plugin_id FROM commands WHERE trigger = ? AND team_id IN (?, '') ORDER BY team_id DESC LIMIT 1",
            [.text(trigger), .text(teamID)])
        guard let pluginID = rows.first?.first?.string else {
            throw PluginAppError(id: "api.command.execute_command.not_found", message: "no command /\(trigger)",
                                 statusCode: 404, location: "DemoWorkspace.executeCommand")
        }
        guard let environment = attachedEnvironment else {
            throw PluginAppError(id: "api.command.no_environment", message: "no plugins are attached", statusCode: 503)
        }
        return try await environment.executeCommand(pluginID: pluginID, args)
    }

    /// The configuration saved for `plugin`, as a JSON object ("{}" when none is saved).
    public func configuration(plugin: String) -> String {
        (try? run("SELECT json FROM plugin_configurations WHERE plugin_id = ?", [.text(plugin)]))?.first?.first?.string
            ?? "{}"
    }

    /// Saves `plugin`'s configuration (a JSON object), as the host's settings page would.
    public func setConfiguration(plugin: String, json: String) throws(PluginAppError) {
        try run("INSERT OR REPLACE INTO plugin_configurations (plugin_id, json) VALUES (?, ?)", [.text(plugin), .text(json)])
    }
}

extension SQLiteDatabase.Session {
    /// `query`, with SQLite's errors as the AppErrors a plugin sees: a constraint violation
    /// is a 409 conflict, anything else a 500 that keeps SQLite's message for the log only.
    @discardableResult
    func run(_ sql: String, _ parameters: [SQLiteDatabase.Value] = []) throws(PluginAppError) -> [[SQLiteDatabase.Value]] {
        do {
            return try query(sql, parameters)
        } catch {
            if Self.isConstraintViolation(error) {
                throw PluginAppError(id: "app.store.conflict", message: "that already exists", detailedError: error.description,
                                     statusCode: 409, location: "DemoWorkspace")
            }
            throw PluginAppError(id: "app.store.failed", message: "the store failed", detailedError: error.description,
                                 statusCode: 500, location: "DemoWorkspace")
        }
    }
}

/// Ids as the server makes them: 26 lowercase letters and digits.
enum DemoIDs {
    private static let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")

    static func make() -> String { String((0..<26).map { _ in alphabet.randomElement()! }) }

    /// A stable 26-character name for a set of ids (FNV-1a, base 36), for group channels.
    static func digest(_ ids: [String]) -> String {
        var hashes: [UInt64] = [0xcbf2_9ce4_8422_2325, 0x8422_2325_cbf2_9ce4]
        for (index, seed) in hashes.enumerated() {
            var hash = seed
            for byte in ids.joined(separator: ",").utf8 {
                hash ^= UInt64(byte)
                hash &*= 0x0000_0100_0000_01b3
            }
            hashes[index] = hash
        }
        return String((String(hashes[0], radix: 36) + String(hashes[1], radix: 36)).prefix(26))
    }
}
