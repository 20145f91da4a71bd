package io.github.agentobservability.export;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * {@code /actuator/agenttraces}: the last traces the application recorded, and one trace's
 * spans, from {@link RecentTraces}. Not exposed over HTTP unless listed in
 * {@code management.endpoints.web.exposure.include}.
 */
@Endpoint(id = "agenttraces")
public class AgentTracesEndpoint {

	private final RecentTraces recentTraces;

	public AgentTracesEndpoint(RecentTraces recentTraces) {
		this.recentTraces = recentTraces;
	}

	@ReadOperation
	public List<TraceSummary> traces() {
		return this.recentTraces.traces().stream().map(AgentTracesEndpoint::summary).toList();
	}

	@ReadOperation
	public @Nullable TraceDescriptor trace(@Selector String traceId) {
		List<SpanData> spans = this.recentTraces.trace(traceId);
		if (spans.isEmpty()) {
			return null;
		}
		return new TraceDescriptor(traceId, spans.stream().map(AgentTracesEndpoint::describe).toList());
	}

	private static TraceSummary summary(List<SpanData> spans) {
		SpanData root = spans.stream()
			.filter((span) -> !span.getParentSpanContext().isValid() || span.getParentSpanContext().isRemote())
			.findFirst()
			.orElse(spans.get(0));
		boolean error = spans.stream().anyMatch((span) -> span.getStatus().getStatusCode() == StatusCode.ERROR);
		return new TraceSummary(root.getTraceId(), root.getName(), root.getStartEpochNanos(),
				(root.getEndEpochNanos() - root.getStartEpochNanos()) / 1e6, spans.size(), error ? "ERROR" : "OK");
	}

	private static SpanDescriptor describe(SpanData span) {
		Map<String, Object> attributes = new LinkedHashMap<>();
		span.getAttributes().forEach((AttributeKey<?> key, Object value) -> attributes.put(key.getKey(), value));
		return new SpanDescriptor(span.getSpanId(),
				span.getParentSpanContext().isValid() ? span.getParentSpanId() : null, span.getName(),
				span.getKind().name(), span.getStartEpochNanos(), span.getEndEpochNanos(),
				(span.getEndEpochNanos() - span.getStartEpochNanos()) / 1e6, span.getStatus().getStatusCode().name(),
				span.getStatus().getDescription(), attributes);
	}

	/**
	 * One trace in the list.
	 *
	 * @param traceId the trace id
	 * @param name name of its root span
	 * @param startTimeUnixNano start of its root span
	 * @param durationMs duration of its root span
	 * @param spanCount spans kept
	 * @param status {@code ERROR} when any span failed, else {@code OK}
	 */
	public record TraceSummary(String traceId, String name, long startTimeUnixNano, double durationMs, int spanCount,
			String status) {
	}

	/**
	 * One trace's spans, by start time.
	 *
	 * @param traceId the trace id
	 * @param spans the spans
	 */
	public record TraceDescriptor(String traceId, List<SpanDescriptor> spans) {
	}

	/**
	 * One span.
	 *
	 * @param spanId the span id
	 * @param parentSpanId the parent's id, {@code null} for a root
	 * @param name the name
	 * @param kind the kind
	 * @param startTimeUnixNano start
	 * @param endTimeUnixNano end
	 * @param durationMs duration
	 * @param status {@code UNSET}, {@code OK} or {@code ERROR}
	 * @param statusMessage the status description
	 * @param attributes the attributes, typed
	 */
	public record SpanDescriptor(String spanId, @Nullable String parentSpanId, String name, String kind,
			long startTimeUnixNano, long endTimeUnixNano, double durationMs, String status, String statusMessage,
			Map<String, Object> attributes) {
	}

}
