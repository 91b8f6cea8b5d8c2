// Field numbers are those of Kubernetes' generated.proto; descriptions are Flotilla's own.

extension CoreV1Schemas {
    /// Persistent volumes and claims.
    static let storageDefinitions: [Definition] = [
        Definition(
            "io.k8s.api.core.v1.PersistentVolume", "A piece of storage in the cluster.",
            gvk: [GroupVersionKind("", "v1", "PersistentVolume")], fields: [
                Field("apiVersion", 0, .string(), "The versioned schema of this object, e.g. v1."),
                Field("kind", 0, .string(), "The kind of this object, e.g. PersistentVolume."),
                Field("metadata", 1, .ref("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"), "The object's name, namespace, labels and other metadata."),
                Field("spec", 2, .ref("io.k8s.api.core.v1.PersistentVolumeSpec"), "What the volume is."),
                Field("status", 3, .ref("io.k8s.api.core.v1.PersistentVolumeStatus"), "The volume's observed state."),
            ]),
        Definition(
            "io.k8s.api.core.v1.PersistentVolumeSpec", "What a persistent volume is.",
            fields: [
                Field("capacity", 1, .map(.quantity), "The volume's size and other capacities."),
                Field("gcePersistentDisk", 0, .ref("io.k8s.api.core.v1.GCEPersistentDiskVolumeSource"), "A Google Compute Engine persistent disk."),
                Field("awsElasticBlockStore", 0, .ref("io.k8s.api.core.v1.AWSElasticBlockStoreVolumeSource"), "An AWS Elastic Block Store volume."),
                Field("hostPath", 0, .ref("io.k8s.api.core.v1.HostPathVolumeSource"), "A file or directory on the node."),
                Field("glusterfs", 0, .ref("io.k8s.api.core.v1.GlusterfsPersistentVolumeSource"), "A Glusterfs volume."),
                Field("nfs", 0, .ref("io.k8s.api.core.v1.NFSVolumeSource"), "An NFS export."),
                Field("rbd", 0, .ref("io.k8s.api.core.v1.RBDPersistentVolumeSource"), "A Ceph Rados block device."),
                Field("iscsi", 0, .ref("io.k8s.api.core.v1.ISCSIPersistentVolumeSource"), "An iSCSI disk."),
                Field("cinder", 0, .ref("io.k8s.api.core.v1.CinderPersistentVolumeSource"), "An OpenStack Cinder volume."),
                Field("cephfs", 0, .ref("io.k8s.api.core.v1.CephFSPersistentVolumeSource"), "A Ceph filesystem."),
                Field("fc", 0, .ref("io.k8s.api.core.v1.FCVolumeSource"), "A Fibre Channel disk."),
                Field("flocker", 0, .ref("io.k8s.api.core.v1.FlockerVolumeSource"), "A Flocker volume."),
                Field("flexVolume", 0, .ref("io.k8s.api.core.v1.FlexPersistentVolumeSource"), "A volume handled by an exec-based plugin."),
                Field("azureFile", 0, .ref("io.k8s.api.core.v1.AzureFilePersistentVolumeSource"), "An Azure File share."),
                Field("vsphereVolume", 0, .ref("io.k8s.api.core.v1.VsphereVirtualDiskVolumeSource"), "A vSphere virtual disk."),
                Field("quobyte", 0, .ref("io.k8s.api.core.v1.QuobyteVolumeSource"), "A Quobyte volume."),
                Field("azureDisk", 0, .ref("io.k8s.api.core.v1.AzureDiskVolumeSource"), "An Azure data disk."),
                Field("photonPersistentDisk", 0, .ref("io.k8s.api.core.v1.PhotonPersistentDiskVolumeSource"), "A Photon Controller persistent disk."),
                Field("portworxVolume", 0, .ref("io.k8s.api.core.v1.PortworxVolumeSource"), "A Portworx volume."),
                Field("scaleIO", 0, .ref("io.k8s.api.core.v1.ScaleIOPersistentVolumeSource"), "A ScaleIO volume."),
                Field("local", 0, .ref("io.k8s.api.core.v1.LocalVolumeSource"), "A local disk, partition or directory of the node."),
                Field("storageos", 0, .ref("io.k8s.api.core.v1.StorageOSPersistentVolumeSource"), "A StorageOS volume."),
                Field("csi", 0, .ref("io.k8s.api.core.v1.CSIPersistentVolumeSource"), "A volume handled by a CSI driver."),
                Field("accessModes", 3, .array(.string()), "The ways the volume may be mounted, e.g. ReadWriteOnce."),
                Field("claimRef", 4, .ref("io.k8s.api.core.v1.ObjectReference"), "The claim bound to the volume."),
                Field("persistentVolumeReclaimPolicy", 5, .string(), "What happens to the volume when its claim is released: Retain, Delete or Recycle."),
                Field("storageClassName", 6, .string(), "The name of the StorageClass."),
                Field("mountOptions", 7, .array(.string()), "Mount options used when the volume is mounted."),
                Field("volumeMode", 8, .string(), "Whether the volume is used as a Filesystem or a raw Block device.", presence: .pointer),
                Field("nodeAffinity", 9, .ref("io.k8s.api.core.v1.VolumeNodeAffinity"), "The nodes the volume can be used from."),
                Field("volumeAttributesClassName", 10, .string(), "The name of the VolumeAttributesClass.", presence: .pointer),
            ]),
        Definition(
            "io.k8s.api.core.v1.PersistentVolumeSource", "The storage behind a persistent volume; exactly one member is set. Inlined into PersistentVolumeSpec in JSON.",
            fields: [
                Field("gcePersistentDisk", 1, .ref("io.k8s.api.core.v1.GCEPersistentDiskVolumeSource"), "A Google Compute Engine persistent disk."),
                Field("awsElasticBlockStore", 2, .ref("io.k8s.api.core.v1.AWSElasticBlockStoreVolumeSource"), "An AWS Elastic Block Store volume."),
                Field("hostPath", 3, .ref("io.k8s.api.core.v1.HostPathVolumeSource"), "A file or directory on the node."),
                Field("glusterfs", 4, .ref("io.k8s.api.core.v1.GlusterfsPersistentVolumeSource"), "A Glusterfs volume."),
                Field("nfs", 5, .ref("io.k8s.api.core.v1.NFSVolumeSource"), "An NFS export."),
                Field("rbd", 6, .ref("io.k8s.api.core.v1.RBDPersistentVolumeSource"), "A Ceph Rados block device."),
                Field("iscsi", 7, .ref("io.k8s.api.core.v1.ISCSIPersistentVolumeSource"), "An iSCSI disk."),
                Field("cinder", 8, .ref("io.k8s.api.core.v1.CinderPersistentVolumeSource"), "An OpenStack Cinder volume."),
                Field("cephfs", 9, .ref("io.k8s.api.core.v1.CephFSPersistentVolumeSource"), "A Ceph filesystem."),
                Field("fc", 10, .ref("io.k8s.api.core.v1.FCVolumeSource"), "A Fibre Channel disk."),
                Field("flocker", 11, .ref("io.k8s.api.core.v1.FlockerVolumeSource"), "A Flocker volume."),
                Field("flexVolume", 12, .ref("io.k8s.api.core.v1.FlexPersistentVolumeSource"), "A volume handled by an exec-based plugin."),
                Field("azureFile", 13, .ref("io.k8s.api.core.v1.AzureFilePersistentVolumeSource"), "An Azure File share."),
                Field("vsphereVolume", 14, .ref("io.k8s.api.core.v1.VsphereVirtualDiskVolumeSource"), "A vSphere virtual disk."),
                Field("quobyte", 15, .ref("io.k8s.api.core.v1.QuobyteVolumeSource"), "A Quobyte volume."),
                Field("azureDisk", 16, .ref("io.k8s.api.core.v1.AzureDiskVolumeSource"), "An Azure data disk."),
                Field("photonPersistentDisk", 17, .ref("io.k8s.api.core.v1.PhotonPersistentDiskVolumeSource"), "A Photon Controller persistent disk."),
                Field("portworxVolume", 18, .ref("io.k8s.api.core.v1.PortworxVolumeSource"), "A Portworx volume."),
                Field("scaleIO", 19, .ref("io.k8s.api.core.v1.ScaleIOPersistentVolumeSource"), "A ScaleIO volume."),
                Field("local", 20, .ref("io.k8s.api.core.v1.LocalVolumeSource"), "A local disk, partition or directory of the node."),
                Field("storageos", 21, .ref("io.k8s.api.core.v1.StorageOSPersistentVolumeSource"), "A StorageOS volume."),
                Field("csi", 22, .ref("io.k8s.api.core.v1.CSIPersistentVolumeSource"), "A volume handled by a CSI driver."),
            ]),
        Definition(
            "io.k8s.api.core.v1.LocalVolumeSource", "A local disk, partition or directory of a node.",
            fields: [
                Field("path", 1, .string(), "The full path of the volume on the node.", required: true),
                Field("fsType", 2, .string(), "The filesystem type to mount, e.g. ext4 or xfs.", presence: .pointer),
            ]),
        Definition(
            "io.k8s.api.core.v1.CSIPersistentVolumeSource", "A volume handled by a CSI driver.",
            fields: [
                Field("driver", 1, .string(), "The name of the CSI driver.", required: true),
                Field("volumeHandle", 2, .string(), "The volume's identifier returned by the driver.", required: true),
                Field("readOnly", 3, .boolean, "Whether the volume is read-only."),
                Field("fsType", 4, .string(), "The filesystem type to mount, e.g. ext4 or xfs."),
                Field("volumeAttributes", 5, .map(.string()), "Driver-specific attributes of the volume."),
                Field("controllerPublishSecretRef", 6, .ref("io.k8s.api.core.v1.SecretReference"), "The secret passed to the driver's ControllerPublishVolume call."),
                Field("nodeStageSecretRef", 7, .ref("io.k8s.api.core.v1.SecretReference"), "The secret passed to the driver's NodeStageVolume call."),
                Field("nodePublishSecretRef", 8, .ref("io.k8s.api.core.v1.SecretReference"), "The secret passed to the driver when the volume is published on a node."),
                Field("controllerExpandSecretRef", 9, .ref("io.k8s.api.core.v1.SecretReference"), "The secret passed to the driver's ControllerExpandVolume call."),
                Field("nodeExpandSecretRef", 10, .ref("io.k8s.api.core.v1.SecretReference"), "The secret passed to the driver's NodeExpandVolume call."),
            ]),
        Definition(
            "io.k8s.api.core.v1.SecretReference", "A reference to a secret by name and namespace.",
            fields: [
                Field("name", 1, .string(), "The name of the secret."),
                Field("namespace", 2, .string(), "The namespace of the secret."),
            ]),
        Definition(
            "io.k8s.api.core.v1.VolumeNodeAffinity", "The nodes a volume can be used from.",
            fields: [
                Field("required", 1, .ref("io.k8s.api.core.v1.NodeSelector"), "The nodes the volume can be used from."),
            ]),
        Definition(
            "io.k8s.api.core.v1.PersistentVolumeStatus", "The observed state of a persistent volume.",
            fields: [
                Field("phase", 1, .string(), "Pending, Available, Bound, Released or Failed."),
                Field("message", 2, .string(), "Why the volume is in this state."),
                Field("reason", 3, .string(), "A brief word on why the volume is in this state."),
                Field("lastPhaseTransitionTime", 4, .time, "When the volume last changed phase."),
            ]),
        Definition(
            "io.k8s.api.core.v1.PersistentVolumeClaim", "A request for storage by a user.",
            gvk: [GroupVersionKind("", "v1", "PersistentVolumeClaim")], fields: [
                Field("apiVersion", 0, .string(), "The versioned schema of this object, e.g. v1."),
                Field("kind", 0, .string(), "The kind of this object, e.g. PersistentVolumeClaim."),
                Field("metadata", 1, .ref("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"), "The object's name, namespace, labels and other metadata."),
                Field("spec", 2, .ref("io.k8s.api.core.v1.PersistentVolumeClaimSpec"), "The storage the claim asks for."),
                Field("status", 3, .ref("io.k8s.api.core.v1.PersistentVolumeClaimStatus"), "The claim's observed state."),
            ]),
        Definition(
            "io.k8s.api.core.v1.PersistentVolumeClaimSpec", "What storage a claim asks for.",
            fields: [
                Field("accessModes", 1, .array(.string()), "The ways the volume may be mounted, e.g. ReadWriteOnce."),
                Field("selector", 4, .ref("io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector"), "Selects the volumes that may be bound by label."),
                Field("resources", 2, .ref("io.k8s.api.core.v1.VolumeResourceRequirements"), "The storage requested."),
                Field("volumeName", 3, .string(), "The name of the volume bound to the claim."),
                Field("storageClassName", 5, .string(), "The name of the StorageClass.", presence: .pointer),
                Field("volumeMode", 6, .string(), "Whether the volume is used as a Filesystem or a raw Block device.", presence: .pointer),
                Field("dataSource", 7, .ref("io.k8s.api.core.v1.TypedLocalObjectReference"), "An existing object to populate the volume from."),
                Field("dataSourceRef", 8, .ref("io.k8s.api.core.v1.TypedObjectReference"), "An object, possibly of another group or namespace, to populate the volume from."),
                Field("volumeAttributesClassName", 9, .string(), "The name of the VolumeAttributesClass.", presence: .pointer),
            ]),
        Definition(
            "io.k8s.api.core.v1.VolumeResourceRequirements", "The storage a claim requests and its limits.",
            fields: [
                Field("limits", 1, .map(.quantity), "The largest amount of storage allowed."),
                Field("requests", 2, .map(.quantity), "The amount of storage requested."),
            ]),
        Definition(
            "io.k8s.api.core.v1.TypedLocalObjectReference", "A reference to an object of a given kind in the same namespace.",
            fields: [
                Field("apiGroup", 1, .string(), "The API group of the referenced kind; empty for the core group.", presence: .pointer),
                Field("kind", 2, .string(), "The kind of the referenced object.", required: true),
                Field("name", 3, .string(), "The name of the referenced object.", required: true),
            ]),
        Definition(
            "io.k8s.api.core.v1.TypedObjectReference", "A reference to an object of a given kind, possibly in another namespace.",
            fields: [
                Field("apiGroup", 1, .string(), "The API group of the referenced kind; empty for the core group.", presence: .pointer),
                Field("kind", 2, .string(), "The kind of the referenced object.", required: true),
                Field("name", 3, .string(), "The name of the referenced object.", required: true),
                Field("namespace", 4, .string(), "The namespace of the referenced object.", presence: .pointer),
            ]),
        Definition(
            "io.k8s.api.core.v1.PersistentVolumeClaimStatus", "The observed state of a claim.",
            fields: [
                Field("phase", 1, .string(), "Pending, Bound or Lost."),
                Field("accessModes", 2, .array(.string()), "The access modes of the bound volume."),
                Field("capacity", 3, .map(.quantity), "The capacity of the bound volume."),
                Field("conditions", 4, .array(.ref("io.k8s.api.core.v1.PersistentVolumeClaimCondition")), "The latest observations of the claim.", patchStrategy: "merge", patchMergeKey: "type"),
                Field("allocatedResources", 5, .map(.quantity), "The resources allocated to it."),
                Field("allocatedResourceStatuses", 7, .map(.string()), "The state of each resize operation."),
                Field("currentVolumeAttributesClassName", 8, .string(), "The VolumeAttributesClass the volume uses now.", presence: .pointer),
                Field("modifyVolumeStatus", 9, .ref("io.k8s.api.core.v1.ModifyVolumeStatus"), "The state of a pending change of volume attributes class."),
            ]),
        Definition(
            "io.k8s.api.core.v1.PersistentVolumeClaimCondition", "One observed condition of a claim.",
            fields: [
                Field("type", 1, .string(), "The kind of condition, e.g. Resizing.", required: true),
                Field("status", 2, .string(), "True, False or Unknown.", required: true),
                Field("lastProbeTime", 3, .time, "When the condition was last checked."),
                Field("lastTransitionTime", 4, .time, "When the condition last changed status."),
                Field("reason", 5, .string(), "A machine-readable word explaining the state."),
                Field("message", 6, .string(), "A human-readable explanation of the state."),
            ]),
        Definition(
            "io.k8s.api.core.v1.ModifyVolumeStatus", "The state of a change of volume attributes class.",
            fields: [
                Field("targetVolumeAttributesClassName", 1, .string(), "The VolumeAttributesClass being applied."),
                Field("status", 2, .string(), "Pending, InProgress or Infeasible.", required: true),
            ]),
    ]
}
