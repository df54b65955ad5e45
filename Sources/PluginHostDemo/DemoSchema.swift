/// The demo workspace's SQLite schema, as an ordered list of migrations: the database's
/// `PRAGMA user_version` says how many have run, and opening a workspace runs the rest in one
/// transaction. Add a migration at the end; never edit one that has shipped.
enum DemoSchema {
    static let migrations: [String] = [
        """
        CREATE TABLE users (
            id TEXT PRIMARY KEY, username TEXT NOT NULL UNIQUE, email TEXT NOT NULL UNIQUE,
            nickname TEXT NOT NULL DEFAULT '', first_name TEXT NOT NULL DEFAULT '', last_name TEXT NOT NULL DEFAULT '',
            roles TEXT NOT NULL DEFAULT '', locale TEXT NOT NULL DEFAULT '', create_at INTEGER NOT NULL,
            delete_at INTEGER NOT NULL DEFAULT 0, is_bot INTEGER NOT NULL DEFAULT 0, profile_image BLOB);
        CREATE TABLE user_status (
            user_id TEXT PRIMARY KEY, status TEXT NOT NULL, manual INTEGER NOT NULL, last_activity_at INTEGER NOT NULL);
        CREATE TABLE teams (
            id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, display_name TEXT NOT NULL, description TEXT NOT NULL,
            email TEXT NOT NULL, open_invite INTEGER NOT NULL, create_at INTEGER NOT NULL, delete_at INTEGER NOT NULL);
        CREATE TABLE team_members (
            team_id TEXT NOT NULL, user_id TEXT NOT NULL, roles TEXT NOT NULL, delete_at INTEGER NOT NULL,
            PRIMARY KEY (team_id, user_id));
        CREATE TABLE channels (
            id TEXT PRIMARY KEY, team_id TEXT NOT NULL, type INTEGER NOT NULL, name TEXT NOT NULL,
            display_name TEXT NOT NULL, header TEXT NOT NULL, purpose TEXT NOT NULL, creator_id TEXT NOT NULL,
            create_at INTEGER NOT NULL, delete_at INTEGER NOT NULL, UNIQUE (team_id, name));
        CREATE TABLE channel_members (
            channel_id TEXT NOT NULL, user_id TEXT NOT NULL, roles TEXT NOT NULL, last_viewed_at INTEGER NOT NULL,
            msg_count INTEGER NOT NULL, PRIMARY KEY (channel_id, user_id));
        CREATE TABLE posts (
            id TEXT PRIMARY KEY, create_at INTEGER NOT NULL, update_at INTEGER NOT NULL, edit_at INTEGER NOT NULL,
            delete_at INTEGER NOT NULL, user_id TEXT NOT NULL, channel_id TEXT NOT NULL, root_id TEXT NOT NULL,
            message TEXT NOT NULL, type TEXT NOT NULL, props TEXT NOT NULL);
        CREATE INDEX posts_by_channel ON posts (channel_id, create_at);
        CREATE TABLE ephemeral_posts (
            id TEXT PRIMARY KEY, recipient_id TEXT NOT NULL, channel_id TEXT NOT NULL, user_id TEXT NOT NULL,
            message TEXT NOT NULL, props TEXT NOT NULL, create_at INTEGER NOT NULL, update_at INTEGER NOT NULL);
        CREATE TABLE reactions (
            user_id TEXT NOT NULL, post_id TEXT NOT NULL, emoji_name TEXT NOT NULL, create_at INTEGER NOT NULL,
            PRIMARY KEY (post_id, user_id, emoji_name));
        CREATE TABLE files (
            id TEXT PRIMARY KEY, creator_id TEXT NOT NULL, channel_id TEXT NOT NULL, post_id TEXT NOT NULL,
            name TEXT NOT NULL, extension TEXT NOT NULL, size INTEGER NOT NULL, mime_type TEXT NOT NULL,
            create_at INTEGER NOT NULL);
        CREATE TABLE bots (
            user_id TEXT PRIMARY KEY, owner_id TEXT NOT NULL, display_name TEXT NOT NULL, description TEXT NOT NULL,
            create_at INTEGER NOT NULL, update_at INTEGER NOT NULL, delete_at INTEGER NOT NULL);
        CREATE TABLE commands (
            team_id TEXT NOT NULL, trigger TEXT NOT NULL, plugin_id TEXT NOT NULL, display_name TEXT NOT NULL,
            description TEXT NOT NULL, auto_complete_hint TEXT NOT NULL, auto_complete INTEGER NOT NULL,
            PRIMARY KEY (team_id, trigger));
        CREATE TABLE websocket_events (
            sequence INTEGER PRIMARY KEY AUTOINCREMENT, plugin_id TEXT NOT NULL, event TEXT NOT NULL,
            payload_json TEXT NOT NULL, user_id TEXT NOT NULL, channel_id TEXT NOT NULL, create_at INTEGER NOT NULL);
        CREATE TABLE preferences (
            user_id TEXT NOT NULL, category TEXT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL,
            PRIMARY KEY (user_id, category, name));
        CREATE TABLE plugin_configurations (plugin_id TEXT PRIMARY KEY, json TEXT NOT NULL);
        """
    ]

    /// Brings the database up to the last migration.
    static func migrate(_ session: SQLiteDatabase.Session) throws(SQLiteDatabase.Error) {
        let version = Int(try session.query("PRAGMA user_version").first?.first?.int ?? 0)
        guard version < migrations.count else { return }
        try session.query("BEGIN IMMEDIATE")
        do {
            for migration in migrations[version...] {
                for statement in migration.split(separator: ";") where !statement.allSatisfy(\.isWhitespace) {
                    try session.query(String(statement))
                }
            }
            try session.query("PRAGMA user_version = \(migrations.count)")
            try session.query("COMMIT")
        } catch {
            _ = try? session.query("ROLLBACK")
            throw error
        }
    }
}
