package io.github.agentobservability.export;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * Keeps the spans of the last traces in memory, so that an application can show a
 * request's own trace (a waterfall on a page, an Actuator endpoint) without a tracing
 * backend, as Boot's {@code httpexchanges} does for requests. Memory is bounded by the
 * number of traces and the number of spans kept per trace.
 * <p>
 * Fed by {@link #exporter()} behind a batch span processor of its own; the store itself
 * is not a {@link SpanExporter}, so that Spring Boot does not also add it to its
 * composite exporter when it is a bean.
 */
public final class RecentTraces {

	private final int maxTraces;

	private final int maxSpansPerTrace;

	private final LinkedHashMap<String, List<SpanData>> traces;

	/**
	 * Creates the buffer.
	 * @param maxTraces how many traces to keep, the most recently updated
	 * @param maxSpansPerTrace how many spans to keep per trace; later ones are dropped
	 */
	public RecentTraces(int maxTraces, int maxSpansPerTrace) {
		if (maxTraces < 1 || maxSpansPerTrace < 1) {
			throw new IllegalArgumentException("maxTraces and maxSpansPerTrace must be positive");
		}
		this.maxTraces = maxTraces;
		this.maxSpansPerTrace = maxSpansPerTrace;
		this.traces = new LinkedHashMap<>(16, 0.75f, true) {

			@Override
			protected boolean removeEldestEntry(Map.Entry<String, List<SpanData>> eldest) {
				return size() > RecentTraces.this.maxTraces;
			}

		};
	}

	/**
	 * Returns an exporter that records into this store.
	 * @return the exporter
	 */
	public SpanExporter exporter() {
		return new SpanExporter() {

			@Override
			public CompletableResultCode export(Collection<SpanData> spans) {
				record(spans);
				return CompletableResultCode.ofSuccess();
			}

			@Override
			public CompletableResultCode flush() {
				return CompletableResultCode.ofSuccess();
			}

			@Override
			public CompletableResultCode shutdown() {
				return CompletableResultCode.ofSuccess();
			}

		};
	}

	synchronized void record(Collection<SpanData> spans) {
		for (SpanData span : spans) {
			List<SpanData> trace = this.traces.computeIfAbsent(span.getTraceId(), (id) -> new ArrayList<>());
			if (trace.size() < this.maxSpansPerTrace) {
				trace.add(span);
			}
		}
	}

	/**
	 * Returns the spans kept of one trace, by start time.
	 * @param traceId the trace id, 32 hex characters
	 * @return the spans, empty when the trace is not (or no longer) kept
	 */
	public synchronized List<SpanData> trace(String traceId) {
		List<SpanData> trace = this.traces.get(traceId);
		if (trace == null) {
			return List.of();
		}
		List<SpanData> sorted = new ArrayList<>(trace);
		sorted.sort(Comparator.comparingLong(SpanData::getStartEpochNanos));
		return sorted;
	}

	/**
	 * Returns every trace kept, most recently updated first.
	 * @return the traces' spans by trace id
	 */
	public synchronized List<List<SpanData>> traces() {
		List<List<SpanData>> all = new ArrayList<>(this.traces.size());
		this.traces.values().forEach((trace) -> all.add(0, List.copyOf(trace)));
		return all;
	}

}
