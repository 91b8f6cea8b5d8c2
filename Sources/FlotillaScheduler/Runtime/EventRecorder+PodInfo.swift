import FlotillaClient

extension EventRecorder {
    /// Queues an event about a pod the scheduler knows.
    func record(_ pod: PodInfo, type: String, reason: String, message: String) {
        record(namespace: pod.namespace, podName: pod.name, uid: pod.uid, type: type, reason: reason, message: message)
    }
}
