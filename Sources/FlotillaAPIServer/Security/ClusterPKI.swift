import Crypto
import FlotillaAPI
import FlotillaCore
import Foundation
import NIOSSL
import SwiftASN1
import X509

/// The cluster's certificate authority and the API server's serving certificate, kept under
/// `<data-dir>/pki`.
///
/// The first start creates a CA (ECDSA P-256, 10 years) and a serving certificate signed by it
/// (1 year) whose SANs cover loopback, the host's addresses, the `kubernetes` service IP and the
/// `kubernetes.default…` names. Later starts reuse both; the serving certificate alone is made
/// again when it is near expiry, not signed by the CA, or misses a SAN the host now needs.
public struct ClusterPKI: Sendable {
    /// The CA certificate, PEM (what kubeconfigs carry as `certificate-authority-data`).
    public let caCertificatePEM: String
    /// The serving certificate, PEM.
    public let servingCertificatePEM: String
    /// The serving certificate's private key, PEM.
    public let servingKeyPEM: String
    /// The serving certificate's SANs.
    public let subjectAlternativeNames: [SubjectName]
    /// The client certificate the API server presents to node agents (CN `flotilla:apiserver`,
    /// client authentication only), PEM; agents accept it because the cluster CA signed it.
    public let agentClientCertificatePEM: String
    /// The agent client certificate's private key, PEM.
    public let agentClientKeyPEM: String

    /// A DNS name or IP address a certificate is valid for.
    public enum SubjectName: Sendable, Hashable, CustomStringConvertible {
        case dns(String)
        /// 4 or 16 bytes.
        case ip([UInt8])

        public var description: String {
            switch self {
            case .dns(let name): return "DNS:\(name)"
            case .ip(let bytes) where bytes.count == 4: return "IP:" + bytes.map(String.init).joined(separator: ".")
            case .ip(let bytes):
                var groups: [String] = []
                for i in stride(from: 0, to: bytes.count - 1, by: 2) {
                    groups.append(String(UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1]), radix: 16))
                }
                return "IP:" + groups.joined(separator: ":")
            }
        }
    }

    /// File names under the PKI directory.
    public enum FileName {
        public static let caCertificate = "ca.crt"
        public static let caKey = "ca.key"
        public static let servingCertificate = "apiserver.crt"
        public static let servingKey = "apiserver.key"
        public static let agentClientCertificate = "apiserver-agent-client.crt"
        public static let agentClientKey = "apiserver-agent-client.key"
    }

    /// The SANs a serving certificate on this host needs: loopback, the host's non-loopback
    /// addresses, the `kubernetes` service IP of `network` and its names, and the host name.
    public static func requiredNames(extraIPs: [[UInt8]] = [], network: ClusterNetwork = .standard) -> [SubjectName] {
        var names: [SubjectName] = [.ip([127, 0, 0, 1]), .ip([UInt8](repeating: 0, count: 15) + [1])]
        for address in HostIdentity.nonLoopbackAddresses() + extraIPs where !names.contains(.ip(address)) {
            names.append(.ip(address))
        }
        let serviceIP = SubjectName.ip(network.apiServerServiceAddress.octets)
        if !names.contains(serviceIP) { names.append(serviceIP) }
        for dns in [
            "localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc",
            "kubernetes.default.svc.\(network.domain)",
        ] where !names.contains(.dns(dns)) { names.append(.dns(dns)) }
        if let host = HostIdentity.hostname(), !names.contains(.dns(host)) { names.append(.dns(host)) }
        return names
    }

    /// Loads the PKI from `directory`, creating what is missing or unusable.
    ///
    /// - Parameters:
    ///   - names: the SANs the serving certificate must have; ``requiredNames(extraIPs:)`` by default.
    ///   - now: the current time (tests move it).
    public static func loadOrCreate(
        directory: String, names: [SubjectName] = ClusterPKI.requiredNames(), now: Date = Date()
    ) throws -> ClusterPKI {
        try SecureFile.makeDirectory(directory)
        let paths = (
            caCert: directory + "/" + FileName.caCertificate, caKey: directory + "/" + FileName.caKey,
            cert: directory + "/" + FileName.servingCertificate, key: directory + "/" + FileName.servingKey
        )

        let ca: (certificate: Certificate, key: P256.Signing.PrivateKey, pem: String)
        if let existing = try loadCA(certPath: paths.caCert, keyPath: paths.caKey, now: now) {
            ca = existing
        } else {
            let key = P256.Signing.PrivateKey()
            let certificate = try makeCA(key: key, now: now)
            let pem = try certificate.serializeAsPEM().pemString
            try SecureFile.write(Array(key.pemRepresentation.utf8), to: paths.caKey, mode: 0o600)
            try SecureFile.write(Array(pem.utf8), to: paths.caCert, mode: 0o644)
            ca = (certificate, key, pem)
            // A new CA invalidates any serving certificate left behind.
            unlink(paths.cert)
        }

        let serving: (pem: String, keyPEM: String, names: [SubjectName])
        if let existing = try loadServing(certPath: paths.cert, keyPath: paths.key, ca: ca.certificate, names: names, now: now) {
            serving = existing
        } else {
            let key = P256.Signing.PrivateKey()
            let certificate = try makeLeaf(
                key: key, commonName: "kube-apiserver", usage: .serverAuth, names: names, ca: ca.certificate, caKey: ca.key, now: now)
            serving = (try certificate.serializeAsPEM().pemString, key.pemRepresentation, names)
            try SecureFile.write(Array(serving.keyPEM.utf8), to: paths.key, mode: 0o600)
            try SecureFile.write(Array(serving.pem.utf8), to: paths.cert, mode: 0o644)
        }

        let client: (pem: String, keyPEM: String)
        let clientPaths = (cert: directory + "/" + FileName.agentClientCertificate, key: directory + "/" + FileName.agentClientKey)
        if let existing = try loadLeaf(certPath: clientPaths.cert, keyPath: clientPaths.key, ca: ca.certificate, now: now) {
            client = (existing.pem, existing.keyPEM)
        } else {
            let key = P256.Signing.PrivateKey()
            let certificate = try makeLeaf(
                key: key, commonName: agentClientName, usage: .clientAuth, names: [], ca: ca.certificate, caKey: ca.key, now: now)
            client = (try certificate.serializeAsPEM().pemString, key.pemRepresentation)
            try SecureFile.write(Array(client.keyPEM.utf8), to: clientPaths.key, mode: 0o600)
            try SecureFile.write(Array(client.pem.utf8), to: clientPaths.cert, mode: 0o644)
        }
        return ClusterPKI(
            caCertificatePEM: ca.pem, servingCertificatePEM: serving.pem, servingKeyPEM: serving.keyPEM,
            subjectAlternativeNames: serving.names, agentClientCertificatePEM: client.pem, agentClientKeyPEM: client.keyPEM)
    }

    /// The common name of the API server's client certificate for node agents.
    public static let agentClientName = "flotilla:apiserver"

    /// A TLS server configuration presenting the serving certificate, HTTP/1.1 over ALPN.
    public func tlsConfiguration() throws -> TLSConfiguration {
        let chain = try NIOSSLCertificate.fromPEMBytes(Array(servingCertificatePEM.utf8))
        let key = try NIOSSLPrivateKey(bytes: Array(servingKeyPEM.utf8), format: .pem)
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.applicationProtocols = ["http/1.1"]
        configuration.minimumTLSVersion = .tlsv12
        // Do not hold a shutdown for long waiting for a client's close_notify.
        configuration.shutdownTimeout = .seconds(1)
        return configuration
    }

    // MARK: - Loading

    private static func loadCA(certPath: String, keyPath: String, now: Date) throws
        -> (certificate: Certificate, key: P256.Signing.PrivateKey, pem: String)?
    {
        guard let certBytes = try SecureFile.read(certPath), let keyBytes = try SecureFile.read(keyPath) else { return nil }
        let pem = String(decoding: certBytes, as: UTF8.self)
        guard let certificate = try? Certificate(pemEncoded: pem),
            let key = try? P256.Signing.PrivateKey(pemRepresentation: String(decoding: keyBytes, as: UTF8.self))
        else {
            throw FlotillaError(.internalError, "the cluster CA in \(certPath) cannot be read; move it away to create a new one")
        }
        guard certificate.publicKey == Certificate.PublicKey(key.publicKey) else {
            throw FlotillaError(.internalError, "the cluster CA key \(keyPath) does not match \(certPath)")
        }
        guard certificate.notValidAfter > now else {
            throw FlotillaError(.internalError, "the cluster CA \(certPath) expired on \(certificate.notValidAfter)")
        }
        return (certificate, key, pem)
    }

    private static func loadServing(certPath: String, keyPath: String, ca: Certificate, names: [SubjectName], now: Date) throws
        -> (pem: String, keyPEM: String, names: [SubjectName])?
    {
        guard let leaf = try loadLeaf(certPath: certPath, keyPath: keyPath, ca: ca, now: now) else { return nil }
        let present = Set(Self.names(of: leaf.certificate))
        guard names.allSatisfy(present.contains) else { return nil }
        return (leaf.pem, leaf.keyPEM, Self.names(of: leaf.certificate))
    }

    /// A certificate and key that `ca` signed and that stay valid for 30 more days; nil when
    /// missing or unusable (it is then made again).
    private static func loadLeaf(certPath: String, keyPath: String, ca: Certificate, now: Date) throws
        -> (certificate: Certificate, pem: String, keyPEM: String)?
    {
        guard let certBytes = try SecureFile.read(certPath), let keyBytes = try SecureFile.read(keyPath) else { return nil }
        let pem = String(decoding: certBytes, as: UTF8.self)
        let keyPEM = String(decoding: keyBytes, as: UTF8.self)
        guard let certificate = try? Certificate(pemEncoded: pem),
            let key = try? P256.Signing.PrivateKey(pemRepresentation: keyPEM),
            certificate.publicKey == Certificate.PublicKey(key.publicKey),
            certificate.issuer == ca.subject,
            ca.publicKey.isValidSignature(certificate.signature, for: certificate),
            certificate.notValidAfter > now.addingTimeInterval(30 * 86400)
        else { return nil }
        return (certificate, pem, keyPEM)
    }

    /// The DNS and IP SANs of `certificate`.
    public static func names(of certificate: Certificate) -> [SubjectName] {
        guard let sans = try? certificate.extensions.subjectAlternativeNames else { return [] }
        return sans.compactMap { name in
            switch name {
            case .dnsName(let dns): return .dns(dns)
            case .ipAddress(let octets): return .ip(Array(octets.bytes))
            default: return nil
            }
        }
    }

    // MARK: - Issuing

    private static let caName = "flotilla-ca"
    private static let tenYears: TimeInterval = 10 * 365 * 86400
    private static let oneYear: TimeInterval = 365 * 86400

    private static func makeCA(key: P256.Signing.PrivateKey, now: Date) throws -> Certificate {
        let publicKey = Certificate.PublicKey(key.publicKey)
        let name = try DistinguishedName {
            OrganizationName("flotilla")
            CommonName(caName)
        }
        return try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: publicKey,
            notValidBefore: now.addingTimeInterval(-300), notValidAfter: now.addingTimeInterval(tenYears),
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(digitalSignature: true, keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: publicKey)
            },
            issuerPrivateKey: Certificate.PrivateKey(key))
    }

    /// A certificate for `commonName` signed by the CA, for one year (at most as long as the CA).
    private static func makeLeaf(
        key: P256.Signing.PrivateKey, commonName: String, usage: ExtendedKeyUsage.Usage, names: [SubjectName],
        ca: Certificate, caKey: P256.Signing.PrivateKey, now: Date
    ) throws -> Certificate {
        let publicKey = Certificate.PublicKey(key.publicKey)
        let subject = try DistinguishedName {
            OrganizationName("flotilla")
            CommonName(commonName)
        }
        let caKeyIdentifier = (try? ca.extensions.subjectKeyIdentifier)??.keyIdentifier
        let notAfter = min(now.addingTimeInterval(oneYear), ca.notValidAfter)
        return try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: publicKey,
            notValidBefore: now.addingTimeInterval(-300), notValidAfter: notAfter,
            issuer: ca.subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true, keyEncipherment: true))
                try ExtendedKeyUsage([usage])
                SubjectKeyIdentifier(hash: publicKey)
                AuthorityKeyIdentifier(keyIdentifier: caKeyIdentifier)
                if !names.isEmpty { SubjectAlternativeNames(names.map(\.generalName)) }
            },
            issuerPrivateKey: Certificate.PrivateKey(caKey))
    }
}

extension ClusterPKI.SubjectName {
    /// The name as an X.509 general name.
    var generalName: GeneralName {
        switch self {
        case .dns(let dns): return .dnsName(dns)
        case .ip(let bytes): return .ipAddress(ASN1OctetString(contentBytes: ArraySlice(bytes)))
        }
    }
}
