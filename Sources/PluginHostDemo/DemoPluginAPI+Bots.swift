import PluginHost

extension DemoPluginAPI {
    private func botRow(userID: String, includeDeleted: Bool = true) throws(PluginAppError) -> PluginBot {
        try DemoChecks.id(userID, "bot_user_id")
        return try one(
            DemoRows.botSelect + " WHERE b.user_id = ? AND (? = 1 OR b.delete_at = 0)",
            [.text(userID), .integer(includeDeleted ? 1 : 0)], DemoRows.bot, missing: DemoChecks.notFound("bot", userID))
    }

    private static func check(bot: PluginBot) throws(PluginAppError) {
        try DemoChecks.name(bot.username, "username")
        try DemoChecks.text(bot.displayName, "display_name", maximum: DemoChecks.maximumNameLength)
        try DemoChecks.text(bot.description, "description")
    }

    public func createBot(_ bot: PluginBot) async throws(PluginAppError) -> PluginBot {
        note("CreateBot(\(bot.username))")
        try Self.check(bot: bot)
        let owner = bot.ownerID.isEmpty ? pluginID : bot.ownerID
        try DemoChecks.id(owner, "owner_id")
        let userID = try workspace.transaction { session throws(PluginAppError) -> String in
            var user = PluginUser()
            user.username = bot.username
            // Bots have no mailbox; the address only keeps the users table's uniqueness.
            user.email = bot.username + "@bots.invalid"
            user.nickname = bot.displayName
            user.isBot = true
            user.roles = "system_user"
            let stored = try DemoRows.insert(user: user, now: DemoWorkspace.now(), session)
            let now = DemoWorkspace.now()
            try session.run(
                "INSERT INTO bots (user_id, owner_id, display_name, description, create_at, update_at, delete_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, 0)",
                [.text(stored.id), .text(owner), .text(bot.displayName), .text(bot.description), .integer(now),
                 .integer(now)])
            return stored.id
        }
        return try botRow(userID: userID)
    }

    public func bot(userID: String, includeDeleted: Bool) async throws(PluginAppError) -> PluginBot {
        note("GetBot(\(userID))")
        return try botRow(userID: userID, includeDeleted: includeDeleted)
    }

    public func ensureBot(_ bot: PluginBot) async throws(PluginAppError) -> PluginBot {
        note("EnsureBotUser(\(bot.username))")
        try Self.check(bot: bot)
        if let row = try workspace.run(DemoRows.botSelect + " WHERE u.username = ?", [.text(bot.username)]).first {
            let existing = DemoRows.bot(row)
            return existing.deleteAt == 0 ? existing : try await setBotActive(userID: existing.userID, active: true)
        }
        return try await createBot(bot)
    }

    public func patchBot(userID: String, username: String, displayName: String, description: String)
        async throws(PluginAppError) -> PluginBot
    {
        note("PatchBot(\(userID))")
        var patched = try botRow(userID: userID)
        if !username.isEmpty { patched.username = username }
        if !displayName.isEmpty { patched.displayName = displayName }
        if !description.isEmpty { patched.description = description }
        try Self.check(bot: patched)
        try workspace.transaction { session throws(PluginAppError) in
            try session.run("UPDATE users SET username = ?, email = ?, nickname = ? WHERE id = ?",
                            [.text(patched.username), .text(patched.username + "@bots.invalid"),
                             .text(patched.displayName), .text(userID)])
            try session.run("UPDATE bots SET display_name = ?, description = ?, update_at = ? WHERE user_id = ?",
                            [.text(patched.displayName), .text(patched.description), .integer(DemoWorkspace.now()),
                             .text(userID)])
        }
        return try botRow(userID: userID)
    }

    public func setBotActive(userID: String, active: Bool) async throws(PluginAppError) -> PluginBot {
        note("UpdateBotActive(\(userID), \(active))")
        _ = try botRow(userID: userID)
        let deleteAt: Int64 = active ? 0 : DemoWorkspace.now()
        try workspace.transaction { session throws(PluginAppError) in
            try session.run("UPDATE bots SET delete_at = ?, update_at = ? WHERE user_id = ?",
                            [.integer(deleteAt), .integer(DemoWorkspace.now()), .text(userID)])
            try session.run("UPDATE users SET delete_at = ? WHERE id = ?", [.integer(deleteAt), .text(userID)])
        }
        return try botRow(userID: userID)
    }

    public func bots(page: Int, perPage: Int, ownerID: String, includeDeleted: Bool) async throws(PluginAppError)
        -> [PluginBot]
    {
        note("GetBots(page \(page))")
        let (limit, offset) = try DemoChecks.paging(page, perPage)
        try DemoChecks.text(ownerID, "owner_id", maximum: DemoChecks.maximumNameLength)
        return try all(
            DemoRows.botSelect + " WHERE (?1 = '' OR b.owner_id = ?1) AND (?2 = 1 OR b.delete_at = 0)"
                + " ORDER BY u.username LIMIT ?3 OFFSET ?4",
            [.text(ownerID), .integer(includeDeleted ? 1 : 0), .integer(limit), .integer(offset)], DemoRows.bot)
    }
}
