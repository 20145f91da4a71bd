package io.github.agentobservability.export.internal;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import io.github.agentobservability.internal.WarnOnce;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleCounterBuilder;
import io.opentelemetry.api.metrics.DoubleGaugeBuilder;
import io.opentelemetry.api.metrics.DoubleHistogramBuilder;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongCounterBuilder;
import io.opentelemetry.api.metrics.LongUpDownCounterBuilder;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.MeterBuilder;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.api.metrics.ObservableLongCounter;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import io.opentelemetry.context.Context;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Turns the OpenTelemetry SDK's own counts of lost spans into Micrometer counters and
 * one log line each: spans a batch span processor dropped because its queue was full
 * ({@code agent.spans.dropped}), and spans an OTLP exporter failed to deliver
 * ({@code agent.spans.export.failed}). When export works again after failing, that is
 * logged once too.
 * <p>
 * The SDK reports these through the OpenTelemetry metrics API only; the application's
 * metrics are Micrometer's. Every other instrument the SDK asks for is a no-op.
 */
public final class SpanExportMeterProvider implements MeterProvider {

	/** Name of the Micrometer counter of dropped spans. */
	public static final String METER_NAME = "agent.spans.dropped";

	/** Name of the Micrometer counter of spans an exporter failed to deliver. */
	public static final String EXPORT_FAILED_METER_NAME = "agent.spans.export.failed";

	/** Exporter counter up to SDK 1.5x: {@code otlp.exporter.exported}, {@code success}. */
	private static final String LEGACY_EXPORTED_SUFFIX = ".exporter.exported";

	/** Exporter counter of the SDK's semantic-convention telemetry. */
	private static final String EXPORTED = "otel.sdk.exporter.span.exported";

	private static final AttributeKey<Boolean> SUCCESS = AttributeKey.booleanKey("success");

	private static final Log logger = LogFactory.getLog(SpanExportMeterProvider.class);

	/** Batch span processor counter up to SDK 1.5x. */
	private static final String LEGACY_PROCESSED = "processedSpans";

	/** Batch span processor counter of the SDK's semantic-convention telemetry. */
	private static final String PROCESSED = "otel.sdk.processor.span.processed";

	private static final AttributeKey<Boolean> DROPPED = AttributeKey.booleanKey("dropped");

	private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

	private static final Meter NOOP = MeterProvider.noop().get("noop");

	private final Counter dropped;

	private final Counter exportFailed;

	private final String processor;

	private final WarnOnce droppedLog = new WarnOnce(logger);

	private final AtomicBoolean failing = new AtomicBoolean();

	private final WarnOnce exportFailedLog = new WarnOnce(logger);

	/**
	 * Creates the provider for one batch span processor.
	 * @param registry where the counter is registered
	 * @param processor the processor's name, the counter's {@code processor} tag
	 */
	public SpanExportMeterProvider(MeterRegistry registry, String processor) {
		this.processor = processor;
		this.dropped = Counter.builder(METER_NAME)
			.description("Spans dropped because a batch span processor's queue was full")
			.tag("processor", processor)
			.register(registry);
		this.exportFailed = Counter.builder(EXPORT_FAILED_METER_NAME)
			.description("Spans an exporter failed to deliver to its backend")
			.tag("processor", processor)
			.register(registry);
	}

	@Override
	public MeterBuilder meterBuilder(String instrumentationScopeName) {
		return new MeterBuilder() {

			@Override
			public MeterBuilder setSchemaUrl(String schemaUrl) {
				return this;
			}

			@Override
			public MeterBuilder setInstrumentationVersion(String instrumentationScopeVersion) {
				return this;
			}

			@Override
			public Meter build() {
				return new DroppedSpansMeter();
			}

		};
	}

	void recordProcessed(long count, Attributes attributes) {
		if (Boolean.TRUE.equals(attributes.get(DROPPED)) || attributes.get(ERROR_TYPE) != null) {
			this.dropped.increment(count);
			this.droppedLog.log(() -> "The '" + this.processor + "' span processor dropped spans: its queue is full "
					+ "because the exporter is slow or its backend is down. The application is not slowed; further "
					+ "drops are counted in " + METER_NAME + " and logged at DEBUG.",
					() -> "The '" + this.processor + "' span processor dropped " + count + " spans", null);
		}
	}

	void recordExported(long count, Attributes attributes) {
		if (Boolean.FALSE.equals(attributes.get(SUCCESS)) || attributes.get(ERROR_TYPE) != null) {
			this.exportFailed.increment(count);
			this.failing.set(true);
			this.exportFailedLog.log(() -> "The '" + this.processor + "' exporter cannot deliver spans: its backend "
					+ "is down or refuses them. The application is not slowed; failures are counted in "
					+ EXPORT_FAILED_METER_NAME + " and logged at DEBUG.",
					() -> "The '" + this.processor + "' exporter failed to deliver " + count + " spans", null);
		}
		else if (this.failing.compareAndSet(true, false)) {
			logger.info("The '" + this.processor + "' exporter delivers spans again");
		}
	}

	private final class DroppedSpansMeter implements Meter {

		@Override
		public LongCounterBuilder counterBuilder(String name) {
			if (LEGACY_PROCESSED.equals(name) || PROCESSED.equals(name)) {
				return new SpanCounterBuilder(SpanExportMeterProvider.this::recordProcessed);
			}
			if (name.endsWith(LEGACY_EXPORTED_SUFFIX) || EXPORTED.equals(name)) {
				return new SpanCounterBuilder(SpanExportMeterProvider.this::recordExported);
			}
			return NOOP.counterBuilder(name);
		}

		@Override
		public LongUpDownCounterBuilder upDownCounterBuilder(String name) {
			return NOOP.upDownCounterBuilder(name);
		}

		@Override
		public DoubleHistogramBuilder histogramBuilder(String name) {
			return NOOP.histogramBuilder(name);
		}

		@Override
		public DoubleGaugeBuilder gaugeBuilder(String name) {
			return NOOP.gaugeBuilder(name);
		}

	}

	private static final class SpanCounterBuilder implements LongCounterBuilder, LongCounter {

		private final BiConsumer<Long, Attributes> recorder;

		SpanCounterBuilder(BiConsumer<Long, Attributes> recorder) {
			this.recorder = recorder;
		}

		@Override
		public LongCounterBuilder setDescription(String description) {
			return this;
		}

		@Override
		public LongCounterBuilder setUnit(String unit) {
			return this;
		}

		@Override
		public DoubleCounterBuilder ofDoubles() {
			return NOOP.counterBuilder("noop").ofDoubles();
		}

		@Override
		public LongCounter build() {
			return this;
		}

		@Override
		public ObservableLongCounter buildWithCallback(Consumer<ObservableLongMeasurement> callback) {
			return NOOP.counterBuilder("noop").buildWithCallback(callback);
		}

		@Override
		public void add(long value) {
		}

		@Override
		public void add(long value, Attributes attributes) {
			this.recorder.accept(value, attributes);
		}

		@Override
		public void add(long value, Attributes attributes, Context context) {
			this.recorder.accept(value, attributes);
		}

	}

}
