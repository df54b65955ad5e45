import PluginHost

extension DemoPluginAPI {
    func teamRow(id: String) throws(PluginAppError) -> PluginTeam {
        try DemoChecks.id(id, "team_id")
        return try one("SELECT \(DemoRows.teamColumns) FROM teams WHERE id = ?", [.text(id)], DemoRows.team,
                       missing: DemoChecks.notFound("team", id))
    }

    public func createTeam(_ team: PluginTeam) async throws(PluginAppError) -> PluginTeam {
        note("CreateTeam(\(team.name))")
        try DemoChecks.name(team.name, "name")
        try DemoChecks.text(team.displayName, "display_name", maximum: DemoChecks.maximumNameLength)
        try DemoChecks.text(team.description, "description")
        try DemoChecks.text(team.email, "email", maximum: 128)
        var fresh = team
        fresh.id = ""
        if fresh.displayName.isEmpty { fresh.displayName = team.name }
        return try workspace.transaction { session throws(PluginAppError) in
            try DemoRows.insert(team: fresh, now: DemoWorkspace.now(), session)
        }
    }

    public func team(id: String) async throws(PluginAppError) -> PluginTeam {
        note("GetTeam(\(id))")
        return try teamRow(id: id)
    }

    public func team(name: String) async throws(PluginAppError) -> PluginTeam {
        note("GetTeamByName(\(name))")
        try DemoChecks.id(name, "name")
        return try one("SELECT \(DemoRows.teamColumns) FROM teams WHERE name = ?", [.text(name)], DemoRows.team,
                       missing: DemoChecks.notFound("team", name))
    }

    public func teams() async throws(PluginAppError) -> [PluginTeam] {
        note("GetTeams")
        return try all("SELECT \(DemoRows.teamColumns) FROM teams WHERE delete_at = 0 ORDER BY name LIMIT 1000", [],
                       DemoRows.team)
    }

    public func teams(forUser userID: String) async throws(PluginAppError) -> [PluginTeam] {
        note("GetTeamsForUser(\(userID))")
        _ = try userRow(id: userID)
        return try all(
            "SELECT \(DemoRows.qualified(DemoRows.teamColumns, "t"))"
                + " FROM teams t JOIN team_members m ON m.team_id = t.id"
                + " WHERE m.user_id = ? AND m.delete_at = 0 AND t.delete_at = 0 ORDER BY t.name",
            [.text(userID)], DemoRows.team)
    }

    public func teamMember(teamID: String, userID: String) async throws(PluginAppError) -> PluginTeamMember {
        note("GetTeamMember(\(teamID), \(userID))")
        try DemoChecks.id(teamID, "team_id")
        try DemoChecks.id(userID, "user_id")
        return try one(
            "SELECT \(DemoRows.teamMemberColumns) FROM team_members WHERE team_id = ? AND user_id = ?",
            [.text(teamID), .text(userID)], DemoRows.teamMember, missing: DemoChecks.notFound("team_member", userID))
    }

    public func teamMembers(teamID: String, page: Int, perPage: Int) async throws(PluginAppError) -> [PluginTeamMember] {
        note("GetTeamMembers(\(teamID))")
        _ = try teamRow(id: teamID)
        let (limit, offset) = try DemoChecks.paging(page, perPage)
        return try all(
            "SELECT \(DemoRows.teamMemberColumns) FROM team_members WHERE team_id = ? AND delete_at = 0"
                + " ORDER BY user_id LIMIT ? OFFSET ?",
            [.text(teamID), .integer(limit), .integer(offset)], DemoRows.teamMember)
    }

    public func addTeamMember(teamID: String, userID: String) async throws(PluginAppError) -> PluginTeamMember {
        note("CreateTeamMember(\(teamID), \(userID))")
        _ = try teamRow(id: teamID)
        _ = try userRow(id: userID)
        try workspace.transaction { session throws(PluginAppError) in
            try DemoRows.join(team: teamID, user: userID, now: DemoWorkspace.now(), session)
        }
        return try await teamMember(teamID: teamID, userID: userID)
    }

    public func removeTeamMember(teamID: String, userID: String, requestorID: String) async throws(PluginAppError) {
        note("DeleteTeamMember(\(teamID), \(userID))")
        _ = try await teamMember(teamID: teamID, userID: userID)
        try workspace.transaction { session throws(PluginAppError) in
            try session.run("UPDATE team_members SET delete_at = ? WHERE team_id = ? AND user_id = ?",
                            [.integer(DemoWorkspace.now()), .text(teamID), .text(userID)])
            // Leaving a team leaves its channels, as on the server.
            try session.run(
                "DELETE FROM channel_members WHERE user_id = ? AND channel_id IN (SELECT id FROM channels WHERE team_id = ?)",
                [.text(userID), .text(teamID)])
        }
    }
}
