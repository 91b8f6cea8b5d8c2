import FlotillaCore
import Foundation

/// The pods of a Job: made from its template (with the completion index of an Indexed job), and
/// what the controller reads back from them.
enum JobPods {
    /// The annotation (and label) carrying an Indexed job's completion index.
    static let completionIndexKey = "batch.kubernetes.io/job-completion-index"
    /// The environment variable that tells an Indexed job's containers their index.
    static let completionIndexVariable = "JOB_COMPLETION_INDEX"

    /// A new pod from the job's `spec.template`, named `<job>-<random>` (`<job>-<index>-<random>`
    /// when indexed) by the API server; an indexed pod also gets the index as annotation, label
    /// and `JOB_COMPLETION_INDEX` in every container, and the hostname `<job>-<index>`.
    static func make(job: JSON, ownerReference: JSON, index: Int?) -> JSON {
        let template = job["spec"]["template"]
        let jobName = job["metadata"]["name"].string ?? "job"
        var labels = template["metadata"]["labels"]
        var annotations = template["metadata"]["annotations"]
        var spec = template["spec"]
        var generateName = jobName + "-"
        if let index {
            generateName = "\(jobName)-\(index)-"
            labels[completionIndexKey] = .string(String(index))
            annotations[completionIndexKey] = .string(String(index))
            if (spec["hostname"].string ?? "").isEmpty { spec["hostname"] = .string("\(jobName)-\(index)") }
            for list in ["initContainers", "containers"] {
                guard var containers = spec[list].array else { continue }
                for c in containers.indices { addIndexVariable(&containers[c]) }
                spec[list] = .array(containers)
            }
        }
        var metadata: JSON = [
            "generateName": .string(generateName), "namespace": job["metadata"]["namespace"],
            "ownerReferences": [ownerReference],
        ]
        metadata["labels"] = labels
        metadata["annotations"] = annotations
        return ["apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": spec]
    }

    /// The completion index of an Indexed job's pod, if it carries a valid one.
    static func index(of pod: JSON) -> Int? {
        guard let text = pod["metadata"]["annotations"][completionIndexKey].string, let index = Int(text), index >= 0 else { return nil }
        return index
    }

    /// When a finished pod finished: its last container's termination, else when it stopped
    /// being Ready, else its creation.
    static func finishedAt(_ pod: JSON) -> Date? {
        let statuses = (pod["status"]["containerStatuses"].array ?? []) + (pod["status"]["initContainerStatuses"].array ?? [])
        let finishes = statuses.compactMap { $0["state"]["terminated"]["finishedAt"].string.flatMap(Timestamp.parse) }
        if let last = finishes.max() { return last }
        let ready = (pod["status"]["conditions"].array ?? []).first { $0["type"].string == "Ready" }
        return (ready?["lastTransitionTime"].string ?? pod["metadata"]["creationTimestamp"].string).flatMap(Timestamp.parse)
    }

    private static func addIndexVariable(_ container: inout JSON) {
        var env = container["env"].array ?? []
        guard !env.contains(where: { $0["name"].string == completionIndexVariable }) else { return }
        env.append([
            "name": .string(completionIndexVariable),
            "valueFrom": ["fieldRef": ["apiVersion": "v1", "fieldPath": .string("metadata.annotations['\(completionIndexKey)']")]],
        ])
        container["env"] = .array(env)
    }
}
