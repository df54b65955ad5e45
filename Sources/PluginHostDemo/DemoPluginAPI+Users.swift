import PluginHost

extension DemoPluginAPI {
    /// The first row of `sql` mapped by `map`, or `missing`.
    func one<T>(
        _ sql: String, _ parameters: [SQLiteDatabase.Value], _ map: (DemoRows.Row) -> T, missing: PluginAppError
    ) throws(PluginAppError) -> T {
        guard let row = try workspace.run(sql, parameters).first else { throw missing }
        return map(row)
    }

    func all<T>(_ sql: String, _ parameters: [SQLiteDatabase.Value], _ map: (DemoRows.Row) -> T) throws(PluginAppError) -> [T] {
        try workspace.run(sql, parameters).map(map)
    }

    func userRow(id: String) throws(PluginAppError) -> PluginUser {
        try DemoChecks.id(id, "user_id")
        return try one("SELECT \(DemoRows.userColumns) FROM users WHERE id = ?", [.text(id)], DemoRows.user,
                       missing: DemoChecks.notFound("user", id))
    }

    public func user(id: String) async throws(PluginAppError) -> PluginUser {
        note("GetUser(\(id))")
        return try userRow(id: id)
    }

    public func user(username: String) async throws(PluginAppError) -> PluginUser {
        note("GetUserByUsername(\(username))")
        try DemoChecks.id(username, "username")
        return try one("SELECT \(DemoRows.userColumns) FROM users WHERE username = ?", [.text(username)], DemoRows.user,
                       missing: DemoChecks.notFound("user", username))
    }

    public func user(email: String) async throws(PluginAppError) -> PluginUser {
        note("GetUserByEmail")
        try DemoChecks.text(email, "email", maximum: 128)
        return try one("SELECT \(DemoRows.userColumns) FROM users WHERE email = ? COLLATE NOCASE", [.text(email)],
                       DemoRows.user, missing: DemoChecks.notFound("user", email))
    }

    public func users(page: Int, perPage: Int, inTeam: String, includeDeleted: Bool) async throws(PluginAppError)
        -> [PluginUser]
    {
        note("GetUsers(page \(page))")
        let (limit, offset) = try DemoChecks.paging(page, perPage)
        try DemoChecks.text(inTeam, "in_team", maximum: DemoChecks.maximumNameLength)
        return try all(
            "SELECT \(DemoRows.userColumns) FROM users u WHERE (? = 1 OR delete_at = 0)"
                + " AND (? = '' OR EXISTS (SELECT 1 FROM team_members m WHERE m.team_id = ? AND m.user_id = u.id"
                + " AND m.delete_at = 0)) ORDER BY username LIMIT ? OFFSET ?",
            [.integer(includeDeleted ? 1 : 0), .text(inTeam), .text(inTeam), .integer(limit), .integer(offset)],
            DemoRows.user)
    }

    public func users(ids: [String]) async throws(PluginAppError) -> [PluginUser] {
        note("GetUsersByIds(\(ids.count))")
        try DemoChecks.ids(ids, "user_ids")
        var found: [PluginUser] = []
        for id in ids {
            if let row = try workspace.run("SELECT \(DemoRows.userColumns) FROM users WHERE id = ?", [.text(id)]).first {
                found.append(DemoRows.user(row))
            }
        }
        return found
    }

    public func searchUsers(term: String, teamID: String, limit: Int, allowInactive: Bool) async throws(PluginAppError)
        -> [PluginUser]
    {
        note("SearchUsers(\(term))")
        try DemoChecks.text(term, "term", maximum: DemoChecks.maximumNameLength)
        try DemoChecks.text(teamID, "team_id", maximum: DemoChecks.maximumNameLength)
        let limit = limit == 0 ? 100 : limit
        guard (1...DemoChecks.maximumPageSize).contains(limit) else {
            throw DemoChecks.invalid("limit", "1...\(DemoChecks.maximumPageSize)")
        }
        let pattern = DemoChecks.prefixPattern(term.lowercased())
        return try all(
            "SELECT \(DemoRows.userColumns) FROM users u WHERE (?2 = 1 OR delete_at = 0)"
                + " AND (lower(username) LIKE ?1 ESCAPE '\\' OR lower(first_name) LIKE ?1 ESCAPE '\\'"
                + " OR lower(last_name) LIKE ?1 ESCAPE '\\' OR lower(nickname) LIKE ?1 ESCAPE '\\'"
                + " OR lower(email) LIKE ?1 ESCAPE '\\')"
                + " AND (?3 = '' OR EXISTS (SELECT 1 FROM team_members m WHERE m.team_id = ?3 AND m.user_id = u.id"
                + " AND m.delete_at = 0)) ORDER BY username LIMIT ?4",
            [.text(pattern), .integer(allowInactive ? 1 : 0), .text(teamID), .integer(Int64(limit))],
            DemoRows.user)
    }

    static func check(user: PluginUser) throws(PluginAppError) {
        try DemoChecks.name(user.username, "username")
        try DemoChecks.email(user.email)
        for (value, field) in [(user.nickname, "nickname"), (user.firstName, "first_name"), (user.lastName, "last_name"),
                               (user.locale, "locale"), (user.roles, "roles")] {
            try DemoChecks.text(value, field, maximum: DemoChecks.maximumNameLength)
        }
    }

    public func createUser(_ user: PluginUser) async throws(PluginAppError) -> PluginUser {
        note("CreateUser(\(user.username))")
        try Self.check(user: user)
        var fresh = user
        fresh.id = ""
        fresh.isBot = false
        return try workspace.transaction { session throws(PluginAppError) in
            try DemoRows.insert(user: fresh, now: DemoWorkspace.now(), session)
        }
    }

    public func updateUser(_ user: PluginUser) async throws(PluginAppError) -> PluginUser {
        note("UpdateUser(\(user.id))")
        try Self.check(user: user)
        _ = try userRow(id: user.id)
        try workspace.run(
            "UPDATE users SET username = ?, email = ?, nickname = ?, first_name = ?, last_name = ?, roles = ?,"
                + " locale = ? WHERE id = ?",
            [.text(user.username), .text(user.email), .text(user.nickname), .text(user.firstName), .text(user.lastName),
             .text(user.roles.isEmpty ? "system_user" : user.roles), .text(user.locale), .text(user.id)])
        return try userRow(id: user.id)
    }

    public func deactivateUser(id: String) async throws(PluginAppError) {
        note("DeleteUser(\(id))")
        _ = try userRow(id: id)
        try workspace.run("UPDATE users SET delete_at = ? WHERE id = ? AND delete_at = 0",
                          [.integer(DemoWorkspace.now()), .text(id)])
    }

    public func userStatus(userID: String) async throws(PluginAppError) -> PluginUserStatus {
        note("GetUserStatus(\(userID))")
        _ = try userRow(id: userID)
        let row = try workspace.run(
            "SELECT user_id, status, manual, last_activity_at FROM user_status WHERE user_id = ?", [.text(userID)]).first
        var status = PluginUserStatus()
        status.userID = userID
        status.status = row?[1].string ?? "offline"
        status.manual = (row?[2].int ?? 0) != 0
        status.lastActivityAt = row?[3].int ?? 0
        return status
    }

    public func updateUserStatus(userID: String, status: String) async throws(PluginAppError) -> PluginUserStatus {
        note("UpdateUserStatus(\(userID), \(status))")
        _ = try userRow(id: userID)
        guard ["online", "away", "dnd", "offline"].contains(status) else {
            throw DemoChecks.invalid("status", "one of online, away, dnd, offline")
        }
        try workspace.run(
            "INSERT OR REPLACE INTO user_status (user_id, status, manual, last_activity_at) VALUES (?, ?, 1, ?)",
            [.text(userID), .text(status), .integer(DemoWorkspace.now())])
        return try await userStatus(userID: userID)
    }

    public func profileImage(userID: String) async throws(PluginAppError) -> [UInt8] {
        note("GetProfileImage(\(userID))")
        _ = try userRow(id: userID)
        let row = try workspace.run("SELECT profile_image FROM users WHERE id = ?", [.text(userID)]).first
        guard let row, case .blob(let image) = row[0] else { throw DemoChecks.notFound("profile_image", userID) }
        return image
    }

    public func setProfileImage(userID: String, image: [UInt8]) async throws(PluginAppError) {
        note("SetProfileImage(\(userID), \(image.count) bytes)")
        _ = try userRow(id: userID)
        guard !image.isEmpty, image.count <= DemoChecks.maximumProfileImageSize else {
            throw DemoChecks.invalid("image", "1 byte to \(DemoChecks.maximumProfileImageSize) bytes")
        }
        try workspace.run("UPDATE users SET profile_image = ? WHERE id = ?", [.blob(image), .text(userID)])
    }
}
