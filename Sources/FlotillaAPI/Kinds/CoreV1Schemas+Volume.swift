// Field numbers are those of Kubernetes' generated.proto; descriptions are Flotilla's own.

extension CoreV1Schemas {
    /// Pod volumes and their sources.
    static let volumeDefinitions: [Definition] = [
        Definition(
            "io.k8s.api.core.v1.Volume", "A named volume that the pod's containers can mount.",
            fields: [
                Field("name", 1, .string(), "The volume's name, a DNS label unique within the pod.", required: true),
                Field("hostPath", 0, .ref("io.k8s.api.core.v1.HostPathVolumeSource"), "A file or directory on the node."),
                Field("emptyDir", 0, .ref("io.k8s.api.core.v1.EmptyDirVolumeSource"), "An empty directory that lives as long as the pod."),
                Field("gcePersistentDisk", 0, .ref("io.k8s.api.core.v1.GCEPersistentDiskVolumeSource"), "A Google Compute Engine persistent disk."),
                Field("awsElasticBlockStore", 0, .ref("io.k8s.api.core.v1.AWSElasticBlockStoreVolumeSource"), "An AWS Elastic Block Store volume."),
                Field("gitRepo", 0, .ref("io.k8s.api.core.v1.GitRepoVolumeSource"), "Deprecated: a directory cloned from a git repository."),
                Field("secret", 0, .ref("io.k8s.api.core.v1.SecretVolumeSource"), "A secret."),
                Field("nfs", 0, .ref("io.k8s.api.core.v1.NFSVolumeSource"), "An NFS export."),
                Field("iscsi", 0, .ref("io.k8s.api.core.v1.ISCSIVolumeSource"), "An iSCSI disk."),
                Field("glusterfs", 0, .ref("io.k8s.api.core.v1.GlusterfsVolumeSource"), "A Glusterfs volume."),
                Field("persistentVolumeClaim", 0, .ref("io.k8s.api.core.v1.PersistentVolumeClaimVolumeSource"), "A PersistentVolumeClaim in the pod's namespace."),
                Field("rbd", 0, .ref("io.k8s.api.core.v1.RBDVolumeSource"), "A Ceph Rados block device."),
                Field("flexVolume", 0, .ref("io.k8s.api.core.v1.FlexVolumeSource"), "A volume handled by an exec-based plugin."),
                Field("cinder", 0, .ref("io.k8s.api.core.v1.CinderVolumeSource"), "An OpenStack Cinder volume."),
                Field("cephfs", 0, .ref("io.k8s.api.core.v1.CephFSVolumeSource"), "A Ceph filesystem."),
                Field("flocker", 0, .ref("io.k8s.api.core.v1.FlockerVolumeSource"), "A Flocker volume."),
                Field("downwardAPI", 0, .ref("io.k8s.api.core.v1.DownwardAPIVolumeSource"), "Information about the pod."),
                Field("fc", 0, .ref("io.k8s.api.core.v1.FCVolumeSource"), "A Fibre Channel disk."),
                Field("azureFile", 0, .ref("io.k8s.api.core.v1.AzureFileVolumeSource"), "An Azure File share."),
                Field("configMap", 0, .ref("io.k8s.api.core.v1.ConfigMapVolumeSource"), "A config map."),
                Field("vsphereVolume", 0, .ref("io.k8s.api.core.v1.VsphereVirtualDiskVolumeSource"), "A vSphere virtual disk."),
                Field("quobyte", 0, .ref("io.k8s.api.core.v1.QuobyteVolumeSource"), "A Quobyte volume."),
                Field("azureDisk", 0, .ref("io.k8s.api.core.v1.AzureDiskVolumeSource"), "An Azure data disk."),
                Field("photonPersistentDisk", 0, .ref("io.k8s.api.core.v1.PhotonPersistentDiskVolumeSource"), "A Photon Controller persistent disk."),
                Field("projected", 0, .ref("io.k8s.api.core.v1.ProjectedVolumeSource"), "Several sources projected into one directory."),
                Field("portworxVolume", 0, .ref("io.k8s.api.core.v1.PortworxVolumeSource"), "A Portworx volume."),
                Field("scaleIO", 0, .ref("io.k8s.api.core.v1.ScaleIOVolumeSource"), "A ScaleIO volume."),
                Field("storageos", 0, .ref("io.k8s.api.core.v1.StorageOSVolumeSource"), "A StorageOS volume."),
                Field("csi", 0, .ref("io.k8s.api.core.v1.CSIVolumeSource"), "A volume handled by a CSI driver."),
                Field("ephemeral", 0, .ref("io.k8s.api.core.v1.EphemeralVolumeSource"), "A volume backed by a claim created with the pod and deleted with it."),
                Field("image", 0, .ref("io.k8s.api.core.v1.ImageVolumeSource"), "The image to use."),
            ]),
        Definition(
            "io.k8s.api.core.v1.VolumeSource", "The source of a volume; exactly one member is set. Inlined into Volume in JSON.",
            fields: [
                Field("hostPath", 1, .ref("io.k8s.api.core.v1.HostPathVolumeSource"), "A file or directory on the node."),
                Field("emptyDir", 2, .ref("io.k8s.api.core.v1.EmptyDirVolumeSource"), "An empty directory that lives as long as the pod."),
                Field("gcePersistentDisk", 3, .ref("io.k8s.api.core.v1.GCEPersistentDiskVolumeSource"), "A Google Compute Engine persistent disk."),
                Field("awsElasticBlockStore", 4, .ref("io.k8s.api.core.v1.AWSElasticBlockStoreVolumeSource"), "An AWS Elastic Block Store volume."),
                Field("gitRepo", 5, .ref("io.k8s.api.core.v1.GitRepoVolumeSource"), "Deprecated: a directory cloned from a git repository."),
                Field("secret", 6, .ref("io.k8s.api.core.v1.SecretVolumeSource"), "A secret."),
                Field("nfs", 7, .ref("io.k8s.api.core.v1.NFSVolumeSource"), "An NFS export."),
                Field("iscsi", 8, .ref("io.k8s.api.core.v1.ISCSIVolumeSource"), "An iSCSI disk."),
                Field("glusterfs", 9, .ref("io.k8s.api.core.v1.GlusterfsVolumeSource"), "A Glusterfs volume."),
                Field("persistentVolumeClaim", 10, .ref("io.k8s.api.core.v1.PersistentVolumeClaimVolumeSource"), "A PersistentVolumeClaim in the pod's namespace."),
                Field("rbd", 11, .ref("io.k8s.api.core.v1.RBDVolumeSource"), "A Ceph Rados block device."),
                Field("flexVolume", 12, .ref("io.k8s.api.core.v1.FlexVolumeSource"), "A volume handled by an exec-based plugin."),
                Field("cinder", 13, .ref("io.k8s.api.core.v1.CinderVolumeSource"), "An OpenStack Cinder volume."),
                Field("cephfs", 14, .ref("io.k8s.api.core.v1.CephFSVolumeSource"), "A Ceph filesystem."),
                Field("flocker", 15, .ref("io.k8s.api.core.v1.FlockerVolumeSource"), "A Flocker volume."),
                Field("downwardAPI", 16, .ref("io.k8s.api.core.v1.DownwardAPIVolumeSource"), "Information about the pod."),
                Field("fc", 17, .ref("io.k8s.api.core.v1.FCVolumeSource"), "A Fibre Channel disk."),
                Field("azureFile", 18, .ref("io.k8s.api.core.v1.AzureFileVolumeSource"), "An Azure File share."),
                Field("configMap", 19, .ref("io.k8s.api.core.v1.ConfigMapVolumeSource"), "A config map."),
                Field("vsphereVolume", 20, .ref("io.k8s.api.core.v1.VsphereVirtualDiskVolumeSource"), "A vSphere virtual disk."),
                Field("quobyte", 21, .ref("io.k8s.api.core.v1.QuobyteVolumeSource"), "A Quobyte volume."),
                Field("azureDisk", 22, .ref("io.k8s.api.core.v1.AzureDiskVolumeSource"), "An Azure data disk."),
                Field("photonPersistentDisk", 23, .ref("io.k8s.api.core.v1.PhotonPersistentDiskVolumeSource"), "A Photon Controller persistent disk."),
                Field("projected", 26, .ref("io.k8s.api.core.v1.ProjectedVolumeSource"), "Several sources projected into one directory."),
                Field("portworxVolume", 24, .ref("io.k8s.api.core.v1.PortworxVolumeSource"), "A Portworx volume."),
                Field("scaleIO", 25, .ref("io.k8s.api.core.v1.ScaleIOVolumeSource"), "A ScaleIO volume."),
                Field("storageos", 27, .ref("io.k8s.api.core.v1.StorageOSVolumeSource"), "A StorageOS volume."),
                Field("csi", 28, .ref("io.k8s.api.core.v1.CSIVolumeSource"), "A volume handled by a CSI driver."),
                Field("ephemeral", 29, .ref("io.k8s.api.core.v1.EphemeralVolumeSource"), "A volume backed by a claim created with the pod and deleted with it."),
                Field("image", 30, .ref("io.k8s.api.core.v1.ImageVolumeSource"), "The image to use."),
            ]),
        Definition(
            "io.k8s.api.core.v1.HostPathVolumeSource", "A file or directory on the node.",
            fields: [
                Field("path", 1, .string(), "The path on the node.", required: true),
                Field("type", 2, .string(), "What must be at the path, e.g. Directory, DirectoryOrCreate, File.", presence: .pointer),
            ]),
        Definition(
            "io.k8s.api.core.v1.EmptyDirVolumeSource", "An empty directory that lives as long as the pod.",
            fields: [
                Field("medium", 1, .string(), "The storage medium: empty for the node's default, or Memory."),
                Field("sizeLimit", 2, .quantity, "The most local storage the volume may use."),
            ]),
        Definition(
            "io.k8s.api.core.v1.SecretVolumeSource", "A secret's keys as files.",
            fields: [
                Field("secretName", 1, .string(), "The name of the secret in the pod's namespace."),
                Field("items", 2, .array(.ref("io.k8s.api.core.v1.KeyToPath")), "The keys to project and the files they become; all keys when empty."),
                Field("defaultMode", 3, .int32, "The permission bits of created files, as an integer (default 0644).", presence: .pointer),
                Field("optional", 4, .boolean, "Whether the referenced object or key may be missing.", presence: .pointer),
            ]),
        Definition(
            "io.k8s.api.core.v1.ConfigMapVolumeSource", "A config map's keys as files.",
            fields: [
                Field("name", 0, .string(), "The name of the referenced object."),
                Field("items", 2, .array(.ref("io.k8s.api.core.v1.KeyToPath")), "The keys to project and the files they become; all keys when empty."),
                Field("defaultMode", 3, .int32, "The permission bits of created files, as an integer (default 0644).", presence: .pointer),
                Field("optional", 4, .boolean, "Whether the referenced object or key may be missing.", presence: .pointer),
            ]),
        Definition(
            "io.k8s.api.core.v1.KeyToPath", "Maps one key to a file path inside a volume.",
            fields: [
                Field("key", 1, .string(), "The key to project.", required: true),
                Field("path", 2, .string(), "The relative file path the key becomes.", required: true),
                Field("mode", 3, .int32, "The permission bits of this file; defaultMode when unset.", presence: .pointer),
            ]),
        Definition(
            "io.k8s.api.core.v1.DownwardAPIVolumeSource", "Files holding information about the pod.",
            fields: [
                Field("items", 1, .array(.ref("io.k8s.api.core.v1.DownwardAPIVolumeFile")), "The files of the volume."),
                Field("defaultMode", 2, .int32, "The permission bits of created files, as an integer (default 0644).", presence: .pointer),
            ]),
        Definition(
            "io.k8s.api.core.v1.DownwardAPIVolumeFile", "One file of a downward API volume.",
            fields: [
                Field("path", 1, .string(), "The relative path of the file.", required: true),
                Field("fieldRef", 2, .ref("io.k8s.api.core.v1.ObjectFieldSelector"), "The pod field the file holds."),
                Field("resourceFieldRef", 3, .ref("io.k8s.api.core.v1.ResourceFieldSelector"), "The container resource the file holds."),
                Field("mode", 4, .int32, "The permission bits of this file; defaultMode when unset.", presence: .pointer),
            ]),
        Definition(
            "io.k8s.api.core.v1.ProjectedVolumeSource", "Several sources projected into one directory.",
            fields: [
                Field("sources", 1, .array(.ref("io.k8s.api.core.v1.VolumeProjection")), "The projections that make up the volume."),
                Field("defaultMode", 2, .int32, "The permission bits of created files, as an integer (default 0644).", presence: .pointer),
            ]),
        Definition(
            "io.k8s.api.core.v1.VolumeProjection", "One source of a projected volume; exactly one member is set.",
            fields: [
                Field("secret", 1, .ref("io.k8s.api.core.v1.SecretProjection"), "A secret."),
                Field("downwardAPI", 2, .ref("io.k8s.api.core.v1.DownwardAPIProjection"), "Information about the pod."),
                Field("configMap", 3, .ref("io.k8s.api.core.v1.ConfigMapProjection"), "A config map."),
                Field("serviceAccountToken", 4, .ref("io.k8s.api.core.v1.ServiceAccountTokenProjection"), "A token for the pod's service account."),
                Field("clusterTrustBundle", 5, .ref("io.k8s.api.core.v1.ClusterTrustBundleProjection"), "A bundle of trusted certificates."),
            ]),
        Definition(
            "io.k8s.api.core.v1.SecretProjection", "A secret's keys in a projected volume.",
            fields: [
                Field("name", 0, .string(), "The name of the referenced object."),
                Field("items", 2, .array(.ref("io.k8s.api.core.v1.KeyToPath")), "The keys to project and the files they become; all keys when empty."),
                Field("optional", 4, .boolean, "Whether the referenced object or key may be missing.", presence: .pointer),
            ]),
        Definition(
            "io.k8s.api.core.v1.ConfigMapProjection", "A config map's keys in a projected volume.",
            fields: [
                Field("name", 0, .string(), "The name of the referenced object."),
                Field("items", 2, .array(.ref("io.k8s.api.core.v1.KeyToPath")), "The keys to project and the files they become; all keys when empty."),
                Field("optional", 4, .boolean, "Whether the referenced object or key may be missing.", presence: .pointer),
            ]),
        Definition(
            "io.k8s.api.core.v1.DownwardAPIProjection", "Pod information in a projected volume.",
            fields: [
                Field("items", 1, .array(.ref("io.k8s.api.core.v1.DownwardAPIVolumeFile")), "The files of the projection."),
            ]),
        Definition(
            "io.k8s.api.core.v1.ServiceAccountTokenProjection", "A service account token in a projected volume.",
            fields: [
                Field("audience", 1, .string(), "The audience the token is meant for."),
                Field("expirationSeconds", 2, .int64, "How long the token is valid, in seconds.", presence: .pointer),
                Field("path", 3, .string(), "The relative path of the token file.", required: true),
            ]),
        Definition(
            "io.k8s.api.core.v1.ClusterTrustBundleProjection", "Trusted certificates from ClusterTrustBundle objects in a projected volume.",
            fields: [
                Field("name", 1, .string(), "The name of one ClusterTrustBundle.", presence: .pointer),
                Field("signerName", 2, .string(), "Selects trust bundles by signer name.", presence: .pointer),
                Field("labelSelector", 3, .ref("io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector"), "Selects ClusterTrustBundles by label."),
                Field("optional", 5, .boolean, "Whether the referenced object or key may be missing.", presence: .pointer),
                Field("path", 4, .string(), "The relative path of the bundle file.", required: true),
            ]),
        Definition(
            "io.k8s.api.core.v1.PersistentVolumeClaimVolumeSource", "A reference to a PersistentVolumeClaim in the pod's namespace.",
            fields: [
                Field("claimName", 1, .string(), "The name of the PersistentVolumeClaim in the pod's namespace.", required: true),
                Field("readOnly", 2, .boolean, "Whether the volume is mounted read-only."),
            ]),
        Definition(
            "io.k8s.api.core.v1.NFSVolumeSource", "An NFS export.",
            fields: [
                Field("server", 1, .string(), "The host name or address of the NFS server.", required: true),
                Field("path", 2, .string(), "The exported path.", required: true),
                Field("readOnly", 3, .boolean, "Whether the export is mounted read-only."),
            ]),
        Definition(
            "io.k8s.api.core.v1.CSIVolumeSource", "An ephemeral volume handled by a CSI driver.",
            fields: [
                Field("driver", 1, .string(), "The name of the CSI driver.", required: true),
                Field("readOnly", 2, .boolean, "Whether the volume is read-only.", presence: .pointer),
                Field("fsType", 3, .string(), "The filesystem type to mount, e.g. ext4 or xfs.", presence: .pointer),
                Field("volumeAttributes", 4, .map(.string()), "Driver-specific attributes of the volume."),
                Field("nodePublishSecretRef", 5, .ref("io.k8s.api.core.v1.LocalObjectReference"), "The secret passed to the driver when the volume is published on a node."),
            ]),
        Definition(
            "io.k8s.api.core.v1.EphemeralVolumeSource", "A volume backed by a claim created for the pod and deleted with it.",
            fields: [
                Field("volumeClaimTemplate", 1, .ref("io.k8s.api.core.v1.PersistentVolumeClaimTemplate"), "The claim created for the pod."),
            ]),
        Definition(
            "io.k8s.api.core.v1.PersistentVolumeClaimTemplate", "The template of the claim an ephemeral volume creates.",
            fields: [
                Field("metadata", 1, .ref("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"), "Labels and annotations copied onto the created claim."),
                Field("spec", 2, .ref("io.k8s.api.core.v1.PersistentVolumeClaimSpec"), "The spec of the created claim.", required: true),
            ]),
        Definition(
            "io.k8s.api.core.v1.ImageVolumeSource", "An OCI image or artifact mounted as a volume.",
            fields: [
                Field("reference", 1, .string(), "The image or artifact reference to mount."),
                Field("pullPolicy", 2, .string(), "When to pull the image: Always, Never or IfNotPresent."),
            ]),
    ]
}
