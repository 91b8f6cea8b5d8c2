import FlotillaCore

/// Whether an object's update changed nothing but its `status` and the bookkeeping of every
/// write (`metadata.resourceVersion`, `metadata.managedFields`). A controller that derives
/// the status need not sync again after writing it: that sync would count what it just wrote.
enum StatusOnlyUpdate {
    static func matches(old: JSON, new: JSON) -> Bool {
        old["spec"] == new["spec"] && withoutBookkeeping(old["metadata"]) == withoutBookkeeping(new["metadata"])
    }

    private static func withoutBookkeeping(_ metadata: JSON) -> JSON {
        var metadata = metadata
        metadata["resourceVersion"] = nil
        metadata["managedFields"] = nil
        return metadata
    }
}
