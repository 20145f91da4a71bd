package io.github.agentobservability.export;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.jspecify.annotations.Nullable;

/**
 * Counts, per trace, the spans started and not yet ended, and those not yet handed to an
 * exporter, so that the console exporter can print a trace once all of it has arrived,
 * not when its local root ends: a stream's span often ends a few milliseconds after the
 * HTTP span above it.
 * <p>
 * An exporter sees ended spans only; this {@link SpanProcessor} sees them start. Register
 * it before the batch processor it serves, and wrap that processor's exporter with
 * {@link #delivering(SpanExporter)} outermost, before any filter that can drop spans, so
 * that a span is counted as delivered whether the exporter keeps it or not. Spans the
 * batch processor does not export (unsampled ones, unless it exports those too) are not
 * counted.
 * <p>
 * It sits on the path of every span: one map update per start, end and delivery, no lock
 * shared across traces. Memory is bounded by {@value #MAX_TRACES} traces; past that (spans
 * that never end, or dropped by a full queue, leave their trace behind), the counts start
 * afresh, and the traces open at that moment are printed as their local roots end, as
 * without this processor. Thread-safe.
 */
public final class OpenSpans implements SpanProcessor {

	static final int MAX_TRACES = 10_000;

	private static final Remaining NONE = new Remaining(0, 0);

	private static final Remaining STARTED = new Remaining(1, 1);

	private final boolean includeUnsampled;

	private final Map<String, Remaining> traces = new ConcurrentHashMap<>();

	/**
	 * Creates the counter.
	 * @param includeUnsampled whether the batch processor it serves exports unsampled
	 * spans too
	 */
	public OpenSpans(boolean includeUnsampled) {
		this.includeUnsampled = includeUnsampled;
	}

	@Override
	public void onStart(Context parentContext, ReadWriteSpan span) {
		if (isExported(span)) {
			String traceId = span.getSpanContext().getTraceId();
			if (this.traces.size() >= MAX_TRACES && !this.traces.containsKey(traceId)) {
				this.traces.clear();
			}
			this.traces.merge(traceId, STARTED, Remaining::plus);
		}
	}

	@Override
	public boolean isStartRequired() {
		return true;
	}

	@Override
	public void onEnd(ReadableSpan span) {
		if (isExported(span)) {
			this.traces.computeIfPresent(span.getSpanContext().getTraceId(), (traceId, remaining) -> remaining.ended());
		}
	}

	@Override
	public boolean isEndRequired() {
		return true;
	}

	private boolean isExported(ReadableSpan span) {
		return this.includeUnsampled || span.getSpanContext().isSampled();
	}

	/**
	 * Returns what is still to come of a trace.
	 * @param traceId the trace id
	 * @return the spans of the trace still open and not yet delivered; none for a trace
	 * this processor has not seen or has forgotten
	 */
	public Remaining remaining(String traceId) {
		return this.traces.getOrDefault(traceId, NONE);
	}

	/**
	 * Forgets a trace, once it is printed whatever is still to come.
	 * @param traceId the trace id
	 */
	public void forget(String traceId) {
		this.traces.remove(traceId);
	}

	/**
	 * Returns an exporter that counts every span handed to it as delivered, then hands it
	 * on.
	 * @param exporter the exporter of the batch processor this counter serves
	 * @return the counting exporter
	 */
	public SpanExporter delivering(SpanExporter exporter) {
		return new DeliveringSpanExporter(exporter);
	}

	private void delivered(SpanData span) {
		this.traces.computeIfPresent(span.getTraceId(), (traceId, remaining) -> remaining.delivered());
	}

	@Override
	public CompletableResultCode shutdown() {
		this.traces.clear();
		return CompletableResultCode.ofSuccess();
	}

	/**
	 * What is still to come of a trace. A span is delivered after it ends, so there are
	 * never more spans open than undelivered.
	 *
	 * @param open spans started and not yet ended
	 * @param undelivered spans started and not yet handed to the exporter, open ones
	 * included
	 */
	public record Remaining(int open, int undelivered) {

		Remaining plus(Remaining other) {
			return new Remaining(this.open + other.open, this.undelivered + other.undelivered);
		}

		Remaining ended() {
			return new Remaining(Math.max(0, this.open - 1), this.undelivered);
		}

		/** {@code null}, which removes the trace, when nothing is left to come. */
		@Nullable Remaining delivered() {
			return (this.undelivered > 1) ? new Remaining(Math.min(this.open, this.undelivered - 1), this.undelivered - 1)
					: null;
		}

	}

	private final class DeliveringSpanExporter implements SpanExporter {

		private final SpanExporter delegate;

		DeliveringSpanExporter(SpanExporter delegate) {
			this.delegate = delegate;
		}

		@Override
		public CompletableResultCode export(Collection<SpanData> spans) {
			for (SpanData span : spans) {
				delivered(span);
			}
			return this.delegate.export(spans);
		}

		@Override
		public CompletableResultCode flush() {
			return this.delegate.flush();
		}

		@Override
		public CompletableResultCode shutdown() {
			return this.delegate.shutdown();
		}

		@Override
		public String toString() {
			return this.delegate.toString();
		}

	}

}
