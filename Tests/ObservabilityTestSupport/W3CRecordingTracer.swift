import Synchronization
import Tracing
import W3CTraceContext

/// An in-memory `Tracer` that propagates W3C Trace Context (`traceparent` / `tracestate`,
/// parsed and formatted by swift-w3c-trace-context) and keeps every finished span, so tests
/// see which trace each span joined and who its parent is.
public final class W3CRecordingTracer: Tracer, Sendable {
    /// A finished span as the tests read it.
    public struct FinishedSpan: Sendable {
        public let operationName: String
        public let kind: SpanKind
        public let traceID: String
        public let spanID: String
        /// The parent's span id: a local parent's, or the remote one from an extracted header.
        public let parentSpanID: String?
        /// The `tracestate` header value the span carries on, if any.
        public let traceState: String?
        public let attributes: SpanAttributes
        public let status: SpanStatus?
        public let errors: [String]
    }

    private let finished = Mutex<[FinishedSpan]>([])

    public init() {}

    /// Every span ended so far, in the order they ended.
    public var finishedSpans: [FinishedSpan] { finished.withLock { $0 } }

    /// The ended spans named `operationName`.
    public func spans(named operationName: String) -> [FinishedSpan] {
        finishedSpans.filter { $0.operationName == operationName }
    }

    func record(_ span: FinishedSpan) {
        finished.withLock { $0.append(span) }
    }

    public func startSpan<Instant: TracerInstant>(
        _ operationName: String, context: @autoclosure () -> ServiceContext, ofKind kind: SpanKind,
        at instant: @autoclosure () -> Instant, function: String, file fileID: String, line: UInt
    ) -> RecordingSpan {
        var context = context()
        let parent = context.w3cTraceContext
        let traceContext = TraceContext(
            traceID: parent?.traceID ?? .random(), spanID: .random(), flags: parent?.flags ?? .sampled,
            state: parent?.state ?? TraceState())
        context.w3cTraceContext = traceContext
        return RecordingSpan(
            operationName: operationName, kind: kind, context: context, traceContext: traceContext,
            parentSpanID: parent.map { "\($0.spanID)" }, tracer: self)
    }

    public func extract<Carrier, Extract: Extractor>(
        _ carrier: Carrier, into context: inout ServiceContext, using extractor: Extract
    ) where Extract.Carrier == Carrier {
        guard let traceParent = extractor.extract(key: "traceparent", from: carrier) else { return }
        let traceState = extractor.extract(key: "tracestate", from: carrier)
        // A header that does not parse is ignored, as W3C Trace Context asks: a new trace starts.
        guard let parsed = try? TraceContext(traceParentHeaderValue: traceParent, traceStateHeaderValue: traceState)
        else { return }
        context.w3cTraceContext = parsed
    }

    public func inject<Carrier, Inject: Injector>(
        _ context: ServiceContext, into carrier: inout Carrier, using injector: Inject
    ) where Inject.Carrier == Carrier {
        guard let traceContext = context.w3cTraceContext else { return }
        injector.inject(traceContext.traceParentHeaderValue, forKey: "traceparent", into: &carrier)
        if let state = traceContext.traceStateHeaderValue {
            injector.inject(state, forKey: "tracestate", into: &carrier)
        }
    }

    public func forceFlush() {}
}

/// A span of `W3CRecordingTracer`: mutable until it ends, then recorded once.
public final class RecordingSpan: Span, Sendable {
    private struct State {
        var operationName: String
        var attributes: SpanAttributes = [:]
        var status: SpanStatus?
        var errors: [String] = []
        var ended = false
    }

    public let context: ServiceContext
    private let kind: SpanKind
    private let traceContext: TraceContext
    private let parentSpanID: String?
    private let tracer: W3CRecordingTracer
    private let state: Mutex<State>

    init(operationName: String, kind: SpanKind, context: ServiceContext, traceContext: TraceContext,
         parentSpanID: String?, tracer: W3CRecordingTracer) {
        self.context = context
        self.kind = kind
        self.traceContext = traceContext
        self.parentSpanID = parentSpanID
        self.tracer = tracer
        self.state = Mutex(State(operationName: operationName))
    }

    public var operationName: String {
        get { state.withLock { $0.operationName } }
        set { state.withLock { $0.operationName = newValue } }
    }

    public var attributes: SpanAttributes {
        get { state.withLock { $0.attributes } }
        set { state.withLock { $0.attributes = newValue } }
    }

    public var isRecording: Bool { state.withLock { !$0.ended } }

    public func setStatus(_ status: SpanStatus) { state.withLock { $0.status = status } }
    public func addEvent(_ event: SpanEvent) {}
    public func addLink(_ link: SpanLink) {}

    public func recordError<Instant: TracerInstant>(
        _ error: any Error, attributes: SpanAttributes, at instant: @autoclosure () -> Instant
    ) {
        state.withLock { $0.errors.append("\(error)") }
    }

    public func end<Instant: TracerInstant>(at instant: @autoclosure () -> Instant) {
        let ended: State? = state.withLock { state in
            guard !state.ended else { return nil }
            state.ended = true
            return state
        }
        guard let ended else { return }
        tracer.record(W3CRecordingTracer.FinishedSpan(
            operationName: ended.operationName, kind: kind, traceID: "\(traceContext.traceID)",
            spanID: "\(traceContext.spanID)", parentSpanID: parentSpanID, traceState: traceContext.traceStateHeaderValue, attributes: ended.attributes,
            status: ended.status, errors: ended.errors))
    }
}

private enum W3CTraceContextKey: ServiceContextKey {
    typealias Value = TraceContext
}

extension ServiceContext {
    /// The W3C trace context of the current span (or the extracted remote parent).
    var w3cTraceContext: TraceContext? {
        get { self[W3CTraceContextKey.self] }
        set { self[W3CTraceContextKey.self] = newValue }
    }
}
