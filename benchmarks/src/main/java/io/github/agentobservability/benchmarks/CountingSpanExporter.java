package io.github.agentobservability.benchmarks;

import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * A {@link SpanExporter} that only counts, and remembers the name of the last span: the
 * cheap exporter behind Boot's batch processor in the instrumentation benchmarks, so that
 * export cost is not measured there, and the proof that an arm really made spans.
 * Wrapping another exporter, it counts what reached it for the exporter benchmarks.
 */
public final class CountingSpanExporter implements SpanExporter {

	private final SpanExporter delegate;

	private final AtomicLong exported = new AtomicLong();

	private volatile String lastSpanName = "";

	public CountingSpanExporter() {
		this(null);
	}

	public CountingSpanExporter(SpanExporter delegate) {
		this.delegate = delegate;
	}

	@Override
	public CompletableResultCode export(Collection<SpanData> spans) {
		this.exported.addAndGet(spans.size());
		if (this.delegate != null) {
			return this.delegate.export(spans);
		}
		SpanData last = null;
		for (SpanData span : spans) {
			last = span;
		}
		if (last != null) {
			this.lastSpanName = last.getName();
		}
		return CompletableResultCode.ofSuccess();
	}

	public long getExported() {
		return this.exported.get();
	}

	public String getLastSpanName() {
		return this.lastSpanName;
	}

	@Override
	public CompletableResultCode flush() {
		return (this.delegate != null) ? this.delegate.flush() : CompletableResultCode.ofSuccess();
	}

	@Override
	public CompletableResultCode shutdown() {
		return (this.delegate != null) ? this.delegate.shutdown() : CompletableResultCode.ofSuccess();
	}

}
