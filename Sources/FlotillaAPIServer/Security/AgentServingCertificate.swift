import Crypto
import FlotillaCore
import Foundation
import NIOSSL
import SwiftASN1
import X509

/// The certificate a node agent serves its endpoints (logs, exec, attach, port-forward, stats)
/// with: self-signed, kept under the agent's data dir, and published in the agent's Node
/// (annotation `NodeAnnotations.agentCertificate`) so that the API server trusts exactly this certificate for that
/// node. The agent in turn accepts only clients whose certificate the cluster CA signed for
/// client authentication: the API server's (``ClusterPKI/agentClientCertificatePEM``).
public struct AgentServingCertificate: Sendable {
    public let certificatePEM: String
    public let keyPEM: String

    static let certificateFile = "agent.crt"
    static let keyFile = "agent.key"

    /// Loads the certificate from `directory`, or makes one for `nodeName` when it is missing,
    /// unreadable or expires within 30 days.
    public static func loadOrCreate(directory: String, nodeName: String, now: Date = Date()) throws -> AgentServingCertificate {
        try SecureFile.makeDirectory(directory)
        let certPath = directory + "/" + certificateFile
        let keyPath = directory + "/" + keyFile
        if let certBytes = try SecureFile.read(certPath), let keyBytes = try SecureFile.read(keyPath) {
            let pem = String(decoding: certBytes, as: UTF8.self)
            let keyPEM = String(decoding: keyBytes, as: UTF8.self)
            if let certificate = try? Certificate(pemEncoded: pem), let key = try? P256.Signing.PrivateKey(pemRepresentation: keyPEM),
                certificate.publicKey == Certificate.PublicKey(key.publicKey),
                certificate.notValidAfter > now.addingTimeInterval(30 * 86400)
            {
                return AgentServingCertificate(certificatePEM: pem, keyPEM: keyPEM)
            }
        }
        let key = P256.Signing.PrivateKey()
        let publicKey = Certificate.PublicKey(key.publicKey)
        let name = try DistinguishedName {
            OrganizationName("flotilla")
            CommonName("agent:" + nodeName)
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: publicKey,
            notValidBefore: now.addingTimeInterval(-300), notValidAfter: now.addingTimeInterval(365 * 86400),
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                // Its own issuer: the API server trusts it as the one root for this node.
                Critical(KeyUsage(digitalSignature: true, keyCertSign: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectKeyIdentifier(hash: publicKey)
                SubjectAlternativeNames([.dnsName(nodeName)])
            },
            issuerPrivateKey: Certificate.PrivateKey(key))
        let pem = try certificate.serializeAsPEM().pemString
        try SecureFile.write(Array(key.pemRepresentation.utf8), to: keyPath, mode: 0o600)
        try SecureFile.write(Array(pem.utf8), to: certPath, mode: 0o644)
        return AgentServingCertificate(certificatePEM: pem, keyPEM: key.pemRepresentation)
    }

    /// A TLS server configuration presenting this certificate and requiring a client certificate
    /// signed by `clusterCAPEM`.
    public func tlsConfiguration(clusterCAPEM: [UInt8]) throws -> TLSConfiguration {
        let chain = try NIOSSLCertificate.fromPEMBytes(Array(certificatePEM.utf8))
        let key = try NIOSSLPrivateKey(bytes: Array(keyPEM.utf8), format: .pem)
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(clusterCAPEM))
        configuration.certificateVerification = .noHostnameVerification
        configuration.applicationProtocols = ["http/1.1"]
        configuration.minimumTLSVersion = .tlsv12
        configuration.shutdownTimeout = .seconds(1)
        return configuration
    }

    /// A TLS client configuration for reaching the agent that serves `agentCertificatePEM`:
    /// that certificate is the only trusted root (names are not checked: agents are reached by
    /// address), and the client presents the API server's agent client certificate.
    public static func clientConfiguration(agentCertificatePEM: String, clientCertificatePEM: String, clientKeyPEM: String) throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(agentCertificatePEM.utf8)))
        configuration.certificateVerification = .noHostnameVerification
        configuration.certificateChain = try NIOSSLCertificate.fromPEMBytes(Array(clientCertificatePEM.utf8)).map { .certificate($0) }
        configuration.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(clientKeyPEM.utf8), format: .pem))
        configuration.minimumTLSVersion = .tlsv12
        // Do not hold a closing connection for long waiting for the agent's close_notify.
        configuration.shutdownTimeout = .seconds(1)
        return configuration
    }
}
