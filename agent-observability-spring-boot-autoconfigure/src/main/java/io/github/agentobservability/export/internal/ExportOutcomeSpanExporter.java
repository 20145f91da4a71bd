package io.github.agentobservability.export.internal;

import java.util.Collection;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * Reports whether each batch reached its destination, through the same OpenTelemetry
 * counter the SDK's OTLP exporters use ({@code otel.sdk.exporter.span.exported}, with
 * {@code error.type} on failure), so that a full disk under the JSON-lines exporter is
 * counted and logged like a dead OTLP backend.
 */
public final class ExportOutcomeSpanExporter implements SpanExporter {

	private static final Attributes SUCCESS = Attributes.empty();

	private static final Attributes FAILURE = Attributes.of(AttributeKey.stringKey("error.type"), "export_failed");

	private final SpanExporter delegate;

	private final LongCounter exported;

	/**
	 * Wraps an exporter.
	 * @param delegate the exporter
	 * @param meterProvider where the outcome is reported
	 */
	public ExportOutcomeSpanExporter(SpanExporter delegate, MeterProvider meterProvider) {
		this.delegate = delegate;
		this.exported = meterProvider.get("io.github.agentobservability.export")
			.counterBuilder("otel.sdk.exporter.span.exported")
			.build();
	}

	@Override
	public CompletableResultCode export(Collection<SpanData> spans) {
		int count = spans.size();
		CompletableResultCode result = this.delegate.export(spans);
		result.whenComplete(() -> this.exported.add(count, result.isSuccess() ? SUCCESS : FAILURE));
		return result;
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
