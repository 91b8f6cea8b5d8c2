import Prometheus
import Synchronization

/// The API server's Prometheus metrics, exposed in text format at `/metrics`:
///
/// - `apiserver_request_total{verb,resource,subresource,code}`
/// - `apiserver_request_duration_seconds{verb,resource,subresource}` (histogram; time to the
///   response head, so a watch counts until its stream starts)
/// - `apiserver_registered_watchers{resource}` (open watch streams)
/// - `apiserver_watch_events_total{resource}` (chunks sent on watch streams)
/// - `flotilla_store_operation_duration_seconds{operation}` (histogram, via ``InstrumentedStore``)
///
/// Collectors are cached per label set, so recording costs one lock and one dictionary lookup.
public final class APIMetrics: Sendable {
    /// The registry holding every collector; ``emit()`` renders it.
    public let registry: PrometheusCollectorRegistry

    private struct RequestKey: Hashable {
        var verb: String
        var resource: String
        var subresource: String
        var code: Int
    }

    private struct RouteKey: Hashable {
        var verb: String
        var resource: String
        var subresource: String
    }

    private struct Collectors {
        var requests: [RequestKey: Counter] = [:]
        var durations: [RouteKey: DurationHistogram] = [:]
        var watchers: [String: Gauge] = [:]
        var watchEvents: [String: Counter] = [:]
        var store: [String: DurationHistogram] = [:]
    }

    private let collectors = Mutex(Collectors())

    /// Kubernetes' request latency buckets, in seconds.
    static let requestBuckets: [Duration] = [
        0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60,
    ].map { Duration.nanoseconds(Int64($0 * 1e9)) }

    /// Store latency buckets, from 100 µs to 2.5 s.
    static let storeBuckets: [Duration] = [
        0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
    ].map { Duration.nanoseconds(Int64($0 * 1e9)) }

    private static var requestTotal: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "apiserver", metricName: "request", unitName: "total",
            helpText: "Requests by verb, resource, subresource and HTTP status code.")
    }
    private static var requestDuration: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "apiserver", metricName: "request_duration", unitName: "seconds",
            helpText: "Time from request to response head by verb, resource and subresource.")
    }
    private static var registeredWatchers: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "apiserver", metricName: "registered_watchers", unitName: "",
            helpText: "Watch streams currently open, by resource.")
    }
    private static var watchEventsTotal: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "apiserver", metricName: "watch_events", unitName: "total",
            helpText: "Chunks sent on watch streams, by resource.")
    }
    private static var storeDuration: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "flotilla", metricName: "store_operation_duration", unitName: "seconds",
            helpText: "Latency of store operations by operation.")
    }

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
    }

    /// Counts one finished request and its latency to the response head.
    public func recordRequest(_ info: RequestInfo, code: Int, duration: Duration) {
        let (counter, histogram) = collectors.withLock { c -> (Counter, DurationHistogram) in
            let key = RequestKey(verb: info.verb, resource: info.resource, subresource: info.subresource, code: code)
            let counter: Counter
            if let existing = c.requests[key] {
                counter = existing
            } else {
                counter = registry.makeCounter(descriptor: Self.requestTotal, labels: [
                    ("verb", info.verb), ("resource", info.resource), ("subresource", info.subresource), ("code", String(code)),
                ])
                c.requests[key] = counter
            }
            let route = RouteKey(verb: info.verb, resource: info.resource, subresource: info.subresource)
            let histogram: DurationHistogram
            if let existing = c.durations[route] {
                histogram = existing
            } else {
                histogram = registry.makeDurationHistogram(descriptor: Self.requestDuration, labels: [
                    ("verb", info.verb), ("resource", info.resource), ("subresource", info.subresource),
                ], buckets: Self.requestBuckets)
                c.durations[route] = histogram
            }
            return (counter, histogram)
        }
        counter.increment()
        histogram.record(duration)
    }

    /// The open-watch gauge of `resource`.
    public func watchers(_ resource: String) -> Gauge {
        collectors.withLock { c in
            if let existing = c.watchers[resource] { return existing }
            let gauge = registry.makeGauge(descriptor: Self.registeredWatchers, labels: [("resource", resource)])
            c.watchers[resource] = gauge
            return gauge
        }
    }

    /// The watch-chunk counter of `resource`.
    public func watchEvents(_ resource: String) -> Counter {
        collectors.withLock { c in
            if let existing = c.watchEvents[resource] { return existing }
            let counter = registry.makeCounter(descriptor: Self.watchEventsTotal, labels: [("resource", resource)])
            c.watchEvents[resource] = counter
            return counter
        }
    }

    /// The latency histogram of store operation `operation` (`get`, `list`, `create`, …).
    public func storeOperation(_ operation: String) -> DurationHistogram {
        collectors.withLock { c in
            if let existing = c.store[operation] { return existing }
            let histogram = registry.makeDurationHistogram(
                descriptor: Self.storeDuration, labels: [("operation", operation)], buckets: Self.storeBuckets)
            c.store[operation] = histogram
            return histogram
        }
    }

    /// Every metric in Prometheus text format.
    public func emit() -> [UInt8] {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return buffer
    }
}
