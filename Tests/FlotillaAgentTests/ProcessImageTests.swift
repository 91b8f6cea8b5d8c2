@testable import FlotillaAgent
import FlotillaCore
import Foundation
import Testing

/// The process runtime's image handling without a registry: names, manifests and indexes,
/// registry challenges, image config defaults and layer whiteouts.
@Suite struct ProcessImageTests {
    @Test func parsesImageReferences() throws {
        let hub = try ImageReference("busybox")
        #expect(hub.registry == "docker.io")
        #expect(hub.apiHost == "registry-1.docker.io")
        #expect(hub.repository == "library/busybox")
        #expect(hub.tag == "latest")
        #expect(hub.tagged == "docker.io/library/busybox:latest")
        #expect(!hub.isLoopback)

        let local = try ImageReference("127.0.0.1:5000/team/app:v1")
        #expect(local.registry == "127.0.0.1:5000")
        #expect(local.repository == "team/app")
        #expect(local.tag == "v1")
        #expect(local.isLoopback)
        #expect(try ImageReference("localhost:5000/app").isLoopback)
        #expect(try ImageReference("localhost/app").registry == "localhost")
        #expect(try ImageReference("user/app:2").repository == "user/app")

        let digest = "sha256:" + String(repeating: "ab", count: 32)
        let pinned = try ImageReference("registry.example.com/app@\(digest)")
        #expect(pinned.digest == digest)
        #expect(pinned.tag == nil)
        #expect(pinned.manifestReference == digest)
        #expect(pinned.digested(digest) == "registry.example.com/app@\(digest)")

        #expect(throws: FlotillaError.self) { try ImageReference("app@sha256:short") }
        #expect(throws: FlotillaError.self) { try ImageReference("app:") }
    }

    @Test func selectsTheHostsPlatformFromAnIndex() throws {
        let index = """
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[
              {"digest":"sha256:arm","platform":{"os":"linux","architecture":"arm","variant":"v7"}},
              {"digest":"sha256:arm64v8","platform":{"os":"linux","architecture":"arm64","variant":"v8"}},
              {"digest":"sha256:win","platform":{"os":"windows","architecture":"amd64"}},
              {"digest":"sha256:amd64","size":10,"platform":{"os":"linux","architecture":"amd64"}},
              {"digest":"sha256:attestation","platform":{"os":"unknown","architecture":"unknown"}}]}
            """
        guard case .index(let entries) = try ImageManifest(json: Array(index.utf8)) else {
            Issue.record("an index was not read as one")
            return
        }
        #expect(ImageManifest.select(entries, architecture: "amd64")?.digest == "sha256:amd64")
        #expect(ImageManifest.select(entries, architecture: "arm64", variant: "v8")?.digest == "sha256:arm64v8")
        #expect(ImageManifest.select(entries, architecture: "arm", variant: "v6")?.digest == "sha256:arm")
        #expect(ImageManifest.select(entries, architecture: "s390x") == nil)
    }

    @Test func readsImageManifests() throws {
        let manifest = """
            {"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",
             "config":{"mediaType":"application/vnd.docker.container.image.v1+json","digest":"sha256:config","size":7},
             "layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","digest":"sha256:one","size":100},
                       {"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:two","size":50}]}
            """
        let parsed = try ImageManifest(json: Array(manifest.utf8))
        #expect(parsed == .image(
            config: .init(mediaType: "application/vnd.docker.container.image.v1+json", digest: "sha256:config", size: 7),
            layers: [
                .init(mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip", digest: "sha256:one", size: 100),
                .init(mediaType: "application/vnd.oci.image.layer.v1.tar", digest: "sha256:two", size: 50),
            ]))
        // Docker's schema 1 is not pulled.
        #expect(throws: FlotillaError.self) { try ImageManifest(json: Array(#"{"schemaVersion":1,"fsLayers":[]}"#.utf8)) }
    }

    @Test func readsRegistryChallenges() throws {
        let bearer = try #require(RegistryChallenge(
            #"Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:team/app:pull""#))
        #expect(bearer.scheme == "bearer")
        #expect(bearer.parameters == [
            "realm": "https://auth.example.com/token", "service": "registry.example.com", "scope": "repository:team/app:pull",
        ])
        let basic = try #require(RegistryChallenge(#"Basic realm="flotilla-test""#))
        #expect(basic.scheme == "basic")
        #expect(basic.parameters["realm"] == "flotilla-test")
        #expect(RegistryChallenge("") == nil)
    }

    @Test func combinesImageDefaultsWithTheContainers() throws {
        let blob = #"{"architecture":"amd64","config":{"Entrypoint":["/entry"],"Cmd":["serve","--port=80"],"Env":["PATH=/bin","MODE=image"],"WorkingDir":"/srv"}}"#
        let config = try ImageConfig(blob: Array(blob.utf8))
        #expect(config.argv(command: [], args: []) == ["/entry", "serve", "--port=80"])
        #expect(config.argv(command: [], args: ["check"]) == ["/entry", "check"])
        #expect(config.argv(command: ["sh", "-c"], args: ["echo hi"]) == ["sh", "-c", "echo hi"])
        #expect(config.argv(command: ["true"], args: []) == ["true"])
        #expect(config.environment([.init("MODE", "pod"), .init("EXTRA", "1")], hostname: "web") == [
            "PATH=/bin", "HOSTNAME=web", "MODE=pod", "EXTRA=1",
        ])
        #expect(ImageConfig().environment([], hostname: "h").first == "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
    }

    @Test func findsWhiteoutsAmongALayersEntries() {
        let whiteouts = LayerWhiteouts(entries: [
            "./", "./etc/", "./etc/.wh.motd", "etc/passwd", "./var/cache/.wh..wh..opq", "./var/cache/new", ".wh.tmp",
            "./../.wh.escape", "a/.wh.",
        ])
        #expect(whiteouts.removedPaths == ["etc/motd", "tmp"])
        #expect(whiteouts.opaqueDirectories == ["var/cache"])
    }

    @Test func appliesWhiteoutsToAnImageRoot() throws {
        let root = NSTemporaryDirectory() + "whiteouts-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let files = FileManager.default
        for directory in ["etc", "var/cache/old", "outside", "data"] {
            try files.createDirectory(atPath: "\(root)/\(directory)", withIntermediateDirectories: true)
        }
        for file in ["etc/motd", "etc/passwd", "var/cache/a", "var/cache/old/b", "outside/keep"] {
            #expect(files.createFile(atPath: "\(root)/\(file)", contents: Data("x".utf8)))
        }
        // A link on the way may lead out of the root: nothing through it is removed.
        try files.createSymbolicLink(atPath: "\(root)/link", withDestinationPath: "\(root)/outside")
        try ImageLayerUnpacker.apply(
            LayerWhiteouts(opaqueDirectories: ["var/cache"], removedPaths: ["etc/motd", "link/keep", "missing"]), to: root)
        #expect(!files.fileExists(atPath: "\(root)/etc/motd"))
        #expect(files.fileExists(atPath: "\(root)/etc/passwd"))
        #expect(try files.contentsOfDirectory(atPath: "\(root)/var/cache") == [])
        #expect(files.fileExists(atPath: "\(root)/outside/keep"))
    }

    @Test func resolvesPathsInsideAContainersRoot() throws {
        let root = NSTemporaryDirectory() + "rootpath-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/real/dir", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: root + "/abs", withDestinationPath: "/real")
        try FileManager.default.createSymbolicLink(atPath: root + "/rel", withDestinationPath: "real/dir")
        try FileManager.default.createSymbolicLink(atPath: root + "/up", withDestinationPath: "../../../etc")
        #expect(ContainerRootPath.resolve("/abs/dir/x", in: root) == root + "/real/dir/x")
        #expect(ContainerRootPath.resolve("rel/../y", in: root) == root + "/real/y")
        #expect(ContainerRootPath.resolve("/up/passwd", in: root) == root + "/etc/passwd")
        #expect(ContainerRootPath.resolve("/", in: root) == root)
    }
}
