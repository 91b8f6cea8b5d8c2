import Crypto
import FlotillaCore
import Foundation
import Testing
import X509
import Yams

@testable import FlotillaAPIServer

@Suite("Cluster PKI, admin token and kubeconfig")
struct ClusterPKITests {
    func temporaryDirectory() -> String {
        let path = NSTemporaryDirectory() + "flotilla-pki-" + UUID().uuidString
        return path
    }

    @Test func firstStartCreatesCAAndServingCertificate() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let pki = try ClusterPKI.loadOrCreate(directory: dir)

        let ca = try Certificate(pemEncoded: pki.caCertificatePEM)
        let serving = try Certificate(pemEncoded: pki.servingCertificatePEM)
        #expect(ca.issuer == ca.subject)
        #expect(try ca.extensions.basicConstraints == .isCertificateAuthority(maxPathLength: 0))
        #expect(ca.notValidAfter.timeIntervalSinceNow > 9 * 365 * 86400)
        #expect(serving.issuer == ca.subject)
        #expect(ca.publicKey.isValidSignature(serving.signature, for: serving))
        #expect(serving.notValidAfter.timeIntervalSinceNow > 300 * 86400)
        guard case .some = P256.Signing.PublicKey(ca.publicKey) else {
            Issue.record("the CA key is not ECDSA P-256")
            return
        }

        let names = Set(ClusterPKI.names(of: serving))
        for required in [
            ClusterPKI.SubjectName.ip([127, 0, 0, 1]), .ip([UInt8](repeating: 0, count: 15) + [1]), .ip([10, 96, 0, 1]),
            .dns("localhost"), .dns("kubernetes"), .dns("kubernetes.default"), .dns("kubernetes.default.svc"),
            .dns("kubernetes.default.svc.cluster.local"),
        ] {
            #expect(names.contains(required), "missing SAN \(required)")
        }
        if let host = HostIdentity.hostname() { #expect(names.contains(.dns(host))) }
        for address in HostIdentity.nonLoopbackAddresses() { #expect(names.contains(.ip(address))) }

        #expect(SecureFile.permissions(dir + "/ca.key") == 0o600)
        #expect(SecureFile.permissions(dir + "/apiserver.key") == 0o600)
        #expect(SecureFile.permissions(dir + "/ca.crt") == 0o644)
        _ = try pki.tlsConfiguration()
    }

    @Test func secondStartReusesEverything() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let first = try ClusterPKI.loadOrCreate(directory: dir)
        let second = try ClusterPKI.loadOrCreate(directory: dir)
        #expect(first.caCertificatePEM == second.caCertificatePEM)
        #expect(first.servingCertificatePEM == second.servingCertificatePEM)
        #expect(first.servingKeyPEM == second.servingKeyPEM)
        #expect(first.agentClientCertificatePEM == second.agentClientCertificatePEM)
        #expect(first.agentClientKeyPEM == second.agentClientKeyPEM)
    }

    @Test func theAgentClientCertificateIsForClientAuthenticationOnly() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let pki = try ClusterPKI.loadOrCreate(directory: dir)
        let ca = try Certificate(pemEncoded: pki.caCertificatePEM)
        let client = try Certificate(pemEncoded: pki.agentClientCertificatePEM)
        #expect(client.issuer == ca.subject)
        #expect(ca.publicKey.isValidSignature(client.signature, for: client))
        #expect(client.subject.description.contains("CN=\(ClusterPKI.agentClientName)"))
        let usage = try #require(try client.extensions.extendedKeyUsage)
        #expect(Array(usage) == [.clientAuth])
        #expect(SecureFile.permissions(dir + "/" + ClusterPKI.FileName.agentClientKey) == 0o600)
    }

    @Test func servingCertificateIsRenewedNearExpiryOrForANewAddress() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let first = try ClusterPKI.loadOrCreate(directory: dir)

        let withNewAddress = try ClusterPKI.loadOrCreate(directory: dir, names: ClusterPKI.requiredNames(extraIPs: [[203, 0, 113, 7]]))
        #expect(withNewAddress.caCertificatePEM == first.caCertificatePEM)
        #expect(withNewAddress.servingCertificatePEM != first.servingCertificatePEM)
        #expect(withNewAddress.subjectAlternativeNames.contains(.ip([203, 0, 113, 7])))

        let later = try ClusterPKI.loadOrCreate(
            directory: dir, names: ClusterPKI.requiredNames(extraIPs: [[203, 0, 113, 7]]), now: Date().addingTimeInterval(340 * 86400))
        #expect(later.caCertificatePEM == first.caCertificatePEM)
        #expect(later.servingCertificatePEM != withNewAddress.servingCertificatePEM)
    }

    @Test func unreadableCAIsAnErrorNotAReplacement() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try ClusterPKI.loadOrCreate(directory: dir)
        try SecureFile.write(Array("not a certificate".utf8), to: dir + "/ca.crt")
        #expect(throws: FlotillaError.self) { try ClusterPKI.loadOrCreate(directory: dir) }
        #expect(String(decoding: try #require(try SecureFile.read(dir + "/ca.crt")), as: UTF8.self) == "not a certificate")
    }

    @Test func adminTokenIsCreatedOnceWithMode0600() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let token = try AdminCredentials.loadOrCreateToken(dataDirectory: dir)
        #expect(token.count == 64)
        #expect(token.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        #expect(SecureFile.permissions(dir + "/admin.token") == 0o600)
        #expect(try AdminCredentials.loadOrCreateToken(dataDirectory: dir) == token)

        try SecureFile.write(Array("short\n".utf8), to: dir + "/admin.token")
        #expect(throws: FlotillaError.self) { try AdminCredentials.loadOrCreateToken(dataDirectory: dir) }
    }

    @Test func kubeconfigParsesAndNamesTheCA() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let pki = try ClusterPKI.loadOrCreate(directory: dir + "/pki")
        let token = try AdminCredentials.loadOrCreateToken(dataDirectory: dir)
        let path = try AdminCredentials.writeKubeconfig(
            dataDirectory: dir,
            kubeconfig: Kubeconfig(server: Kubeconfig.serverURL(host: "0.0.0.0", port: 6443), caCertificatePEM: pki.caCertificatePEM, token: token))
        #expect(SecureFile.permissions(path) == 0o600)

        let text = String(decoding: try #require(try SecureFile.read(path)), as: UTF8.self)
        let config = try #require(try Yams.load(yaml: text) as? [String: Any])
        #expect(config["current-context"] as? String == "flotilla")
        let cluster = try #require((config["clusters"] as? [[String: Any]])?.first)
        #expect(cluster["name"] as? String == "flotilla")
        let clusterBody = try #require(cluster["cluster"] as? [String: Any])
        #expect(clusterBody["server"] as? String == "https://127.0.0.1:6443")
        let caData = try #require(clusterBody["certificate-authority-data"] as? String)
        let decoded = String(decoding: try #require(Data(base64Encoded: caData)), as: UTF8.self)
        #expect(decoded == pki.caCertificatePEM)
        let user = try #require((config["users"] as? [[String: Any]])?.first)
        #expect(user["name"] as? String == "flotilla")
        #expect((user["user"] as? [String: Any])?["token"] as? String == token)
        let context = try #require((config["contexts"] as? [[String: Any]])?.first)
        #expect(context["name"] as? String == "flotilla")
        #expect((context["context"] as? [String: Any])?["cluster"] as? String == "flotilla")
        #expect((context["context"] as? [String: Any])?["user"] as? String == "flotilla")
    }

    @Test func serverURLs() {
        #expect(Kubeconfig.serverURL(host: "0.0.0.0", port: 1) == "https://127.0.0.1:1")
        #expect(Kubeconfig.serverURL(host: "127.0.0.1", port: 6443) == "https://127.0.0.1:6443")
        #expect(Kubeconfig.serverURL(host: "::1", port: 6443) == "https://[::1]:6443")
        #expect(Kubeconfig.serverURL(host: "::", port: 6443) == "https://[::1]:6443")
        #expect(Kubeconfig.serverURL(host: "10.0.0.5", port: 443) == "https://10.0.0.5:443")
    }

    @Test func addressParsing() {
        #expect(HostIdentity.addressBytes("10.96.0.1") == [10, 96, 0, 1])
        #expect(HostIdentity.addressBytes("::1") == [UInt8](repeating: 0, count: 15) + [1])
        #expect(HostIdentity.addressBytes("localhost") == nil)
        #expect(HostIdentity.addressBytes("300.1.1.1") == nil)
    }
}
