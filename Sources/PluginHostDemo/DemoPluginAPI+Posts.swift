import PluginHost

extension DemoPluginAPI {
    func postRow(id: String) throws(PluginAppError) -> PluginPost {
        try DemoChecks.id(id, "post_id")
        return try one("SELECT \(DemoRows.postColumns) FROM posts WHERE id = ? AND delete_at = 0", [.text(id)],
                       DemoRows.post, missing: DemoChecks.notFound("post", id))
    }

    static func check(post: PluginPost) throws(PluginAppError) {
        try DemoChecks.text(post.message, "message", maximum: DemoChecks.maximumMessageLength)
        try DemoChecks.text(post.type, "type", maximum: DemoChecks.maximumNameLength)
        guard post.props.count <= 100, post.props.allSatisfy({ $0.key.count <= 256 && $0.value.count <= 8192 }) else {
            throw DemoChecks.invalid("props", "at most 100 entries, keys of 256 and values of 8192 characters")
        }
    }

    public func createPost(_ post: PluginPost) async throws(PluginAppError) -> PluginPost {
        note("CreatePost(\"\(post.message.prefix(40))\")")
        try Self.check(post: post)
        let channel = try channelRow(id: post.channelID)
        guard channel.deleteAt == 0 else { throw DemoChecks.invalid("channel_id", "the channel is archived") }
        if !post.userID.isEmpty { _ = try userRow(id: post.userID) }
        if !post.rootID.isEmpty {
            let root = try postRow(id: post.rootID)
            guard root.channelID == post.channelID, root.rootID.isEmpty else {
                throw DemoChecks.invalid("root_id", "must be a root post of the same channel")
            }
        }
        var fresh = post
        fresh.id = ""
        return try workspace.insert(fresh)
    }

    public func post(id: String) async throws(PluginAppError) -> PluginPost {
        note("GetPost(\(id))")
        return try postRow(id: id)
    }

    public func updatePost(_ post: PluginPost) async throws(PluginAppError) -> PluginPost {
        note("UpdatePost(\(post.id))")
        try Self.check(post: post)
        try DemoChecks.id(post.id, "post_id")
        return try workspace.update(post)
    }

    public func deletePost(id: String) async throws(PluginAppError) {
        note("DeletePost(\(id))")
        _ = try postRow(id: id)
        // Deleting a root post deletes its replies, as on the server.
        try workspace.run("UPDATE posts SET delete_at = ?2 WHERE (id = ?1 OR root_id = ?1) AND delete_at = 0",
                          [.text(id), .integer(DemoWorkspace.now())])
    }

    public func sendEphemeralPost(userID: String, _ post: PluginPost) async throws(PluginAppError) -> PluginPost {
        note("SendEphemeralPost(\(userID))")
        try Self.check(post: post)
        _ = try userRow(id: userID)
        _ = try channelRow(id: post.channelID)
        let id = post.id.isEmpty ? DemoIDs.make() : post.id
        try DemoChecks.id(id, "post.id")
        let now = DemoWorkspace.now()
        try workspace.run(
            "INSERT INTO ephemeral_posts (id, recipient_id, channel_id, user_id, message, props, create_at, update_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [.text(id), .text(userID), .text(post.channelID), .text(post.userID), .text(post.message),
             .text(DemoRows.json(post.props)), .integer(now), .integer(now)])
        return try ephemeral(id: id, userID: userID)
    }

    private func ephemeral(id: String, userID: String) throws(PluginAppError) -> PluginPost {
        try one("SELECT id, channel_id, user_id, message, props, create_at, update_at FROM ephemeral_posts"
                    + " WHERE id = ? AND recipient_id = ?",
                [.text(id), .text(userID)], DemoRows.ephemeralPost, missing: DemoChecks.notFound("ephemeral_post", id))
    }

    public func updateEphemeralPost(userID: String, _ post: PluginPost) async throws(PluginAppError) -> PluginPost {
        note("UpdateEphemeralPost(\(userID), \(post.id))")
        try Self.check(post: post)
        try DemoChecks.id(post.id, "post.id")
        _ = try ephemeral(id: post.id, userID: userID)
        try workspace.run(
            "UPDATE ephemeral_posts SET message = ?, props = ?, update_at = ? WHERE id = ? AND recipient_id = ?",
            [.text(post.message), .text(DemoRows.json(post.props)), .integer(DemoWorkspace.now()), .text(post.id),
             .text(userID)])
        return try ephemeral(id: post.id, userID: userID)
    }

    public func deleteEphemeralPost(userID: String, postID: String) async throws(PluginAppError) {
        note("DeleteEphemeralPost(\(userID), \(postID))")
        try DemoChecks.id(postID, "post_id")
        _ = try ephemeral(id: postID, userID: userID)
        try workspace.run("DELETE FROM ephemeral_posts WHERE id = ? AND recipient_id = ?", [.text(postID), .text(userID)])
    }

    public func postThread(postID: String) async throws(PluginAppError) -> [PluginPost] {
        note("GetPostThread(\(postID))")
        let post = try postRow(id: postID)
        let root = post.rootID.isEmpty ? post.id : post.rootID
        return try all(
            "SELECT \(DemoRows.postColumns) FROM posts WHERE (id = ?1 OR root_id = ?1) AND delete_at = 0"
                + " ORDER BY create_at, id LIMIT 1000",
            [.text(root)], DemoRows.post)
    }

    public func posts(channelID: String, page: Int, perPage: Int) async throws(PluginAppError) -> [PluginPost] {
        note("GetPostsForChannel(\(channelID))")
        _ = try channelRow(id: channelID)
        let (limit, offset) = try DemoChecks.paging(page, perPage)
        return try all(
            "SELECT \(DemoRows.postColumns) FROM posts WHERE channel_id = ? AND delete_at = 0"
                + " ORDER BY create_at DESC, id DESC LIMIT ? OFFSET ?",
            [.text(channelID), .integer(limit), .integer(offset)], DemoRows.post)
    }

    public func posts(channelID: String, since: Int64) async throws(PluginAppError) -> [PluginPost] {
        note("GetPostsSince(\(channelID), \(since))")
        _ = try channelRow(id: channelID)
        return try all(
            "SELECT \(DemoRows.postColumns) FROM posts WHERE channel_id = ? AND update_at > ? AND delete_at = 0"
                + " ORDER BY create_at DESC, id DESC LIMIT 1000",
            [.text(channelID), .integer(since)], DemoRows.post)
    }

    /// Posts of the channel created before (`older`) or after the given post, newest first.
    private func posts(around postID: String, channelID: String, older: Bool, page: Int, perPage: Int)
        throws(PluginAppError) -> [PluginPost]
    {
        _ = try channelRow(id: channelID)
        let anchor = try postRow(id: postID)
        guard anchor.channelID == channelID else { throw DemoChecks.invalid("post_id", "not in that channel") }
        let (limit, offset) = try DemoChecks.paging(page, perPage)
        let comparison = older ? "(create_at < ?2 OR (create_at = ?2 AND id < ?3))" : "(create_at > ?2 OR (create_at = ?2 AND id > ?3))"
        // Pages walk away from the anchor post; each page is returned newest first.
        let rows = try all(
            "SELECT \(DemoRows.postColumns) FROM posts WHERE channel_id = ?1 AND delete_at = 0 AND \(comparison)"
                + " ORDER BY create_at \(older ? "DESC" : "ASC"), id \(older ? "DESC" : "ASC") LIMIT ?4 OFFSET ?5",
            [.text(channelID), .integer(anchor.createAt), .text(anchor.id), .integer(limit), .integer(offset)],
            DemoRows.post)
        return older ? rows : rows.reversed()
    }

    public func posts(channelID: String, before postID: String, page: Int, perPage: Int) async throws(PluginAppError)
        -> [PluginPost]
    {
        note("GetPostsBefore(\(channelID), \(postID))")
        return try posts(around: postID, channelID: channelID, older: true, page: page, perPage: perPage)
    }

    public func posts(channelID: String, after postID: String, page: Int, perPage: Int) async throws(PluginAppError)
        -> [PluginPost]
    {
        note("GetPostsAfter(\(channelID), \(postID))")
        return try posts(around: postID, channelID: channelID, older: false, page: page, perPage: perPage)
    }

    public func searchPosts(teamID: String, terms: String) async throws(PluginAppError) -> [PluginPost] {
        note("SearchPostsInTeam(\(teamID), \(terms))")
        _ = try teamRow(id: teamID)
        try DemoChecks.text(terms, "terms", maximum: 256)
        let words = terms.lowercased().split(whereSeparator: \.isWhitespace).prefix(8).map(String.init)
        guard !words.isEmpty else { throw DemoChecks.invalid("terms", "at least one word") }
        var sql = "SELECT \(DemoRows.qualified(DemoRows.postColumns, "p")) FROM posts p JOIN channels c ON c.id = p.channel_id"
            + " WHERE c.team_id = ? AND p.delete_at = 0"
        var parameters: [SQLiteDatabase.Value] = [.text(teamID)]
        for word in words {
            sql += " AND lower(p.message) LIKE ? ESCAPE '\\'"
            parameters.append(.text("%" + DemoChecks.prefixPattern(word)))
        }
        return try all(sql + " ORDER BY p.create_at DESC, p.id DESC LIMIT 100", parameters, DemoRows.post)
    }

    public func addReaction(_ reaction: PluginReaction) async throws(PluginAppError) -> PluginReaction {
        note("AddReaction(\(reaction.postID), \(reaction.emojiName))")
        _ = try postRow(id: reaction.postID)
        _ = try userRow(id: reaction.userID)
        // Emoji names are like usernames, plus '+' ("+1").
        try DemoChecks.name(reaction.emojiName.replacingOccurrences(of: "+", with: "-"), "emoji_name")
        try workspace.run(
            "INSERT OR IGNORE INTO reactions (user_id, post_id, emoji_name, create_at) VALUES (?, ?, ?, ?)",
            [.text(reaction.userID), .text(reaction.postID), .text(reaction.emojiName), .integer(DemoWorkspace.now())])
        return try one(
            "SELECT \(DemoRows.reactionColumns) FROM \(DemoRows.reactionsWithPosts)"
                + " WHERE r.user_id = ? AND r.post_id = ? AND r.emoji_name = ?",
            [.text(reaction.userID), .text(reaction.postID), .text(reaction.emojiName)], DemoRows.reaction,
            missing: DemoChecks.notFound("reaction", reaction.emojiName))
    }

    public func removeReaction(_ reaction: PluginReaction) async throws(PluginAppError) {
        note("RemoveReaction(\(reaction.postID), \(reaction.emojiName))")
        try DemoChecks.id(reaction.postID, "post_id")
        try DemoChecks.id(reaction.userID, "user_id")
        try DemoChecks.id(reaction.emojiName, "emoji_name")
        let removed = try workspace.database.withSession { session throws(PluginAppError) -> Int in
            try session.run("DELETE FROM reactions WHERE user_id = ? AND post_id = ? AND emoji_name = ?",
                            [.text(reaction.userID), .text(reaction.postID), .text(reaction.emojiName)])
            return session.changes
        }
        guard removed > 0 else { throw DemoChecks.notFound("reaction", reaction.emojiName) }
    }

    public func reactions(postID: String) async throws(PluginAppError) -> [PluginReaction] {
        note("GetReactions(\(postID))")
        _ = try postRow(id: postID)
        return try all(
            "SELECT \(DemoRows.reactionColumns) FROM \(DemoRows.reactionsWithPosts)"
                + " WHERE r.post_id = ? ORDER BY r.create_at, r.user_id, r.emoji_name",
            [.text(postID)], DemoRows.reaction)
    }
}
