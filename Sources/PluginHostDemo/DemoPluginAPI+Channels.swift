import PluginHost

extension DemoPluginAPI {
    func channelRow(id: String) throws(PluginAppError) -> PluginChannel {
        try DemoChecks.id(id, "channel_id")
        return try one("SELECT \(DemoRows.channelColumns) FROM channels WHERE id = ?", [.text(id)], DemoRows.channel,
                       missing: DemoChecks.notFound("channel", id))
    }

    static func check(channel: PluginChannel) throws(PluginAppError) {
        try DemoChecks.name(channel.name, "name")
        try DemoChecks.text(channel.displayName, "display_name", maximum: DemoChecks.maximumNameLength)
        try DemoChecks.text(channel.header, "header")
        try DemoChecks.text(channel.purpose, "purpose", maximum: 250)
    }

    public func createChannel(_ channel: PluginChannel) async throws(PluginAppError) -> PluginChannel {
        note("CreateChannel(\(channel.name))")
        try Self.check(channel: channel)
        guard channel.type == .open || channel.type == .private else {
            throw DemoChecks.invalid("type", "open or private (direct and group channels have their own calls)")
        }
        _ = try teamRow(id: channel.teamID)
        if !channel.creatorID.isEmpty { _ = try userRow(id: channel.creatorID) }
        var fresh = channel
        fresh.id = ""
        if fresh.displayName.isEmpty { fresh.displayName = channel.name }
        return try workspace.transaction { session throws(PluginAppError) in
            let stored = try DemoRows.insert(channel: fresh, now: DemoWorkspace.now(), session)
            if !stored.creatorID.isEmpty { try DemoRows.join(channel: stored.id, user: stored.creatorID, session) }
            return stored
        }
    }

    public func channel(id: String) async throws(PluginAppError) -> PluginChannel {
        note("GetChannel(\(id))")
        return try channelRow(id: id)
    }

    public func channel(teamID: String, name: String) async throws(PluginAppError) -> PluginChannel {
        note("GetChannelByName(\(name))")
        try DemoChecks.text(teamID, "team_id", maximum: DemoChecks.maximumNameLength)
        try DemoChecks.id(name, "name")
        return try one("SELECT \(DemoRows.channelColumns) FROM channels WHERE team_id = ? AND name = ?",
                       [.text(teamID), .text(name)], DemoRows.channel, missing: DemoChecks.notFound("channel", name))
    }

    public func updateChannel(_ channel: PluginChannel) async throws(PluginAppError) -> PluginChannel {
        note("UpdateChannel(\(channel.id))")
        let current = try channelRow(id: channel.id)
        try Self.check(channel: channel)
        try workspace.run(
            "UPDATE channels SET name = ?, display_name = ?, header = ?, purpose = ? WHERE id = ?",
            [.text(current.type == .direct || current.type == .group ? current.name : channel.name),
             .text(channel.displayName), .text(channel.header), .text(channel.purpose), .text(channel.id)])
        return try channelRow(id: channel.id)
    }

    public func deleteChannel(id: String) async throws(PluginAppError) {
        note("DeleteChannel(\(id))")
        let channel = try channelRow(id: id)
        guard channel.deleteAt == 0 else { throw DemoChecks.invalid("channel_id", "already archived") }
        try workspace.run("UPDATE channels SET delete_at = ? WHERE id = ?", [.integer(DemoWorkspace.now()), .text(id)])
    }

    /// The direct or group channel of `userIDs` (named after their sorted ids), made on first use.
    private func conversation(_ userIDs: [String], type: Mattermost_Pluginapi_V1_ChannelType) throws(PluginAppError)
        -> PluginChannel
    {
        for id in userIDs { _ = try userRow(id: id) }
        let members = Array(Set(userIDs)).sorted()
        let name = type == .direct ? members.joined(separator: "__") : "group-" + DemoIDs.digest(members)
        return try workspace.transaction { session throws(PluginAppError) in
            if let row = try session.run(
                "SELECT \(DemoRows.channelColumns) FROM channels WHERE team_id = '' AND name = ?", [.text(name)]).first
            {
                return DemoRows.channel(row)
            }
            var channel = PluginChannel()
            channel.type = type
            channel.name = name
            channel.displayName = members.joined(separator: ", ")
            let stored = try DemoRows.insert(channel: channel, now: DemoWorkspace.now(), session)
            for member in members { try DemoRows.join(channel: stored.id, user: member, session) }
            return stored
        }
    }

    public func directChannel(userID1: String, userID2: String) async throws(PluginAppError) -> PluginChannel {
        note("GetDirectChannel(\(userID1), \(userID2))")
        return try conversation([userID1, userID2], type: .direct)
    }

    public func groupChannel(userIDs: [String]) async throws(PluginAppError) -> PluginChannel {
        note("GetGroupChannel(\(userIDs.count))")
        guard (3...8).contains(Set(userIDs).count) else { throw DemoChecks.invalid("user_ids", "3 to 8 different users") }
        return try conversation(userIDs, type: .group)
    }

    public func publicChannels(teamID: String, page: Int, perPage: Int) async throws(PluginAppError) -> [PluginChannel] {
        note("GetPublicChannelsForTeam(\(teamID))")
        _ = try teamRow(id: teamID)
        let (limit, offset) = try DemoChecks.paging(page, perPage)
        return try all(
            "SELECT \(DemoRows.channelColumns) FROM channels WHERE team_id = ? AND type = ? AND delete_at = 0"
                + " ORDER BY name LIMIT ? OFFSET ?",
            [.text(teamID), .integer(Int64(Mattermost_Pluginapi_V1_ChannelType.open.rawValue)), .integer(limit),
             .integer(offset)], DemoRows.channel)
    }

    public func channels(teamID: String, userID: String, includeDeleted: Bool) async throws(PluginAppError)
        -> [PluginChannel]
    {
        note("GetChannelsForTeamForUser(\(teamID), \(userID))")
        _ = try teamRow(id: teamID)
        _ = try userRow(id: userID)
        // The team's channels the user is in, and the user's direct and group channels, as on the server.
        return try all(
            "SELECT \(DemoRows.qualified(DemoRows.channelColumns, "c")) FROM channels c JOIN channel_members m ON m.channel_id = c.id"
                + " WHERE m.user_id = ? AND c.team_id IN (?, '') AND (? = 1 OR c.delete_at = 0) ORDER BY c.name LIMIT 1000",
            [.text(userID), .text(teamID), .integer(includeDeleted ? 1 : 0)], DemoRows.channel)
    }

    public func searchChannels(teamID: String, term: String) async throws(PluginAppError) -> [PluginChannel] {
        note("SearchChannels(\(term))")
        _ = try teamRow(id: teamID)
        try DemoChecks.text(term, "term", maximum: DemoChecks.maximumNameLength)
        return try all(
            "SELECT \(DemoRows.channelColumns) FROM channels WHERE team_id = ?1 AND type = ?2 AND delete_at = 0"
                + " AND (lower(name) LIKE ?3 ESCAPE '\\' OR lower(display_name) LIKE ?3 ESCAPE '\\') ORDER BY name LIMIT 100",
            [.text(teamID), .integer(Int64(Mattermost_Pluginapi_V1_ChannelType.open.rawValue)),
             .text(DemoChecks.prefixPattern(term.lowercased()))], DemoRows.channel)
    }

    public func channelMember(channelID: String, userID: String) async throws(PluginAppError) -> PluginChannelMember {
        note("GetChannelMember(\(channelID), \(userID))")
        try DemoChecks.id(channelID, "channel_id")
        try DemoChecks.id(userID, "user_id")
        return try one(
            "SELECT \(DemoRows.channelMemberColumns) FROM channel_members WHERE channel_id = ? AND user_id = ?",
            [.text(channelID), .text(userID)], DemoRows.channelMember,
            missing: DemoChecks.notFound("channel_member", userID))
    }

    public func channelMembers(channelID: String, page: Int, perPage: Int) async throws(PluginAppError)
        -> [PluginChannelMember]
    {
        note("GetChannelMembers(\(channelID))")
        _ = try channelRow(id: channelID)
        let (limit, offset) = try DemoChecks.paging(page, perPage)
        return try all(
            "SELECT \(DemoRows.channelMemberColumns) FROM channel_members WHERE channel_id = ? ORDER BY user_id"
                + " LIMIT ? OFFSET ?",
            [.text(channelID), .integer(limit), .integer(offset)], DemoRows.channelMember)
    }

    public func addChannelMember(channelID: String, userID: String) async throws(PluginAppError) -> PluginChannelMember {
        note("AddChannelMember(\(channelID), \(userID))")
        let channel = try channelRow(id: channelID)
        _ = try userRow(id: userID)
        guard channel.type == .open || channel.type == .private else {
            throw DemoChecks.invalid("channel_id", "direct and group channels have fixed members")
        }
        guard channel.deleteAt == 0 else { throw DemoChecks.invalid("channel_id", "the channel is archived") }
        try workspace.transaction { session throws(PluginAppError) in
            // Joining a channel joins its team, as on the server.
            try DemoRows.join(team: channel.teamID, user: userID, now: DemoWorkspace.now(), session)
            try DemoRows.join(channel: channelID, user: userID, session)
        }
        return try await channelMember(channelID: channelID, userID: userID)
    }

    public func removeChannelMember(channelID: String, userID: String) async throws(PluginAppError) {
        note("DeleteChannelMember(\(channelID), \(userID))")
        _ = try await channelMember(channelID: channelID, userID: userID)
        try workspace.run("DELETE FROM channel_members WHERE channel_id = ? AND user_id = ?",
                          [.text(channelID), .text(userID)])
    }

    public func usersInChannel(channelID: String, page: Int, perPage: Int) async throws(PluginAppError) -> [PluginUser] {
        note("GetUsersInChannel(\(channelID))")
        _ = try channelRow(id: channelID)
        let (limit, offset) = try DemoChecks.paging(page, perPage)
        return try all(
            "SELECT \(DemoRows.qualified(DemoRows.userColumns, "u")) FROM users u JOIN channel_members m ON m.user_id = u.id"
                + " WHERE m.channel_id = ? ORDER BY u.username LIMIT ? OFFSET ?",
            [.text(channelID), .integer(limit), .integer(offset)], DemoRows.user)
    }
}
