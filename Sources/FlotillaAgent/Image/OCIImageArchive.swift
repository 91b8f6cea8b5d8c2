import Crypto
import FlotillaCore

/// A one-layer OCI image as an image-layout archive: a tar of `oci-layout`, `index.json` and the
/// content-addressed blobs (`blobs/sha256/<digest>`: the layer, the image config, the manifest),
/// which `ctr images import` loads under the name the index gives it.
struct OCIImageArchive {
    /// The image's name, e.g. `localhost/flotilla/pause:1`.
    var name: String
    /// The layer: an uncompressed tar of the root filesystem.
    var layer: [UInt8]
    var entrypoint: [String]
    var environment: [String]
    /// Go's name of the architecture (`amd64`, `arm64`).
    var architecture: String

    /// The archive's bytes.
    func archive() throws -> [UInt8] {
        let layerDigest = Self.digest(layer)
        let config = JSON.object([
            "architecture": .string(architecture),
            "os": "linux",
            "config": ["Entrypoint": .array(entrypoint.map(JSON.string)), "Env": .array(environment.map(JSON.string))],
            "rootfs": ["type": "layers", "diff_ids": [.string(layerDigest)]],
        ]).serialized()
        let manifest = JSON.object([
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": .object(Self.descriptor("application/vnd.oci.image.config.v1+json", config)),
            "layers": [.object(Self.descriptor("application/vnd.oci.image.layer.v1.tar", layer))],
        ]).serialized()
        var manifestDescriptor = Self.descriptor("application/vnd.oci.image.manifest.v1+json", manifest)
        manifestDescriptor["platform"] = JSON.object(["architecture": .string(architecture), "os": "linux"])
        manifestDescriptor["annotations"] = JSON.object([
            "io.containerd.image.name": .string(name),
            "org.opencontainers.image.ref.name": .string(Self.tag(of: name)),
        ])
        let index = JSON.object(["schemaVersion": 2, "manifests": [.object(manifestDescriptor)]]).serialized()

        var tar = TarWriter()
        try tar.addFile("oci-layout", contents: Array(#"{"imageLayoutVersion":"1.0.0"}"#.utf8))
        try tar.addFile("index.json", contents: index)
        try tar.addDirectory("blobs")
        try tar.addDirectory("blobs/sha256")
        for blob in [layer, config, manifest] {
            try tar.addFile("blobs/sha256/" + Self.digest(blob).dropFirst("sha256:".count), contents: blob)
        }
        return tar.finished()
    }

    /// `sha256:<hex>` of `bytes`.
    static func digest(_ bytes: [UInt8]) -> String {
        "sha256:" + SHA256.hash(data: bytes).hexString
    }

    private static func descriptor(_ mediaType: String, _ blob: [UInt8]) -> JSONObject {
        ["mediaType": .string(mediaType), "digest": .string(digest(blob)), "size": .int(Int64(blob.count))]
    }

    /// The tag of an image name (`latest` when it has none).
    static func tag(of name: String) -> String {
        let lastComponent = name.split(separator: "/").last ?? ""
        guard let colon = lastComponent.lastIndex(of: ":") else { return "latest" }
        return String(lastComponent[lastComponent.index(after: colon)...])
    }
}
