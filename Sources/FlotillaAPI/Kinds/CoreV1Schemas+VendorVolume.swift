// Field numbers are those of Kubernetes' generated.proto; descriptions are Flotilla's own.

extension CoreV1Schemas {
    /// Volume sources backed by specific storage systems.
    static let vendorVolumeDefinitions: [Definition] = [
        Definition(
            "io.k8s.api.core.v1.GCEPersistentDiskVolumeSource", "A Google Compute Engine persistent disk.",
            fields: [
                Field("pdName", 1, .string(), "The name of the GCE persistent disk.", required: true),
                Field("fsType", 2, .string(), "The filesystem type to mount, e.g. ext4 or xfs."),
                Field("partition", 3, .int32, "The partition of the disk to mount; empty for the whole disk."),
                Field("readOnly", 4, .boolean, "Whether the volume is mounted read-only."),
            ]),
        Definition(
            "io.k8s.api.core.v1.AWSElasticBlockStoreVolumeSource", "An AWS Elastic Block Store volume.",
            fields: [
                Field("volumeID", 1, .string(), "The identifier of the volume in its storage system.", required: true),
                Field("fsType", 2, .string(), "The filesystem type to mount, e.g. ext4 or xfs."),
                Field("partition", 3, .int32, "The partition of the disk to mount; empty for the whole disk."),
                Field("readOnly", 4, .boolean, "Whether the volume is mounted read-only."),
            ]),
        Definition(
            "io.k8s.api.core.v1.GitRepoVolumeSource", "Deprecated: a directory filled from a git repository.",
            fields: [
                Field("repository", 1, .string(), "The URL of the git repository.", required: true),
                Field("revision", 2, .string(), "The commit to check out."),
                Field("directory", 3, .string(), "The directory to clone into."),
            ]),
        Definition(
            "io.k8s.api.core.v1.ISCSIVolumeSource", "An iSCSI disk.",
            fields: [
                Field("targetPortal", 1, .string(), "The iSCSI target portal, host:port.", required: true),
                Field("iqn", 2, .string(), "The iSCSI qualified name of the target.", required: true),
                Field("lun", 3, .int32, "The logical unit number of the target.", required: true),
                Field("iscsiInterface", 4, .string(), "The iSCSI interface name used for the transport."),
                Field("fsType", 5, .string(), "The filesystem type to mount, e.g. ext4 or xfs."),
                Field("readOnly", 6, .boolean, "Whether the volume is mounted read-only."),
                Field("portals", 7, .array(.string()), "Additional iSCSI target portals."),
                Field("chapAuthDiscovery", 8, .boolean, "Whether CHAP authentication is used for discovery."),
                Field("chapAuthSession", 11, .boolean, "Whether CHAP authentication is used for the session."),
                Field("secretRef", 10, .ref("io.k8s.api.core.v1.LocalObjectReference"), "The secret holding the credentials for this volume."),
                Field("initiatorName", 12, .string(), "A custom iSCSI initiator name.", presence: .pointer),
            ]),
        Definition(
            "io.k8s.api.core.v1.GlusterfsVolumeSource", "A Glusterfs volume.",
            fields: [
                Field("endpoints", 1, .string(), "The name of the Endpoints object listing the Glusterfs servers.", required: true),
                Field("path", 2, .string(), "The Glusterfs volume path.", required: true),
                Field("readOnly", 3, .boolean, "Whether the volume is mounted read-only."),
            ]),
        Definition(
            "io.k8s.api.core.v1.RBDVolumeSource", "A Ceph Rados block device.",
            fields: [
                Field("monitors", 1, .array(.string()), "Addresses of the Ceph monitors.", required: true),
                Field("image", 2, .string(), "The name of the Rados image.", required: true),
                Field("fsType", 3, .string(), "The filesystem type to mount, e.g. ext4 or xfs."),
                Field("pool", 4, .string(), "The storage pool of the image."),
                Field("user", 5, .string(), "The user name to authenticate as."),
                Field("keyring", 6, .string(), "Path of the keyring file for the user."),
                Field("secretRef", 7, .ref("io.k8s.api.core.v1.LocalObjectReference"), "The secret holding the credentials for this volume."),
                Field("readOnly", 8, .boolean, "Whether the volume is mounted read-only."),
            ]),
        Definition(
            "io.k8s.api.core.v1.FlexVolumeSource", "A volume handled by an exec-based plugin.",
            fields: [
                Field("driver", 1, .string(), "The name of the plugin driver.", required: true),
                Field("fsType", 2, .string(), "The filesystem type to mount, e.g. ext4 or xfs."),
                Field("secretRef", 3, .ref("io.k8s.api.core.v1.LocalObjectReference"), "The secret holding the credentials for this volume."),
                Field("readOnly", 4, .boolean, "Whether the volume is mounted read-only."),
                Field("options", 5, .map(.string()), "Extra driver-specific options."),
            ]),
        Definition(
            "io.k8s.api.core.v1.CinderVolumeSource", "An OpenStack Cinder volume.",
            fields: [
                Field("volumeID", 1, .string(), "The identifier of the volume in its storage system.", required: true),
                Field("fsType", 2, .string(), "The filesystem type to mount, e.g. ext4 or xfs."),
                Field("readOnly", 3, .boolean, "Whether the volume is mounted read-only."),
                Field("secretRef", 4, .ref("io.k8s.api.core.v1.LocalObjectReference"), "The secret holding the credentials for this volume."),
            ]),
        Definition(
            "io.k8s.api.core.v1.CephFSVolumeSource", "A Ceph filesystem mount.",
            fields: [
                Field("monitors", 1, .array(.string()), "Addresses of the Ceph monitors.", required: true),
                Field("path", 2, .string(), "The path within the Ceph tree to mount."),
                Field("user", 3, .string(), "The user name to authenticate as."),
                Field("secretFile", 4, .string(), "The path of the user's key ring."),
                Field("secretRef", 5, .ref("io.k8s.api.core.v1.LocalObjectReference"), "The secret holding the credentials for this volume."),
                Field("readOnly", 6, .boolean, "Whether the volume is mounted read-only."),
            ]),
        Definition(
            "io.k8s.api.core.v1.FlockerVolumeSource", "A Flocker volume.",
            fields: [
                Field("datasetName", 1, .string(), "The name of the Flocker dataset."),
                Field("datasetUUID", 2, .string(), "The UUID of the Flocker dataset."),
            ]),
        Definition(
            "io.k8s.api.core.v1.FCVolumeSource", "A Fibre Channel volume.",
            fields: [
                Field("targetWWNs", 1, .array(.string()), "The Fibre Channel target world wide names."),
                Field("lun", 2, .int32, "The logical unit number of the target.", presence: .pointer),
                Field("fsType", 3, .string(), "The filesystem type to mount, e.g. ext4 or xfs."),
                Field("readOnly", 4, .boolean, "Whether the volume is mounted read-only."),
                Field("wwids", 5, .array(.string()), "The Fibre Channel world wide identifiers."),
            ]),
        Definition(
            "io.k8s.api.core.v1.AzureFileVolumeSource", "An Azure File share.",
            fields: [
                Field("secretName", 1, .string(), "The secret holding the storage account name and key.", required: true),
                Field("shareName", 2, .string(), "The name of the Azure file share.", required: true),
                Field("readOnly", 3, .boolean, "Whether the volume is mounted read-only."),
            ]),
        Definition(
            "io.k8s.api.core.v1.VsphereVirtualDiskVolumeSource", "A vSphere virtual disk.",
            fields: [
                Field("volumePath", 1, .string(), "The path of the vSphere volume.", required: true),
                Field("fsType", 2, .string(), "The filesystem type to mount, e.g. ext4 or xfs."),
                Field("storagePolicyName", 3, .string(), "The name of the vSphere storage policy."),
                Field("storagePolicyID", 4, .string(), "The identifier of the vSphere storage policy."),
            ]),
        Definition(
            "io.k8s.api.core.v1.QuobyteVolumeSource", "A Quobyte volume.",
            fields: [
                Field("registry", 1, .string(), "The Quobyte registry address, host:port.", required: true),
                Field("volume", 2, .string(), "The name of the Quobyte volume.", required: true),
                Field("readOnly", 3, .boolean, "Whether the volume is mounted read-only."),
                Field("user", 4, .string(), "The user name to authenticate as."),
                Field("group", 5, .string(), "The group to map volume access to."),
                Field("tenant", 6, .string(), "The Quobyte tenant owning the volume."),
            ]),
        Definition(
            "io.k8s.api.core.v1.AzureDiskVolumeSource", "An Azure data disk.",
            fields: [
                Field("diskName", 1, .string(), "The name of the Azure data disk.", required: true),
                Field("diskURI", 2, .string(), "The URI of the Azure data disk.", required: true),
                Field("cachingMode", 3, .string(), "The host caching mode: None, ReadOnly or ReadWrite.", presence: .pointer),
                Field("fsType", 4, .string(), "The filesystem type to mount, e.g. ext4 or xfs.", presence: .pointer),
                Field("readOnly", 5, .boolean, "Whether the volume is mounted read-only.", presence: .pointer),
                Field("kind", 6, .string(), "The kind of disk: Shared, Dedicated or Managed.", presence: .pointer),
            ]),
        Definition(
            "io.k8s.api.core.v1.PhotonPersistentDiskVolumeSource", "A Photon Controller persistent disk.",
            fields: [
                Field("pdID", 1, .string(), "The identifier of the Photon persistent disk.", required: true),
                Field("fsType", 2, .string(), "The filesystem type to mount, e.g. ext4 or xfs."),
            ]),
        Definition(
            "io.k8s.api.core.v1.PortworxVolumeSource", "A Portworx volume.",
            fields: [
                Field("volumeID", 1, .string(), "The identifier of the volume in its storage system.", required: true),
                Field("fsType", 2, .string(), "The filesystem type to mount, e.g. ext4 or xfs."),
                Field("readOnly", 3, .boolean, "Whether the volume is mounted read-only."),
            ]),
        Definition(
            "io.k8s.api.core.v1.ScaleIOVolumeSource", "A ScaleIO volume.",
            fields: [
                Field("gateway", 1, .string(), "The address of the ScaleIO API gateway.", required: true),
                Field("system", 2, .string(), "The name of the ScaleIO storage system.", required: true),
                Field("secretRef", 3, .ref("io.k8s.api.core.v1.LocalObjectReference"), "The secret holding the credentials for this volume.", required: true),
                Field("sslEnabled", 4, .boolean, "Whether the connection to the gateway uses SSL."),
                Field("protectionDomain", 5, .string(), "The ScaleIO protection domain of the storage."),
                Field("storagePool", 6, .string(), "The ScaleIO storage pool."),
                Field("storageMode", 7, .string(), "Whether the ScaleIO volume is ThickProvisioned or ThinProvisioned."),
                Field("volumeName", 8, .string(), "The name of a volume created in the ScaleIO system."),
                Field("fsType", 9, .string(), "The filesystem type to mount, e.g. ext4 or xfs."),
                Field("readOnly", 10, .boolean, "Whether the volume is mounted read-only."),
            ]),
        Definition(
            "io.k8s.api.core.v1.StorageOSVolumeSource", "A StorageOS volume.",
            fields: [
                Field("volumeName", 1, .string(), "The name of the volume."),
                Field("volumeNamespace", 2, .string(), "The StorageOS namespace of the volume."),
                Field("fsType", 3, .string(), "The filesystem type to mount, e.g. ext4 or xfs."),
                Field("readOnly", 4, .boolean, "Whether the volume is mounted read-only."),
                Field("secretRef", 5, .ref("io.k8s.api.core.v1.LocalObjectReference"), "The secret holding the credentials for this volume."),
            ]),
        Definition(
            "io.k8s.api.core.v1.GlusterfsPersistentVolumeSource", "A Glusterfs volume.",
            fields: [
                Field("endpoints", 1, .string(), "The name of the Endpoints object listing the Glusterfs servers.", required: true),
                Field("path", 2, .string(), "The Glusterfs volume path.", required: true),
                Field("readOnly", 3, .boolean, "Whether the volume is mounted read-only."),
                Field("endpointsNamespace", 4, .string(), "The namespace of the Endpoints object.", presence: .pointer),
            ]),
        Definition(
            "io.k8s.api.core.v1.RBDPersistentVolumeSource", "A Ceph Rados block device.",
            fields: [
                Field("monitors", 1, .array(.string()), "Addresses of the Ceph monitors.", required: true),
                Field("image", 2, .string(), "The name of the Rados image.", required: true),
                Field("fsType", 3, .string(), "The filesystem type to mount, e.g. ext4 or xfs."),
                Field("pool", 4, .string(), "The storage pool of the image."),
                Field("user", 5, .string(), "The user name to authenticate as."),
                Field("keyring", 6, .string(), "Path of the keyring file for the user."),
                Field("secretRef", 7, .ref("io.k8s.api.core.v1.SecretReference"), "The secret holding the credentials for this volume."),
                Field("readOnly", 8, .boolean, "Whether the volume is mounted read-only."),
            ]),
        Definition(
            "io.k8s.api.core.v1.ISCSIPersistentVolumeSource", "An iSCSI disk.",
            fields: [
                Field("targetPortal", 1, .string(), "The iSCSI target portal, host:port.", required: true),
                Field("iqn", 2, .string(), "The iSCSI qualified name of the target.", required: true),
                Field("lun", 3, .int32, "The logical unit number of the target.", required: true),
                Field("iscsiInterface", 4, .string(), "The iSCSI interface name used for the transport."),
                Field("fsType", 5, .string(), "The filesystem type to mount, e.g. ext4 or xfs."),
                Field("readOnly", 6, .boolean, "Whether the volume is mounted read-only."),
                Field("portals", 7, .array(.string()), "Additional iSCSI target portals."),
                Field("chapAuthDiscovery", 8, .boolean, "Whether CHAP authentication is used for discovery."),
                Field("chapAuthSession", 11, .boolean, "Whether CHAP authentication is used for the session."),
                Field("secretRef", 10, .ref("io.k8s.api.core.v1.SecretReference"), "The secret holding the credentials for this volume."),
                Field("initiatorName", 12, .string(), "A custom iSCSI initiator name.", presence: .pointer),
            ]),
        Definition(
            "io.k8s.api.core.v1.CinderPersistentVolumeSource", "An OpenStack Cinder volume.",
            fields: [
                Field("volumeID", 1, .string(), "The identifier of the volume in its storage system.", required: true),
                Field("fsType", 2, .string(), "The filesystem type to mount, e.g. ext4 or xfs."),
                Field("readOnly", 3, .boolean, "Whether the volume is mounted read-only."),
                Field("secretRef", 4, .ref("io.k8s.api.core.v1.SecretReference"), "The secret holding the credentials for this volume."),
            ]),
        Definition(
            "io.k8s.api.core.v1.CephFSPersistentVolumeSource", "A Ceph filesystem mount.",
            fields: [
                Field("monitors", 1, .array(.string()), "Addresses of the Ceph monitors.", required: true),
                Field("path", 2, .string(), "The path within the Ceph tree to mount."),
                Field("user", 3, .string(), "The user name to authenticate as."),
                Field("secretFile", 4, .string(), "The path of the user's key ring."),
                Field("secretRef", 5, .ref("io.k8s.api.core.v1.SecretReference"), "The secret holding the credentials for this volume."),
                Field("readOnly", 6, .boolean, "Whether the volume is mounted read-only."),
            ]),
        Definition(
            "io.k8s.api.core.v1.FlexPersistentVolumeSource", "A volume handled by an exec-based plugin.",
            fields: [
                Field("driver", 1, .string(), "The name of the plugin driver.", required: true),
                Field("fsType", 2, .string(), "The filesystem type to mount, e.g. ext4 or xfs."),
                Field("secretRef", 3, .ref("io.k8s.api.core.v1.SecretReference"), "The secret holding the credentials for this volume."),
                Field("readOnly", 4, .boolean, "Whether the volume is mounted read-only."),
                Field("options", 5, .map(.string()), "Extra driver-specific options."),
            ]),
        Definition(
            "io.k8s.api.core.v1.AzureFilePersistentVolumeSource", "An Azure File share.",
            fields: [
                Field("secretName", 1, .string(), "The secret holding the storage account name and key.", required: true),
                Field("shareName", 2, .string(), "The name of the Azure file share.", required: true),
                Field("readOnly", 3, .boolean, "Whether the volume is mounted read-only."),
                Field("secretNamespace", 4, .string(), "The namespace of the secret; the pod's namespace when empty.", presence: .pointer),
            ]),
        Definition(
            "io.k8s.api.core.v1.ScaleIOPersistentVolumeSource", "A ScaleIO volume.",
            fields: [
                Field("gateway", 1, .string(), "The address of the ScaleIO API gateway.", required: true),
                Field("system", 2, .string(), "The name of the ScaleIO storage system.", required: true),
                Field("secretRef", 3, .ref("io.k8s.api.core.v1.SecretReference"), "The secret holding the credentials for this volume.", required: true),
                Field("sslEnabled", 4, .boolean, "Whether the connection to the gateway uses SSL."),
                Field("protectionDomain", 5, .string(), "The ScaleIO protection domain of the storage."),
                Field("storagePool", 6, .string(), "The ScaleIO storage pool."),
                Field("storageMode", 7, .string(), "Whether the ScaleIO volume is ThickProvisioned or ThinProvisioned."),
                Field("volumeName", 8, .string(), "The name of the volume."),
                Field("fsType", 9, .string(), "The filesystem type to mount, e.g. ext4 or xfs."),
                Field("readOnly", 10, .boolean, "Whether the volume is mounted read-only."),
            ]),
        Definition(
            "io.k8s.api.core.v1.StorageOSPersistentVolumeSource", "A StorageOS volume.",
            fields: [
                Field("volumeName", 1, .string(), "The name of the volume."),
                Field("volumeNamespace", 2, .string(), "The StorageOS namespace of the volume."),
                Field("fsType", 3, .string(), "The filesystem type to mount, e.g. ext4 or xfs."),
                Field("readOnly", 4, .boolean, "Whether the volume is mounted read-only."),
                Field("secretRef", 5, .ref("io.k8s.api.core.v1.ObjectReference"), "The secret holding the credentials for this volume."),
            ]),
    ]
}
