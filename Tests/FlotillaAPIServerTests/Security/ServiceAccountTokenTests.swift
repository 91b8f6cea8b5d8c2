import Crypto
import FlotillaAPI
import FlotillaCore
import Foundation
import Testing

@testable import FlotillaAPIServer

@Suite("Service account token format")
struct ServiceAccountJWTTests {
    let key = P256.Signing.PrivateKey()
    let claims = ServiceAccountJWT(
        issuer: "https://kubernetes.default.svc.cluster.local", audiences: ["https://kubernetes.default.svc.cluster.local"],
        namespace: "team", serviceAccount: "robot", serviceAccountUID: "u-1", pod: .init(name: "web-0", uid: "p-1"),
        issuedAt: 1_800_000_000, notBefore: 1_800_000_000, expires: 1_800_003_600, id: "j-1")

    @Test func signedTokensReadBackWithTheirClaims() throws {
        let token = try claims.signed(with: key)
        let parts = token.split(separator: ".")
        #expect(parts.count == 3)
        let header = try JSONParser.parse(try #require(Base64URL.decode(parts[0])))
        #expect(header["alg"] == "ES256")
        #expect(header["kid"].string == ServiceAccountJWT.keyID(of: key.publicKey))
        let payload = try JSONParser.parse(try #require(Base64URL.decode(parts[1])))
        #expect(payload["sub"] == "system:serviceaccount:team:robot")
        #expect(payload["kubernetes.io"]["pod"] == ["name": "web-0", "uid": "p-1"])
        #expect(ServiceAccountJWT.verified(token, key: key.publicKey) == claims)
    }

    @Test func changedOrForeignTokensAreRefused() throws {
        let token = try claims.signed(with: key)
        #expect(ServiceAccountJWT.verified(token, key: P256.Signing.PrivateKey().publicKey) == nil)
        var forged = claims
        forged.serviceAccount = "admin"
        let parts = token.split(separator: ".")
        let forgedPayload = try #require(try forged.signed(with: P256.Signing.PrivateKey()).split(separator: ".").dropFirst().first)
        #expect(ServiceAccountJWT.verified("\(parts[0]).\(forgedPayload).\(parts[2])", key: key.publicKey) == nil)
        for malformed in ["", "a.b", "a.b.c", "\(parts[0]).\(parts[1])", "\(parts[0]).\(parts[1]).\(parts[2]).x", token + "="] {
            #expect(ServiceAccountJWT.verified(malformed, key: key.publicKey) == nil)
        }
    }

    @Test func base64URLHasNoPaddingAndTheURLAlphabet() {
        #expect(Base64URL.encode([0xfb, 0xff]) == "-_8")
        #expect(Base64URL.decode("-_8") == [0xfb, 0xff])
        #expect(Base64URL.decode("+/8=") == nil)
        #expect(Base64URL.decode("A") == nil)
    }
}

@Suite("Service account tokens")
struct ServiceAccountTokenTests {
    static let accounts = "/api/v1/namespaces/default/serviceaccounts"

    private func request(_ spec: JSON = [:]) -> JSON {
        ["apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest", "spec": spec]
    }

    private func issue(_ s: TestServer, _ account: String = "robot", _ spec: JSON = [:]) async throws -> String {
        let reply = await s.send("POST", "\(Self.accounts)/\(account)/token", body: request(spec))
        #expect(reply.status == 201, "\(reply.text)")
        return try #require(reply.json["status"]["token"].string)
    }

    @Test func aTokenAuthenticatesAsItsServiceAccountUntilTheAccountIsReplaced() async throws {
        try await TestServer.with { s in
            let created = await s.send("POST", Self.accounts, body: ["metadata": ["name": "robot"]])
            let reply = await s.send("POST", "\(Self.accounts)/robot/token", body: request(["expirationSeconds": 7200]))
            #expect(reply.status == 201)
            #expect(reply.json["spec"]["expirationSeconds"] == 7200)
            #expect(reply.json["spec"]["audiences"] == ["https://kubernetes.default.svc.cluster.local"])
            let expires = try #require(reply.json["status"]["expirationTimestamp"].string.flatMap(Timestamp.parse))
            #expect(abs(expires.timeIntervalSinceNow - 7200) < 10)
            let token = try #require(reply.json["status"]["token"].string)

            let user = try #require(await s.server.serviceAccountTokens.user(forToken: token))
            #expect(user.name == "system:serviceaccount:default:robot")
            #expect(user.uid == created.json["metadata"]["uid"].string)
            #expect(user.groups == ["system:serviceaccounts", "system:serviceaccounts:default", "system:authenticated"])
            #expect(await s.server.serviceAccountTokens.user(forToken: token, now: expires.addingTimeInterval(1)) == nil)
            #expect(await s.server.serviceAccountTokens.user(forToken: token, audiences: ["vault"]) == nil)

            _ = await s.send("DELETE", "\(Self.accounts)/robot")
            _ = await s.send("POST", Self.accounts, body: ["metadata": ["name": "robot"]])
            #expect(await s.server.serviceAccountTokens.user(forToken: token) == nil, "a token outlives neither its account nor a namesake")
        }
    }

    @Test func tokenReviewsSayWhoATokenIsForAndForWhichAudiences() async throws {
        try await TestServer.with { s in
            _ = await s.send("POST", Self.accounts, body: ["metadata": ["name": "robot"]])
            let token = try await issue(s, "robot", ["audiences": ["vault"]])
            func review(_ spec: JSON) async -> TestReply {
                await s.send(
                    "POST", "/apis/authentication.k8s.io/v1/tokenreviews",
                    body: ["apiVersion": "authentication.k8s.io/v1", "kind": "TokenReview", "spec": spec])
            }
            let forVault = await review(["token": .string(token), "audiences": ["vault"]])
            #expect(forVault.status == 201)
            #expect(forVault.json["status"]["authenticated"] == true)
            #expect(forVault.json["status"]["user"]["username"] == "system:serviceaccount:default:robot")
            #expect(forVault.json["status"]["audiences"] == ["vault"])
            let forTheAPI = await review(["token": .string(token)])
            #expect(forTheAPI.json["status"]["authenticated"] == false)
            let garbage = await review(["token": "not-a-token"])
            #expect(garbage.json["status"]["authenticated"] == false)
            #expect(garbage.json["status"]["error"] == "invalid bearer token")
            let empty = await review([:])
            #expect(empty.status == 400)
            #expect(empty.json["reason"] == "BadRequest")
        }
    }

    @Test func aTokenBoundToAPodLastsAsLongAsThePod() async throws {
        try await TestServer.with { s in
            _ = await s.send("POST", Self.accounts, body: ["metadata": ["name": "robot"]])
            let pod = await s.send("POST", Objects.pods, body: Objects.pod("web-0"))
            let uid = try #require(pod.json["metadata"]["uid"].string)
            let reply = await s.send(
                "POST", "\(Self.accounts)/robot/token", body: request(["boundObjectRef": ["kind": "Pod", "name": "web-0"]]))
            #expect(reply.status == 201)
            let bound: JSON = ["kind": "Pod", "apiVersion": "v1", "name": "web-0", "uid": .string(uid)]
            #expect(reply.json["spec"]["boundObjectRef"].isEquivalent(to: bound))
            let token = try #require(reply.json["status"]["token"].string)
            #expect(await s.server.serviceAccountTokens.user(forToken: token)?.name == "system:serviceaccount:default:robot")

            let stale = await s.send(
                "POST", "\(Self.accounts)/robot/token", body: request(["boundObjectRef": ["kind": "Pod", "name": "web-0", "uid": "other"]]))
            #expect(stale.status == 409)

            _ = await s.send("DELETE", Objects.pods + "/web-0", query: [("gracePeriodSeconds", "0")])
            #expect(await s.server.serviceAccountTokens.user(forToken: token) == nil)
        }
    }

    @Test func badTokenRequestsAreRefusedNamingTheField() async throws {
        try await TestServer.with { s in
            _ = await s.send("POST", Self.accounts, body: ["metadata": ["name": "robot"]])
            let cases: [(JSON, Int, String)] = [
                (["expirationSeconds": 60], 422, "spec.expirationSeconds"),
                (["expirationSeconds": "an hour"], 422, "spec.expirationSeconds"),
                (["expirationSeconds": 8_589_934_592], 422, "spec.expirationSeconds"),
                (["audiences": "api"], 422, "spec.audiences"),
                (["audiences": ["api", ""]], 422, "spec.audiences[1]"),
                (["boundObjectRef": ["kind": "ConfigMap", "name": "x"]], 422, "spec.boundObjectRef.kind"),
                (["boundObjectRef": ["kind": "Pod", "apiVersion": "v2", "name": "x"]], 422, "spec.boundObjectRef.apiVersion"),
                (["boundObjectRef": ["kind": "Pod"]], 422, "spec.boundObjectRef.name"),
            ]
            let before = try await s.revision()
            for (spec, status, field) in cases {
                let reply = await s.send("POST", "\(Self.accounts)/robot/token", body: request(spec))
                #expect(reply.status == status, "\(spec)")
                #expect(reply.json["details"]["causes"][0]["field"].string == field, "\(spec): \(reply.text)")
            }
            let missingPod = await s.send("POST", "\(Self.accounts)/robot/token", body: request(["boundObjectRef": ["kind": "Pod", "name": "ghost"]]))
            #expect(missingPod.status == 404)
            let missingAccount = await s.send("POST", "\(Self.accounts)/ghost/token", body: request())
            #expect(missingAccount.status == 404)
            let wrongKind = await s.send("POST", "\(Self.accounts)/robot/token", body: ["apiVersion": "v1", "kind": "Pod"])
            #expect(wrongKind.status == 400)
            let notJSON = await s.send("POST", "\(Self.accounts)/robot/token", raw: "{", contentType: "application/json")
            #expect(notJSON.status == 400)
            #expect(try await s.revision() == before)
        }
    }

    @Test func whoAmIGivesTheAuthenticatedGroups() async throws {
        try await TestServer.with { s in
            let review: JSON = ["apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"]
            var request = APIRequest(
                method: "POST", path: "/apis/authentication.k8s.io/v1/selfsubjectreviews", body: review.serialized(),
                user: "system:serviceaccount:default:robot")
            request.userUID = "u-1"
            request.groups = ["system:serviceaccounts", "system:authenticated"]
            let reply = await s.server.handle(request)
            guard case .bytes(let body) = reply.body else {
                Issue.record("expected a complete reply")
                return
            }
            let info = try JSONParser.parse(body)["status"]["userInfo"]
            let expected: JSON = ["username": "system:serviceaccount:default:robot", "uid": "u-1", "groups": ["system:serviceaccounts", "system:authenticated"]]
            #expect(info.isEquivalent(to: expected), "\(info)")
        }
    }
}
