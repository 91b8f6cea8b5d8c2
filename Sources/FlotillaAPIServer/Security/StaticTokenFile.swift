import FlotillaCore

/// A static token file as Kubernetes' `--token-auth-file` reads it: CSV lines of
/// `token,user,uid` with an optional fourth column of comma-separated groups
/// (`token,user,uid,"group1,group2"`).
///
/// Blank lines are skipped; a line with fewer than three columns is an error; an empty token is
/// skipped; a repeated token keeps its last line.
public struct StaticTokenFile: Sendable {
    /// The users by token.
    public let users: [String: AuthenticatedUser]

    /// Parses the text of a token file; `source` names it in errors.
    public init(parsing text: String, source: String = "token file") throws {
        var users: [String: AuthenticatedUser] = [:]
        for (line, fields) in try Self.records(text, source: source) {
            guard fields.count >= 3 else {
                throw FlotillaError(.badRequest, "\(source) line \(line): must have at least 3 columns (token, user name, user uid), found \(fields.count)")
            }
            let token = fields[0].trimmingSpaces()
            guard !token.isEmpty else { continue }
            var groups: [String] = []
            if fields.count >= 4 {
                groups = fields[3].split(separator: ",", omittingEmptySubsequences: true).map { $0.trimmingSpaces() }.filter { !$0.isEmpty }
            }
            if !groups.contains("system:authenticated") { groups.append("system:authenticated") }
            users[token] = AuthenticatedUser(name: fields[1].trimmingSpaces(), uid: fields[2].trimmingSpaces(), groups: groups)
        }
        self.users = users
    }

    /// Reads and parses the token file at `path`.
    public init(path: String) throws {
        guard let bytes = try SecureFile.read(path) else {
            throw FlotillaError(.notFound, "token file \(path) does not exist")
        }
        try self.init(parsing: String(decoding: bytes, as: UTF8.self), source: path)
    }

    /// The CSV records of `text` with their first line numbers: fields split on commas outside
    /// double quotes, `""` inside quotes is one quote, leading spaces of a field ignored.
    static func records(_ text: String, source: String) throws -> [(line: Int, fields: [String])] {
        var records: [(Int, [String])] = []
        var fields: [String] = []
        var field = ""
        var quoted = false
        var fieldStarted = false
        var line = 1
        var recordLine = 1
        var chars = Array(text.unicodeScalars)[...]
        func endRecord() {
            fields.append(field)
            if !(fields.count == 1 && fields[0].trimmingSpaces().isEmpty && !fieldStarted) {
                records.append((recordLine, fields))
            }
            fields = []
            field = ""
            fieldStarted = false
        }
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" {
                        chars.removeFirst()
                        field.unicodeScalars.append("\"")
                    } else {
                        quoted = false
                    }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"":
                guard field.trimmingSpaces().isEmpty else {
                    throw FlotillaError(.badRequest, "\(source) line \(line): bare \" in non-quoted field")
                }
                field = ""
                quoted = true
                fieldStarted = true
            case ",":
                fields.append(field)
                field = ""
                fieldStarted = true
            case "\r" where chars.first == "\n":
                continue
            case "\n":
                endRecord()
                line += 1
                recordLine = line
            default:
                field.unicodeScalars.append(c)
            }
        }
        if quoted { throw FlotillaError(.badRequest, "\(source) line \(recordLine): unterminated quoted field") }
        if !field.isEmpty || !fields.isEmpty || fieldStarted { endRecord() }
        return records
    }
}
