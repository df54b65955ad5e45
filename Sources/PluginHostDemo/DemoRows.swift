import Foundation
import PluginHost

/// Rows of the demo schema to and from the PluginAPI's messages. Each `*Columns` list is the
/// SELECT order its mapping function reads.
enum DemoRows {
    typealias Row = [SQLiteDatabase.Value]
    typealias Session = SQLiteDatabase.Session

    /// `columns` with each name prefixed by a table alias, for joins ("id, name" -> "t.id, t.name").
    static func qualified(_ columns: String, _ alias: String) -> String {
        columns.split(separator: ",").map { alias + "." + $0.trimmingCharacters(in: .whitespaces) }
            .joined(separator: ", ")
    }

    static let userColumns =
        "id, username, email, nickname, first_name, last_name, roles, locale, create_at, delete_at, is_bot"

    static func user(_ row: Row) -> PluginUser {
        var user = PluginUser()
        user.id = row[0].string
        user.username = row[1].string
        user.email = row[2].string
        user.nickname = row[3].string
        user.firstName = row[4].string
        user.lastName = row[5].string
        user.roles = row[6].string
        user.locale = row[7].string
        user.createAt = row[8].int
        user.deleteAt = row[9].int
        user.isBot = row[10].int != 0
        return user
    }

    @discardableResult
    static func insert(user: PluginUser, now: Int64, _ session: Session) throws(PluginAppError) -> PluginUser {
        var stored = user
        if stored.id.isEmpty { stored.id = DemoIDs.make() }
        stored.createAt = now
        stored.deleteAt = 0
        if stored.roles.isEmpty { stored.roles = "system_user" }
        try session.run(
            "INSERT INTO users (\(userColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [.text(stored.id), .text(stored.username), .text(stored.email), .text(stored.nickname),
             .text(stored.firstName), .text(stored.lastName), .text(stored.roles), .text(stored.locale),
             .integer(stored.createAt), .integer(0), .integer(stored.isBot ? 1 : 0)])
        return stored
    }

    static let teamColumns = "id, name, display_name, description, email, open_invite, create_at, delete_at"

    static func team(_ row: Row) -> PluginTeam {
        var team = PluginTeam()
        team.id = row[0].string
        team.name = row[1].string
        team.displayName = row[2].string
        team.description = row[3].string
        team.email = row[4].string
        team.openInvite = row[5].int != 0
        team.createAt = row[6].int
        team.deleteAt = row[7].int
        return team
    }

    @discardableResult
    static func insert(team: PluginTeam, now: Int64, _ session: Session) throws(PluginAppError) -> PluginTeam {
        var stored = team
        if stored.id.isEmpty { stored.id = DemoIDs.make() }
        stored.createAt = now
        stored.deleteAt = 0
        try session.run(
            "INSERT INTO teams (\(teamColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [.text(stored.id), .text(stored.name), .text(stored.displayName), .text(stored.description),
             .text(stored.email), .integer(stored.openInvite ? 1 : 0), .integer(now), .integer(0)])
        return stored
    }

    static let teamMemberColumns = "team_id, user_id, roles, delete_at"

    static func teamMember(_ row: Row) -> PluginTeamMember {
        var member = PluginTeamMember()
        member.teamID = row[0].string
        member.userID = row[1].string
        member.roles = row[2].string
        member.deleteAt = row[3].int
        return member
    }

    static func join(team: String, user: String, now: Int64, _ session: Session) throws(PluginAppError) {
        try session.run(
            "INSERT INTO team_members (team_id, user_id, roles, delete_at) VALUES (?, ?, 'team_user', 0)"
                + " ON CONFLICT (team_id, user_id) DO UPDATE SET delete_at = 0",
            [.text(team), .text(user)])
    }

    static let channelColumns =
        "id, team_id, type, name, display_name, header, purpose, creator_id, create_at, delete_at"

    static func channel(_ row: Row) -> PluginChannel {
        var channel = PluginChannel()
        channel.id = row[0].string
        channel.teamID = row[1].string
        channel.type = Mattermost_Pluginapi_V1_ChannelType(rawValue: Int32(truncatingIfNeeded: row[2].int)) ?? .open
        channel.name = row[3].string
        channel.displayName = row[4].string
        channel.header = row[5].string
        channel.purpose = row[6].string
        channel.creatorID = row[7].string
        channel.createAt = row[8].int
        channel.deleteAt = row[9].int
        return channel
    }

    @discardableResult
    static func insert(channel: PluginChannel, now: Int64, _ session: Session) throws(PluginAppError) -> PluginChannel {
        var stored = channel
        if stored.id.isEmpty { stored.id = DemoIDs.make() }
        stored.createAt = now
        stored.deleteAt = 0
        try session.run(
            "INSERT INTO channels (\(channelColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [.text(stored.id), .text(stored.teamID), .integer(Int64(stored.type.rawValue)), .text(stored.name),
             .text(stored.displayName), .text(stored.header), .text(stored.purpose), .text(stored.creatorID),
             .integer(now), .integer(0)])
        return stored
    }

    static let channelMemberColumns = "channel_id, user_id, roles, last_viewed_at, msg_count"

    static func channelMember(_ row: Row) -> PluginChannelMember {
        var member = PluginChannelMember()
        member.channelID = row[0].string
        member.userID = row[1].string
        member.roles = row[2].string
        member.lastViewedAt = row[3].int
        member.msgCount = row[4].int
        return member
    }

    static func join(channel: String, user: String, _ session: Session) throws(PluginAppError) {
        try session.run(
            "INSERT OR IGNORE INTO channel_members (channel_id, user_id, roles, last_viewed_at, msg_count)"
                + " VALUES (?, ?, 'channel_user', 0, 0)",
            [.text(channel), .text(user)])
    }

    static let postColumns = "id, create_at, update_at, edit_at, delete_at, user_id, channel_id, root_id, message, type, props"

    static func post(_ row: Row) -> PluginPost {
        var post = PluginPost()
        post.id = row[0].string
        post.createAt = row[1].int
        post.updateAt = row[2].int
        post.editAt = row[3].int
        post.deleteAt = row[4].int
        post.userID = row[5].string
        post.channelID = row[6].string
        post.rootID = row[7].string
        post.message = row[8].string
        post.type = row[9].string
        post.props = props(row[10].string)
        return post
    }

    /// Posts are numbered "post-1", "post-2"... in the order they are stored (deleted posts keep
    /// their rows, so a number is never reused), which keeps the demo's output readable.
    static func insert(post: PluginPost, now: Int64, _ session: Session) throws(PluginAppError) -> PluginPost {
        var stored = post
        if stored.id.isEmpty {
            let count = try session.run("SELECT COUNT(*) FROM posts").first?.first?.int ?? 0
            stored.id = "post-\(count + 1)"
        }
        stored.createAt = now
        stored.updateAt = now
        stored.editAt = 0
        stored.deleteAt = 0
        try session.run(
            "INSERT INTO posts (\(postColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [.text(stored.id), .integer(now), .integer(now), .integer(0), .integer(0), .text(stored.userID),
             .text(stored.channelID), .text(stored.rootID), .text(stored.message), .text(stored.type),
             .text(json(stored.props))])
        return stored
    }

    static func ephemeralPost(_ row: Row) -> PluginPost {
        var post = PluginPost()
        post.id = row[0].string
        post.channelID = row[1].string
        post.userID = row[2].string
        post.message = row[3].string
        post.props = props(row[4].string)
        post.createAt = row[5].int
        post.updateAt = row[6].int
        post.type = "ephemeral"
        return post
    }

    /// Read from `reactionsWithPosts`: a reaction carries its post's channel.
    static let reactionColumns = "r.user_id, r.post_id, r.emoji_name, r.create_at, p.channel_id"
    static let reactionsWithPosts = "reactions r JOIN posts p ON p.id = r.post_id"

    static func reaction(_ row: Row) -> PluginReaction {
        var reaction = PluginReaction()
        reaction.userID = row[0].string
        reaction.postID = row[1].string
        reaction.emojiName = row[2].string
        reaction.createAt = row[3].int
        reaction.channelID = row[4].string
        return reaction
    }

    static let fileColumns = "id, creator_id, channel_id, post_id, name, extension, size, mime_type, create_at"

    static func file(_ row: Row) -> PluginFileInfo {
        var info = PluginFileInfo()
        info.id = row[0].string
        info.creatorID = row[1].string
        info.channelID = row[2].string
        info.postID = row[3].string
        info.name = row[4].string
        info.`extension` = row[5].string
        info.size = row[6].int
        info.mimeType = row[7].string
        info.createAt = row[8].int
        return info
    }

    /// Bots joined with their user rows (the username lives there).
    static let botSelect = """
        SELECT b.user_id, u.username, b.display_name, b.description, b.owner_id, b.create_at, b.update_at, b.delete_at
        FROM bots b JOIN users u ON u.id = b.user_id
        """

    static func bot(_ row: Row) -> PluginBot {
        var bot = PluginBot()
        bot.userID = row[0].string
        bot.username = row[1].string
        bot.displayName = row[2].string
        bot.description = row[3].string
        bot.ownerID = row[4].string
        bot.createAt = row[5].int
        bot.updateAt = row[6].int
        bot.deleteAt = row[7].int
        return bot
    }

    static let commandColumns = "trigger, team_id, display_name, description, auto_complete_hint, auto_complete, plugin_id"

    static func command(_ row: Row) -> PluginSlashCommand {
        var command = PluginSlashCommand()
        command.trigger = row[0].string
        command.teamID = row[1].string
        command.displayName = row[2].string
        command.description = row[3].string
        command.autoCompleteHint = row[4].string
        command.autoComplete = row[5].int != 0
        command.pluginID = row[6].string
        return command
    }

    static func preference(_ row: Row) -> PluginPreference {
        var preference = PluginPreference()
        preference.userID = row[0].string
        preference.category = row[1].string
        preference.name = row[2].string
        preference.value = row[3].string
        return preference
    }

    static func json(_ props: [String: String]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: props, options: [.sortedKeys]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    static func props(_ json: String) -> [String: String] {
        (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: String] ?? [:]
    }
}
