import FlotillaCore
import Testing

@testable import FlotillaAPIServer

@Suite("Static token file")
struct StaticTokenFileTests {
    @Test func parsesUsersWithQuotedGroups() throws {
        let file = try StaticTokenFile(parsing: """
            t1,alice,uid-1,"dev,ops"
            t2,bob,uid-2

            t3, carol , uid-3,single
            """)
        #expect(file.users.count == 3)
        #expect(file.users["t1"] == AuthenticatedUser(name: "alice", uid: "uid-1", groups: ["dev", "ops", "system:authenticated"]))
        #expect(file.users["t2"] == AuthenticatedUser(name: "bob", uid: "uid-2", groups: ["system:authenticated"]))
        #expect(file.users["t3"]?.name == "carol")
        #expect(file.users["t3"]?.groups == ["single", "system:authenticated"])
    }

    @Test func crlfAndEscapedQuotes() throws {
        let file = try StaticTokenFile(parsing: "abc,\"the \"\"boss\"\"\",7\r\nxyz,eve,8\r\n")
        #expect(file.users["abc"]?.name == "the \"boss\"")
        #expect(file.users["xyz"]?.uid == "8")
    }

    @Test func emptyTokensAreSkippedAndDuplicatesKeepTheLastLine() throws {
        let file = try StaticTokenFile(parsing: ",nobody,0\nsame,first,1\nsame,second,2\n")
        #expect(file.users.count == 1)
        #expect(file.users["same"]?.name == "second")
    }

    @Test func tooFewColumnsIsAnErrorNamingTheLine() {
        #expect {
            try StaticTokenFile(parsing: "t1,alice,1\nt2,bob\n", source: "tokens.csv")
        } throws: { error in
            let e = error as? FlotillaError
            return e?.message.contains("tokens.csv line 2") == true && e?.message.contains("at least 3 columns") == true
        }
    }

    @Test func malformedQuotesAreErrors() {
        #expect(throws: FlotillaError.self) { try StaticTokenFile(parsing: "t1,alice,1,\"dev,ops\n") }
        #expect(throws: FlotillaError.self) { try StaticTokenFile(parsing: "t1,al\"ice,1\n") }
    }

    @Test func emptyFileHasNoUsers() throws {
        #expect(try StaticTokenFile(parsing: "").users.isEmpty)
        #expect(try StaticTokenFile(parsing: "\n\n").users.isEmpty)
    }

    @Test func missingFileIsAnError() {
        #expect(throws: FlotillaError.self) { try StaticTokenFile(path: "/nonexistent/flotilla/tokens.csv") }
    }
}

@Suite("Token authenticator")
struct TokenAuthenticatorTests {
    let authenticator = TokenAuthenticator(
        adminToken: "admintoken0123456789",
        tokenFile: try! StaticTokenFile(parsing: "s3cret,system:kube-scheduler,sched,\"system:schedulers\"\n"))

    @Test func adminAndFileTokens() async {
        #expect(await authenticator.authenticate(authorization: "Bearer admintoken0123456789") == .admin)
        #expect(await authenticator.authenticate(authorization: "bearer  admintoken0123456789 ")?.name == "admin")
        #expect(await authenticator.authenticate(authorization: "Bearer s3cret")?.name == "system:kube-scheduler")
    }

    @Test func badCredentials() async {
        #expect(await authenticator.authenticate(authorization: nil) == nil)
        #expect(await authenticator.authenticate(authorization: "") == nil)
        #expect(await authenticator.authenticate(authorization: "Bearer ") == nil)
        #expect(await authenticator.authenticate(authorization: "Bearer admintoken012345678") == nil)
        #expect(await authenticator.authenticate(authorization: "Bearer admintoken01234567890") == nil)
        #expect(await authenticator.authenticate(authorization: "Basic YWRtaW46YWRtaW4=") == nil)
        #expect(await authenticator.authenticate(authorization: "admintoken0123456789") == nil)
    }

    @Test func anonymousPaths() {
        for path in ["/healthz", "/livez", "/readyz", "/version", "/version/"] {
            #expect(TokenAuthenticator.allowsAnonymous(path))
        }
        for path in ["/", "/api", "/metrics", "/api/v1/namespaces", "/healthzz"] {
            #expect(!TokenAuthenticator.allowsAnonymous(path))
        }
    }

    @Test func constantTimeEquality() {
        #expect(TokenAuthenticator.constantTimeEqual(Array("abc".utf8), Array("abc".utf8)))
        #expect(!TokenAuthenticator.constantTimeEqual(Array("abc".utf8), Array("abd".utf8)))
        #expect(!TokenAuthenticator.constantTimeEqual(Array("abc".utf8), Array("abcd".utf8)))
        #expect(!TokenAuthenticator.constantTimeEqual([], Array("a".utf8)))
        #expect(TokenAuthenticator.constantTimeEqual([], []))
        // Lengths that differ by a multiple of 256 must not compare equal.
        #expect(!TokenAuthenticator.constantTimeEqual([UInt8](repeating: 1, count: 256), []))
    }
}
