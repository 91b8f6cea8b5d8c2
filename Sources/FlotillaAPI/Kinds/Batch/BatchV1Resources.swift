import FlotillaCore

/// The batch/v1 resources, contributed to ``ResourceCatalog``.
public enum BatchV1Resources {
    public static let all: [ResourceDefinition] = [jobs, cronJobs]

    static let jobs = ResourceDefinition(
        group: "batch", version: "v1", kind: "Job", plural: "jobs", namespaced: true,
        categories: ["all"], subresources: [Subresources.status("batch", "v1", "Job")],
        schema: BatchV1Schemas.prefix + "Job", hasStatusSubresource: true,
        columns: BatchV1Columns.jobs,
        defaulter: { BatchV1Defaults.job(&$0) },
        validator: { BatchV1Validation.job($0, $1) })

    static let cronJobs = ResourceDefinition(
        group: "batch", version: "v1", kind: "CronJob", plural: "cronjobs", namespaced: true,
        shortNames: ["cj"], categories: ["all"], subresources: [Subresources.status("batch", "v1", "CronJob")],
        schema: BatchV1Schemas.prefix + "CronJob", hasStatusSubresource: true,
        columns: BatchV1Columns.cronJobs,
        defaulter: { BatchV1Defaults.cronJob(&$0) },
        validator: { BatchV1Validation.cronJob($0, $1) })
}
