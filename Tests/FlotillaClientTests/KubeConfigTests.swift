import FlotillaClient
import FlotillaCore
import Foundation
import Testing

@Suite struct KubeConfigTests {
    static let pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"

    static let admin = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: other
          cluster:
            server: https://10.0.0.1:6443
        - name: flotilla
          cluster:
            server: https://127.0.0.1:6443
            certificate-authority-data: \(Data(pem.utf8).base64EncodedString())
        contexts:
        - name: flotilla
          context:
            cluster: flotilla
            user: admin
            namespace: team-a
        - name: insecure
          context:
            cluster: other
            user: nobody
        current-context: flotilla
        users:
        - name: admin
          user:
            token: s3cr3t
        - name: nobody
          user: {}
        """

    @Test func readsTheCurrentContext() throws {
        let config = try KubeConfig.parse(Self.admin)
        #expect(config.server == "https://127.0.0.1:6443")
        #expect(config.certificateAuthorityPEM == Array(Self.pem.utf8))
        #expect(config.token == "s3cr3t")
        #expect(config.namespace == "team-a")
        #expect(config.contextName == "flotilla")
        #expect(!config.insecureSkipTLSVerify)
    }

    @Test func anotherContextCanBeChosen() throws {
        let config = try KubeConfig.parse(Self.admin, context: "insecure")
        #expect(config.server == "https://10.0.0.1:6443")
        #expect(config.token == nil)
        #expect(config.certificateAuthorityPEM == nil)
    }

    @Test func filesAreResolvedFromTheKubeconfigFolder() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kubeconfig-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.pem.write(toFile: dir + "/ca.crt", atomically: true, encoding: .utf8)
        try "tok-from-file\n".write(toFile: dir + "/token", atomically: true, encoding: .utf8)
        let yaml = """
            clusters:
            - name: c
              cluster: {server: "https://127.0.0.1:1", certificate-authority: ca.crt, insecure-skip-tls-verify: true}
            contexts:
            - name: x
              context: {cluster: c, user: u}
            users:
            - name: u
              user: {tokenFile: token}
            current-context: x
            """
        try yaml.write(toFile: dir + "/config", atomically: true, encoding: .utf8)
        let config = try KubeConfig.load(path: dir + "/config")
        #expect(config.certificateAuthorityPEM == Array(Self.pem.utf8))
        #expect(config.token == "tok-from-file")
        #expect(config.insecureSkipTLSVerify)
    }

    @Test(arguments: [
        ("not: [valid", "not valid YAML"),
        ("- a\n- b", "not a YAML mapping"),
        ("clusters: []", "no current-context"),
        ("current-context: nope\ncontexts: []", "no context named \"nope\""),
        ("current-context: x\ncontexts:\n- name: x\n  context: {cluster: c}\nclusters: []", "no cluster named \"c\""),
        ("current-context: x\ncontexts:\n- name: x\n  context: {cluster: c}\nclusters:\n- name: c\n  cluster: {}", "has no server"),
        ("current-context: x\ncontexts:\n- name: x\n  context: {cluster: c}\nclusters:\n- name: c\n  cluster: {server: s, certificate-authority-data: '%%%'}", "not base64"),
    ])
    func malformedConfigsAreRejected(yaml: String, message: String) {
        let error = #expect(throws: FlotillaError.self) { try KubeConfig.parse(yaml) }
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "")")
    }

    @Test func aMissingFileIsNotFound() {
        let error = #expect(throws: FlotillaError.self) { try KubeConfig.load(path: "/nonexistent/kubeconfig") }
        #expect(error?.code == .notFound)
    }
}
