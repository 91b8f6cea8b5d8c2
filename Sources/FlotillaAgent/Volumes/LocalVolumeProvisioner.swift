import FlotillaAPI
import FlotillaClient
import FlotillaCore
import Foundation
import Logging

/// Provisions local volumes on its node for the claims of the node's pods, as k3s' local-path
/// provisioner does, with the binding waiting for the first consumer: a claim that is not bound
/// and asks for no storage class (or for ``storageClassName``) gets, once a pod using it is
/// placed on this node, a directory under the agent's data directory and a `local`
/// PersistentVolume for it, pinned to this node by its node affinity, and is bound to it. The
/// scheduler then sends every later pod of the claim (a stateful pod that comes back) to this
/// node and its data.
///
/// The volumes' reclaim policy is Delete: ``reclaim()`` removes the directory and the volume of
/// a claim that is gone.
public struct LocalVolumeProvisioner: Sendable {
    /// The storage class a claim names to ask for a local volume; a claim naming none gets one too.
    public static let storageClassName = "local-path"
    /// Labels the volumes with the node they live on.
    public static let nodeLabel = "flotilla.io/local-volume-node"
    static let provisionedBy = "flotilla.io/local-path"

    let client: KubernetesClient
    let nodeName: String
    /// Where the volumes' directories are made.
    let directory: String
    let logger: Logger

    public init(client: KubernetesClient, nodeName: String, directory: String, logger: Logger) {
        self.client = client
        self.nodeName = nodeName
        self.directory = directory
        self.logger = logger
    }

    /// Whether `claim` is one to provision: unbound, not being deleted, with no storage class
    /// or ours.
    static func wantsVolume(_ claim: JSON) -> Bool {
        let spec = claim["spec"]
        guard spec["volumeName"].string?.isEmpty ?? true, claim["metadata"]["deletionTimestamp"].isNull else { return false }
        let storageClass = spec["storageClassName"]
        return storageClass.isNull || storageClass.string == storageClassName
    }

    /// The PersistentVolume for `claim` at `path` on `node`.
    static func volume(for claim: JSON, node: String, path: String) -> JSON {
        let meta = claim["metadata"]
        let spec = claim["spec"]
        return [
            "apiVersion": "v1", "kind": "PersistentVolume",
            "metadata": [
                "name": .string("pvc-" + (meta["uid"].string ?? "")),
                "labels": [.init(nodeLabel): .string(node)],
                "annotations": ["pv.kubernetes.io/provisioned-by": .string(provisionedBy)],
            ],
            "spec": [
                "capacity": ["storage": spec[path: ["resources", "requests", "storage"]].isNull ? "1Gi" : spec[path: ["resources", "requests", "storage"]]],
                "accessModes": spec["accessModes"].isNull ? ["ReadWriteOnce"] : spec["accessModes"],
                "persistentVolumeReclaimPolicy": "Delete",
                "storageClassName": .string(spec["storageClassName"].string ?? ""),
                "volumeMode": "Filesystem",
                "local": ["path": .string(path)],
                "nodeAffinity": ["required": ["nodeSelectorTerms": [[
                    "matchExpressions": [["key": "kubernetes.io/hostname", "operator": "In", "values": [.string(node)]]],
                ]]]],
                "claimRef": [
                    "apiVersion": "v1", "kind": "PersistentVolumeClaim", "namespace": meta["namespace"], "name": meta["name"], "uid": meta["uid"],
                ],
            ],
        ]
    }

    /// Provisions and binds every claim of `pod` that ``wantsVolume(_:)``.
    public func provisionClaims(of pod: JSON) async throws {
        let namespace = pod[path: ["metadata", "namespace"]].string ?? "default"
        for name in PodInputs.claims(in: pod).sorted() {
            let claim: JSON
            do {
                claim = try await client.get(.persistentVolumeClaims, namespace: namespace, name: name)
            } catch let error as FlotillaError where error.code == .notFound {
                continue
            }
            guard Self.wantsVolume(claim), let uid = claim["metadata"]["uid"].string else { continue }
            let path = "\(directory)/pvc-\(uid)_\(namespace)_\(name)"
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o777])
            let volume = Self.volume(for: claim, node: nodeName, path: path)
            let volumeName = volume["metadata"]["name"].string ?? ""
            do {
                _ = try await client.create(.persistentVolumes, volume)
            } catch let error as FlotillaError where error.code == .alreadyExists {
                // Another node's agent provisions this claim for a pod of its own: it is that node's.
                let existing = try await client.get(.persistentVolumes, name: volumeName)
                guard existing["metadata"]["labels"][Self.nodeLabel].string == nodeName else { continue }
            }
            _ = try await client.patch(.persistentVolumes, name: volumeName, ["status": ["phase": "Bound"]], type: .merge, subresource: "status")
            var bound = claim
            bound[path: ["spec", "volumeName"]] = .string(volumeName)
            bound[path: ["metadata", "annotations", "pv.kubernetes.io/bind-completed"]] = "yes"
            bound[path: ["metadata", "annotations", "volume.kubernetes.io/selected-node"]] = .string(nodeName)
            do {
                bound = try await client.update(.persistentVolumeClaims, bound)
            } catch let error as FlotillaError where error.code == .conflict {
                continue  // changed meanwhile: the pod's next sync looks again
            }
            bound["status"] = ["phase": "Bound", "accessModes": volume["spec"]["accessModes"], "capacity": volume["spec"]["capacity"]]
            _ = try await client.updateStatus(.persistentVolumeClaims, bound)
            logger.info("provisioned a local volume", metadata: [
                "claim": .string("\(namespace)/\(name)"), "volume": .string(volumeName), "path": .string(path),
            ])
        }
    }

    /// Deletes the volumes provisioned on this node whose claim is gone (or was replaced by
    /// another of the same name), with their directories.
    public func reclaim() async throws {
        let volumes = try await client.listAll(.persistentVolumes, labelSelector: "\(Self.nodeLabel)=\(nodeName)")
        for volume in volumes.items where volume["spec"]["persistentVolumeReclaimPolicy"].string == "Delete" {
            let reference = volume["spec"]["claimRef"]
            guard let namespace = reference["namespace"].string, let name = reference["name"].string else { continue }
            do {
                let claim = try await client.get(.persistentVolumeClaims, namespace: namespace, name: name)
                if claim["metadata"]["uid"] == reference["uid"] { continue }
            } catch let error as FlotillaError where error.code == .notFound {}
            if let path = volume["spec"]["local"]["path"].string, path.hasPrefix(directory + "/") {
                try? FileManager.default.removeItem(atPath: path)
            }
            do {
                _ = try await client.delete(.persistentVolumes, name: volume["metadata"]["name"].string ?? "")
            } catch let error as FlotillaError where error.code == .notFound {}
            logger.info("deleted a local volume whose claim is gone", metadata: [
                "claim": .string("\(namespace)/\(name)"), "volume": .string(volume["metadata"]["name"].string ?? ""),
            ])
        }
    }

    /// Reclaims every `interval` until cancelled.
    public func run(every interval: Duration = .seconds(10)) async {
        while !Task.isCancelled {
            do {
                try await reclaim()
            } catch {
                logger.warning("cannot reclaim local volumes", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: interval)
        }
    }
}
