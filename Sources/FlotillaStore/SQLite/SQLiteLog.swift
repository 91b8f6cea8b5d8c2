import FlotillaCore

/// One row of the log table: one write. Its `id` is the revision of the write.
struct LogRow: Sendable {
    var id: Int64
    var name: String
    var createRevision: Int64
    /// The id of the key's previous row, 0 if none.
    var prevRevision: Int64
    var deleted: Bool
    /// The new value; for a deletion, the value that was deleted.
    var value: [UInt8]
}

/// The SQL of the revisioned log, in the manner of kine: every write appends one row
/// (`id` = revision); a key's value at revision R is its newest row with `id <= R` unless that
/// row is a deletion. A small `meta` table records the compacted revision.
///
/// Every function runs on the connection given, on that connection's own thread.
enum SQLiteLog {
    static let schema = """
        CREATE TABLE IF NOT EXISTS log (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            create_revision INTEGER NOT NULL,
            prev_revision INTEGER NOT NULL,
            deleted INTEGER NOT NULL,
            value BLOB NOT NULL
        );
        CREATE INDEX IF NOT EXISTS log_name_id ON log(name, id);
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
        """

    private static let compactKey = "compact_revision"

    // MARK: Transactions

    static func beginRead(_ db: SQLiteConnection) throws { try db.statement("BEGIN DEFERRED").run() }
    static func beginWrite(_ db: SQLiteConnection) throws { try db.statement("BEGIN IMMEDIATE").run() }
    static func commit(_ db: SQLiteConnection) throws { try db.statement("COMMIT").run() }
    static func rollback(_ db: SQLiteConnection) { try? db.execute("ROLLBACK") }

    // MARK: Revisions

    /// The newest revision: the highest row id, or the compacted revision if that is higher.
    /// Compaction never removes the newest row, so this survives restarts.
    static func currentRevision(_ db: SQLiteConnection) throws -> Int64 {
        let stmt = try db.statement("SELECT COALESCE(MAX(id), 0) FROM log")
        _ = try stmt.step()
        return max(stmt.int64(0), try compactRevision(db))
    }

    static func compactRevision(_ db: SQLiteConnection) throws -> Int64 {
        let stmt = try db.statement("SELECT value FROM meta WHERE key = ?1")
        stmt.bindText(1, compactKey)
        return try stmt.step() ? stmt.int64(0) : 0
    }

    // MARK: Reads

    /// The newest row of `name` (possibly a deletion), or nil if the key never existed.
    static func latest(_ db: SQLiteConnection, name: String) throws -> LogRow? {
        let stmt = try db.statement("""
            SELECT id, create_revision, prev_revision, deleted, value FROM log
            WHERE name = ?1 ORDER BY id DESC LIMIT 1
            """)
        stmt.bindText(1, name)
        guard try stmt.step() else { return nil }
        return LogRow(
            id: stmt.int64(0), name: name, createRevision: stmt.int64(1), prevRevision: stmt.int64(2),
            deleted: stmt.int64(3) != 0, value: stmt.blob(4))
    }

    /// The live keys of `range` at `revision`, in key order, past `after` (exclusive) when
    /// given, at most `limit` of them (0 = all).
    static func list(
        _ db: SQLiteConnection, range: KeyRange, after: String?, limit: Int, revision: Int64
    ) throws -> [KeyValue] {
        let lower = lowerBound(range: range, after: after)
        let stmt = try db.statement(listSQL(exclusiveLower: lower.exclusive, bounded: range.end != nil, count: false))
        stmt.bindText(1, lower.bytes)
        stmt.bind(2, revision)
        stmt.bind(3, limit > 0 ? Int64(limit) : -1)
        if let end = range.end { stmt.bindText(4, end) }
        var items: [KeyValue] = []
        while try stmt.step() {
            items.append(KeyValue(
                key: stmt.text(1), value: stmt.blob(3), createRevision: stmt.int64(2), modRevision: stmt.int64(0)))
        }
        return items
    }

    /// How many live keys of `range` at `revision` sort after `after`.
    static func count(_ db: SQLiteConnection, range: KeyRange, after: String, revision: Int64) throws -> Int64 {
        let lower = lowerBound(range: range, after: after)
        let stmt = try db.statement(listSQL(exclusiveLower: lower.exclusive, bounded: range.end != nil, count: true))
        stmt.bindText(1, lower.bytes)
        stmt.bind(2, revision)
        if let end = range.end { stmt.bindText(4, end) }
        _ = try stmt.step()
        return stmt.int64(0)
    }

    private static func lowerBound(range: KeyRange, after: String?) -> (bytes: [UInt8], exclusive: Bool) {
        if let after {
            let afterBytes = Array(after.utf8)
            if !afterBytes.lexicographicallyPrecedes(range.start) { return (afterBytes, true) }
        }
        return (range.start, false)
    }

    private static func listSQL(exclusiveLower: Bool, bounded: Bool, count: Bool) -> String {
        let columns = count ? "COUNT(*)" : "l.id, l.name, l.create_revision, l.value"
        return """
            SELECT \(columns) FROM log l
            WHERE l.name \(exclusiveLower ? ">" : ">=") ?1 \(bounded ? "AND l.name < ?4" : "")
              AND l.id <= ?2 AND l.deleted = 0
              AND l.id = (SELECT MAX(m.id) FROM log m WHERE m.name = l.name AND m.id <= ?2)
            \(count ? "" : "ORDER BY l.name LIMIT ?3")
            """
    }

    /// The writes to keys of `range` with revisions after `revision`, oldest first, at most
    /// `limit`, as watch events.
    static func history(_ db: SQLiteConnection, range: KeyRange, after revision: Int64, limit: Int) throws -> [WatchEvent] {
        let stmt = try db.statement("""
            SELECT l.id, l.name, l.create_revision, l.prev_revision, l.deleted, l.value, p.value
            FROM log l LEFT JOIN log p ON p.id = l.prev_revision AND l.deleted = 0 AND l.create_revision != l.id
            WHERE l.id > ?1 AND l.name >= ?2 \(range.end != nil ? "AND l.name < ?4" : "")
            ORDER BY l.id LIMIT ?3
            """)
        stmt.bind(1, revision)
        stmt.bindText(2, range.start)
        stmt.bind(3, Int64(limit))
        if let end = range.end { stmt.bindText(4, end) }
        var events: [WatchEvent] = []
        while try stmt.step() {
            let id = stmt.int64(0), name = stmt.text(1), created = stmt.int64(2), prev = stmt.int64(3)
            if stmt.int64(4) != 0 {
                let previous = KeyValue(key: name, value: stmt.blob(5), createRevision: created, modRevision: prev)
                events.append(.delete(previous: previous, revision: id))
            } else {
                let kv = KeyValue(key: name, value: stmt.blob(5), createRevision: created, modRevision: id)
                let previous = stmt.isNull(6)
                    ? nil : KeyValue(key: name, value: stmt.blob(6), createRevision: created, modRevision: prev)
                events.append(.put(kv: kv, previous: previous))
            }
        }
        return events
    }

    // MARK: Writes

    static func append(_ db: SQLiteConnection, _ row: LogRow) throws {
        let stmt = try db.statement("""
            INSERT INTO log (id, name, create_revision, prev_revision, deleted, value)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            """)
        stmt.bind(1, row.id)
        stmt.bindText(2, row.name)
        stmt.bind(3, row.createRevision)
        stmt.bind(4, row.prevRevision)
        stmt.bind(5, row.deleted ? 1 : 0)
        stmt.bindBlob(6, row.value)
        try stmt.run()
    }

    /// Removes, among rows older than `revision`, every deletion and every row that a newer row
    /// of the same key at or before `revision` supersedes; then records `revision` as compacted.
    /// Reads at `revision` or later see the same data as before.
    static func compact(_ db: SQLiteConnection, revision: Int64) throws {
        let delete = try db.statement("""
            DELETE FROM log WHERE id < ?1 AND (deleted = 1 OR EXISTS (
                SELECT 1 FROM log m WHERE m.name = log.name AND m.id > log.id AND m.id <= ?1))
            """)
        delete.bind(1, revision)
        try delete.run()
        let record = try db.statement("""
            INSERT INTO meta (key, value) VALUES (?1, ?2)
            ON CONFLICT(key) DO UPDATE SET value = excluded.value
            """)
        record.bindText(1, compactKey)
        record.bind(2, revision)
        try record.run()
    }
}
