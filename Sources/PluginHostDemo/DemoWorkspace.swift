import Foundation
import PluginHost
import Synchronization

/// The demo host's data besides the key-value store: a few users and channels, the posts
/// written during the run, and plugin configurations. In memory; the demo is one run.
public final class DemoWorkspace: Sendable {
    private struct State {
        var users: [String: PluginUser] = [:]
        var channels: [String: PluginChannel] = [:]
        var posts: [String: PluginPost] = [:]
        var configurations: [String: String] = [:]
        var nextID = 1
    }

    private let state = Mutex(State())
    public let serverVersion: String

    public init(serverVersion: String = "9.11.0-swift-plugin-host") {
        self.serverVersion = serverVersion
    }

    /// A workspace with users alice and bob and channels town-square and random in team "demo".
    public static func seeded() -> DemoWorkspace {
        let workspace = DemoWorkspace()
        for (id, name) in [("user-alice", "alice"), ("user-bob", "bob")] {
            var user = PluginUser()
            user.id = id
            user.username = name
            user.email = "\(name)@example.com"
            user.roles = "system_user"
            workspace.add(user: user)
        }
        for (id, name) in [("channel-town-square", "town-square"), ("channel-random", "random")] {
            var channel = PluginChannel()
            channel.id = id
            channel.teamID = "team-demo"
            channel.name = name
            channel.displayName = name.replacingOccurrences(of: "-", with: " ").capitalized
            channel.type = .open
            workspace.add(channel: channel)
        }
        return workspace
    }

    public func add(user: PluginUser) { state.withLock { $0.users[user.id] = user } }
    public func add(channel: PluginChannel) { state.withLock { $0.channels[channel.id] = channel } }

    public func user(id: String) -> PluginUser? { state.withLock { $0.users[id] } }
    public func user(username: String) -> PluginUser? {
        state.withLock { $0.users.values.first { $0.username == username } }
    }
    public func channel(id: String) -> PluginChannel? { state.withLock { $0.channels[id] } }
    public func channel(teamID: String, name: String) -> PluginChannel? {
        state.withLock { $0.channels.values.first { $0.teamID == teamID && $0.name == name } }
    }

    /// Stores a post, giving it an id and timestamps.
    public func insert(_ post: PluginPost) -> PluginPost {
        state.withLock { state in
            var stored = post
            if stored.id.isEmpty {
                stored.id = "post-\(state.nextID)"
                state.nextID += 1
            }
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            stored.createAt = now
            stored.updateAt = now
            state.posts[stored.id] = stored
            return stored
        }
    }

    public func post(id: String) -> PluginPost? { state.withLock { $0.posts[id] } }

    public func update(_ post: PluginPost) -> PluginPost? {
        state.withLock { state in
            guard state.posts[post.id] != nil else { return nil }
            var stored = post
            stored.updateAt = Int64(Date().timeIntervalSince1970 * 1000)
            stored.editAt = stored.updateAt
            state.posts[post.id] = stored
            return stored
        }
    }

    public func deletePost(id: String) -> Bool { state.withLock { $0.posts.removeValue(forKey: id) != nil } }

    public var allPosts: [PluginPost] {
        state.withLock { Array($0.posts.values) }.sorted { ($0.createAt, $0.id) < ($1.createAt, $1.id) }
    }

    public func configuration(plugin: String) -> String { state.withLock { $0.configurations[plugin] ?? "{}" } }
    public func setConfiguration(plugin: String, json: String) { state.withLock { $0.configurations[plugin] = json } }
}
