// Field numbers are those of Kubernetes' generated.proto; descriptions are Flotilla's own.

extension CoreV1Schemas {
    /// Events.
    static let eventDefinitions: [Definition] = [
        Definition(
            "io.k8s.api.core.v1.Event", "A report of something that happened to an object.",
            gvk: [GroupVersionKind("", "v1", "Event")], fields: [
                Field("apiVersion", 0, .string(), "The versioned schema of this object, e.g. v1."),
                Field("kind", 0, .string(), "The kind of this object, e.g. Event."),
                Field("metadata", 1, .ref("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"), "The object's name, namespace, labels and other metadata.", required: true),
                Field("involvedObject", 2, .ref("io.k8s.api.core.v1.ObjectReference"), "The object this event is about.", required: true),
                Field("reason", 3, .string(), "A short CamelCase word for what happened."),
                Field("message", 4, .string(), "A human-readable account of what happened."),
                Field("source", 5, .ref("io.k8s.api.core.v1.EventSource"), "The component that reported the event."),
                Field("firstTimestamp", 6, .time, "When the event was first seen."),
                Field("lastTimestamp", 7, .time, "When the event was last seen."),
                Field("count", 8, .int32, "How many times the event has happened."),
                Field("type", 9, .string(), "Normal or Warning."),
                Field("eventTime", 10, .microTime, "When the event was first observed, with microseconds."),
                Field("series", 11, .ref("io.k8s.api.core.v1.EventSeries"), "Data about a series of repeated events."),
                Field("action", 12, .string(), "What was done or failed."),
                Field("related", 13, .ref("io.k8s.api.core.v1.ObjectReference"), "A second object involved, if any."),
                Field("reportingComponent", 14, .string(), "The component that reported the event.", presence: .alwaysSerialized),
                Field("reportingInstance", 15, .string(), "The instance of the component that reported the event.", presence: .alwaysSerialized),
            ]),
        Definition(
            "io.k8s.api.core.v1.EventSource", "The component that reported an event.",
            fields: [
                Field("component", 1, .string(), "The component the event comes from."),
                Field("host", 2, .string(), "The node the event came from."),
            ]),
        Definition(
            "io.k8s.api.core.v1.EventSeries", "Data about a series of repeated events.",
            fields: [
                Field("count", 1, .int32, "How many events have happened in the series."),
                Field("lastObservedTime", 2, .microTime, "When the last event of the series was seen."),
            ]),
    ]
}
