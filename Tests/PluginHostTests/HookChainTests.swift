import Foundation
import Testing

@testable import PluginHost

/// Every hook beyond the basic ones, end to end through three real Python plugins
/// (python/test_plugins/chain_a, chain_b, chain_c; chain_c writes some hooks as `async def`),
/// and the chaining rules: plugin id order, each plugin sees the previous one's change, the
/// first rejection wins, a failing or timed-out plugin in the middle lets the value through
/// (logged). One host and one set of processes for the whole test, to keep it fast.
@Suite(.serialized) struct HookChainTests {
    static let plugins = ["test.chain.a", "test.chain.b", "test.chain.c"]

    /// The NotificationWillBePushed timeout for the slow plugin (it sleeps 8 s).
    static let notificationTimeout: Duration = .seconds(2)

    @Test func everyHookThroughThreePlugins() async throws {
        try await withTestHost(plugins: ["chain_a", "chain_b", "chain_c"], configure: {
            // Generous for hooks that call back into the API on a loaded machine; the one
            // timeout under test is set per hook.
            $0.messageHookTimeout = .seconds(15)
            $0.hookTimeouts[.notificationWillBePushed] = Self.notificationTimeout
            $0.maximumUploadSize = 4 << 20
        }) { host in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for id in Self.plugins { group.addTask { try await host.environment.activate(id) } }
                try await group.waitForAll()
            }
            for id in Self.plugins {
                let hooks = try await #require(host.environment.supervisor(for: id)).implementedHooks
                #expect(hooks.count == 24, "\(id): \(hooks.sorted())")
            }
            try await postHooks(host)
            try await userAndMembershipHooks(host)
            try await fileHook(host)
            try await serverHooks(host)
            try await pluginEvents(host)
        }
    }

    private func values(_ host: TestHost, _ key: String) -> [String?] {
        Self.plugins.map { host.value($0, key) }
    }

    private func postHooks(_ host: TestHost) async throws {
        let env = host.environment
        let old = makePost("first draft", id: "post-1")
        // The change propagates in id order.
        #expect(await env.messageWillBeUpdated(new: makePost("edited", id: "post-1"), old: old)
            == .allowed(makePost("edited +a +b +c", id: "post-1")))
        #expect(values(host, "saw:MessageWillBeUpdated") == [
            "edited <- first draft", "edited +a <- first draft", "edited +a +b <- first draft"])
        // The first rejection wins: b rejects, c is not asked (c also rejects "reject-c").
        let rejected = await env.messageWillBeUpdated(new: makePost("reject-b reject-c", id: "post-1"), old: old)
        #expect(rejected == .rejected(reason: "b rejects the edit", by: "test.chain.b"))
        #expect(host.value("test.chain.c", "saw:MessageWillBeUpdated") == "edited +a +b <- first draft")
        // A crash in the middle lets the value through with the others' changes, and is logged.
        #expect(await env.messageWillBeUpdated(new: makePost("crash-b", id: "post-1"), old: old)
            == .allowed(makePost("crash-b +a +c", id: "post-1")))
        #expect(host.records.all.contains {
            $0.level == .warning && $0.message.contains("MessageWillBeUpdated failed")
                && $0.metadata["plugin"] == "test.chain.b"
        })

        await env.messageHasBeenUpdated(new: makePost("new text", id: "post-1"), old: old)
        #expect(values(host, "MessageHasBeenUpdated") == Array(repeating: "new text <- first draft", count: 3))
        await env.messageHasBeenDeleted(makePost("gone", id: "post-9"))
        #expect(values(host, "MessageHasBeenDeleted") == Array(repeating: "post-9", count: 3))

        let consumed = await env.messagesWillBeConsumed([makePost("one"), makePost("two")])
        #expect(consumed.map(\.message) == ["one +a +b +c", "two +a +b +c"])
        let partlyFailed = await env.messagesWillBeConsumed([makePost("crash-a")])
        #expect(partlyFailed.map(\.message) == ["crash-a +b +c"])
        // A plugin may change posts but not drop any: b's answer is refused, logged.
        let dropped = await env.messagesWillBeConsumed([makePost("keep"), makePost("drop-b")])
        #expect(dropped.map(\.message) == ["keep +a +c", "drop-b +a +c"])
        #expect(!host.records.matching("MessagesWillBeConsumed failed").isEmpty)

        var reaction = PluginReaction()
        reaction.userID = "user-bob"
        reaction.postID = "post-1"
        reaction.emojiName = "tada"
        await env.reactionHasBeenAdded(reaction)
        #expect(values(host, "ReactionHasBeenAdded") == Array(repeating: "user-bob post-1 tada", count: 3))
        await env.reactionHasBeenRemoved(reaction)
        #expect(values(host, "ReactionHasBeenRemoved") == Array(repeating: "user-bob post-1 tada", count: 3))
    }

    private func userAndMembershipHooks(_ host: TestHost) async throws {
        let env = host.environment
        func user(_ name: String) -> PluginUser {
            var user = PluginUser()
            user.id = "user-" + name
            user.username = name
            return user
        }
        await env.userHasBeenCreated(user("carol"))
        #expect(values(host, "UserHasBeenCreated") == Array(repeating: "carol", count: 3))
        #expect(await env.userWillLogIn(user("carol")) == .allowed(user("carol")))
        #expect(values(host, "saw:UserWillLogIn") == Array(repeating: "carol", count: 3))
        #expect(await env.userWillLogIn(user("blocked-b")) == .rejected(reason: "b refuses blocked-b", by: "test.chain.b"))
        #expect(host.value("test.chain.c", "saw:UserWillLogIn") == "carol")
        #expect(await env.userWillLogIn(user("crash-c")) == .allowed(user("crash-c")))
        await env.userHasLoggedIn(user("carol"))
        #expect(values(host, "UserHasLoggedIn") == Array(repeating: "carol", count: 3))
        await env.userHasBeenDeactivated(user("dave"))
        #expect(values(host, "UserHasBeenDeactivated") == Array(repeating: "dave", count: 3))

        var channel = PluginChannel()
        channel.id = "channel-new"
        channel.name = "new-channel"
        await env.channelHasBeenCreated(channel)
        #expect(values(host, "ChannelHasBeenCreated") == Array(repeating: "new-channel", count: 3))

        var channelMember = PluginChannelMember()
        channelMember.userID = "user-carol"
        channelMember.channelID = "channel-new"
        await env.userHasJoinedChannel(channelMember)
        #expect(values(host, "UserHasJoinedChannel") == Array(repeating: "user-carol channel-new by self", count: 3))
        await env.userHasLeftChannel(channelMember, actor: user("alice"))
        #expect(values(host, "UserHasLeftChannel") == Array(repeating: "user-carol channel-new by user-alice", count: 3))

        var teamMember = PluginTeamMember()
        teamMember.userID = "user-carol"
        teamMember.teamID = "team-demo"
        await env.userHasJoinedTeam(teamMember, actor: user("alice"))
        #expect(values(host, "UserHasJoinedTeam") == Array(repeating: "user-carol team-demo by user-alice", count: 3))
        await env.userHasLeftTeam(teamMember)
        #expect(values(host, "UserHasLeftTeam") == Array(repeating: "user-carol team-demo by self", count: 3))

        await env.onWebSocketConnect(connectionID: "conn-1", userID: "user-carol")
        #expect(values(host, "OnWebSocketConnect") == Array(repeating: "conn-1 user-carol", count: 3))
        var message = PluginWebSocketRequest()
        message.seq = 7
        message.action = "user_typing"
        message.dataJson = #"{"channel_id":"channel-new"}"#
        await env.webSocketMessageHasBeenPosted(connectionID: "conn-1", userID: "user-carol", message)
        #expect(values(host, "WebSocketMessageHasBeenPosted")
            == Array(repeating: #"conn-1 user-carol 7 user_typing {"channel_id":"channel-new"}"#, count: 3))
        await env.onWebSocketDisconnect(connectionID: "conn-1", userID: "user-carol")
        #expect(values(host, "OnWebSocketDisconnect") == Array(repeating: "conn-1 user-carol", count: 3))
    }

    /// A 3 MiB file streamed through the chain: changed by one plugin (and the next ones see
    /// the change), then rejected by another; an oversized answer is refused.
    private func fileHook(_ host: TestHost) async throws {
        var generator = SystemRandomNumberGenerator()
        let content = (0..<(3 << 20)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        var info = PluginFileInfo()
        info.id = "file-1"
        info.name = "transform.bin"
        info.size = Int64(content.count)
        let decision = await host.environment.fileWillBeUploaded(PluginUpload(info: info, content: content))
        guard case .allowed(let result) = decision else {
            Issue.record("expected the file to go through, got a rejection: \(decision)")
            return
        }
        #expect(result.info.name == "transformed-transform.bin")
        #expect(result.info.size == Int64(content.count))
        #expect(result.content == Array(content.reversed()))
        let reversedDigest = sha256Hex(Array(content.reversed()))
        #expect(values(host, "saw:FileWillBeUploaded") == [
            "transform.bin \(content.count) \(sha256Hex(content))",
            "transformed-transform.bin \(content.count) \(reversedDigest)",
            "transformed-transform.bin \(content.count) \(reversedDigest)",
        ])

        // More content back than the host's upload limit: that plugin's answer is dropped.
        info.name = "inflate.bin"
        let inflated = await host.environment.fileWillBeUploaded(PluginUpload(info: info, content: Array(content.prefix(1000))))
        #expect(inflated == .allowed(PluginUpload(info: info, content: Array(content.prefix(1000)))))
        #expect(host.records.all.contains {
            $0.message.contains("FileWillBeUploaded failed") && "\($0.metadata["error"] ?? "")".contains("over 4194304 bytes")
        })

        info.name = "transform-and-reject.bin"
        let rejected = await host.environment.fileWillBeUploaded(PluginUpload(info: info, content: content))
        #expect(rejected == .rejected(reason: "b rejects transformed-transform-and-reject.bin", by: "test.chain.b"))
    }

    private func serverHooks(_ host: TestHost) async throws {
        let env = host.environment
        #expect(try await env.onInstall(pluginID: "test.chain.a", userID: "user-alice") == nil)
        #expect(host.value("test.chain.a", "OnInstall") == "user-alice")
        #expect(host.value("test.chain.b", "OnInstall") == nil)
        let refused = try await env.onInstall(pluginID: "test.chain.b", userID: "refuse")
        #expect(refused?.id == "chain.install.refused")

        let saved = await env.configurationWillBeSaved(json: #"{"SiteName": "demo"}"#)
        guard case .allowed(let json) = saved, let object = JSONValue.object(parsing: json) else {
            Issue.record("expected a configuration, got \(saved)")
            return
        }
        #expect(object["chain"] == .array([.string("a"), .string("b"), .string("c")]))
        #expect(object["SiteName"] == .string("demo"))
        #expect(await env.configurationWillBeSaved(json: #"{"reject": "a"}"#)
            == .rejected(reason: "a refuses the configuration", by: "test.chain.a"))

        var notification = PluginPushNotification()
        notification.message = "ping"
        notification.postID = "post-1"
        var expected = notification
        expected.message = "ping +a +b +c"
        #expect(await env.notificationWillBePushed(notification, userID: "user-bob") == .allowed(expected))
        notification.message = "reject-c"
        #expect(await env.notificationWillBePushed(notification, userID: "user-bob")
            == .rejected(reason: "c stops the push to user-bob", by: "test.chain.c"))
        // A plugin past its (per-hook) timeout lets the notification through, without holding
        // the chain longer than that timeout; logged.
        notification.message = "slow-b"
        let clock = ContinuousClock()
        let start = clock.now
        expected.message = "slow-b +a +c"
        #expect(await env.notificationWillBePushed(notification, userID: "user-bob") == .allowed(expected))
        #expect(clock.now - start < .seconds(7), "the chain waited for the slow plugin")
        #expect(host.records.all.contains {
            $0.level == .warning && $0.message.contains("NotificationWillBePushed failed")
                && $0.metadata["plugin"] == "test.chain.b" && "\($0.metadata["error"] ?? "")".lowercased().contains("deadline")
        }, "\(host.records.matching("NotificationWillBePushed").map { "\($0.message) \($0.metadata)" })")
    }

    /// A publishes an event (through its PluginAPI, served by PluginHost); b and c get it,
    /// a does not get its own event.
    private func pluginEvents(_ host: TestHost) async throws {
        let response = try await host.environment.executeCommand(pluginID: "test.chain.a", command("/publish greetings hi there"))
        #expect(response.response.text == "2")
        #expect(values(host, "event:greetings") == [nil, "test.chain.a hi there", "test.chain.a hi there"])
        // Past the bounds: the publisher gets an AppError, nobody gets the event.
        let longTopic = try await host.environment.executeCommand(pluginID: "test.chain.b", command("/publish-oversized topic"))
        #expect(longTopic.error.id == "plugin.event.topic")
        let bigPayload = try await host.environment.executeCommand(pluginID: "test.chain.b", command("/publish-oversized payload"))
        #expect(bigPayload.error.id == "plugin.event.payload")
        #expect(values(host, "event:big") == [nil, nil, nil])
        // The host itself may publish too.
        #expect(await host.environment.deliverPluginEvent(from: "host", topic: "tick", payload: Array("1".utf8)) == 3)
        #expect(values(host, "event:tick") == Array(repeating: "host 1", count: 3))
    }
}

func sha256Hex(_ bytes: [UInt8]) -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try? process.run()
    input.fileHandleForWriting.write(Data(bytes))
    try? input.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(String(decoding: data, as: UTF8.self).prefix(64))
}
