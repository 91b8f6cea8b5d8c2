import FlotillaCore
import Foundation
import Testing
import X509

@testable import FlotillaAPIServer

@Suite("The agent's self-signed serving certificate")
struct AgentServingCertificateTests {
    let directory = NSTemporaryDirectory() + "flotilla-agent-pki-" + UUID().uuidString

    @Test func isMadeOnceAndReused() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try AgentServingCertificate.loadOrCreate(directory: directory, nodeName: "worker-1")
        let second = try AgentServingCertificate.loadOrCreate(directory: directory, nodeName: "worker-1")
        #expect(first.certificatePEM == second.certificatePEM)
        #expect(first.keyPEM == second.keyPEM)
        let certificate = try Certificate(pemEncoded: first.certificatePEM)
        #expect(certificate.issuer == certificate.subject)
        #expect(certificate.publicKey.isValidSignature(certificate.signature, for: certificate))
        #expect(Array(try #require(try certificate.extensions.extendedKeyUsage)) == [.serverAuth])
        #expect(SecureFile.permissions(directory + "/agent.key") == 0o600)
    }

    @Test func isMadeAgainNearExpiry() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try AgentServingCertificate.loadOrCreate(directory: directory, nodeName: "worker-1")
        let later = try AgentServingCertificate.loadOrCreate(directory: directory, nodeName: "worker-1", now: Date().addingTimeInterval(340 * 86400))
        #expect(first.certificatePEM != later.certificatePEM)
    }

    @Test func configuresMutualTLS() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let pki = try ClusterPKI.loadOrCreate(directory: directory + "/cluster")
        let agent = try AgentServingCertificate.loadOrCreate(directory: directory, nodeName: "worker-1")
        let server = try agent.tlsConfiguration(clusterCAPEM: Array(pki.caCertificatePEM.utf8))
        #expect(server.certificateVerification == .noHostnameVerification)
        let client = try AgentServingCertificate.clientConfiguration(
            agentCertificatePEM: agent.certificatePEM, clientCertificatePEM: pki.agentClientCertificatePEM, clientKeyPEM: pki.agentClientKeyPEM)
        #expect(client.certificateChain.count == 1)
        #expect(throws: (any Error).self) {
            try AgentServingCertificate.clientConfiguration(
                agentCertificatePEM: "not a certificate", clientCertificatePEM: pki.agentClientCertificatePEM, clientKeyPEM: pki.agentClientKeyPEM)
        }
    }
}
