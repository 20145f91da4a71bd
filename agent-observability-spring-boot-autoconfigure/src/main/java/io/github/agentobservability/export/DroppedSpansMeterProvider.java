package io.github.agentobservability.export;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

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
 * Turns the OpenTelemetry SDK's own count of spans a batch span processor dropped (its
 * queue was full: the exporter is slow or its backend is down) into the Micrometer
 * counter {@code agent.spans.dropped}, and logs the first drop of each processor once.
 * <p>
 * The SDK reports this through the OpenTelemetry metrics API only; the application's
 * metrics are Micrometer's. Every other instrument the SDK asks for is a no-op.
 */
public final class DroppedSpansMeterProvider implements MeterProvider {

	/** Name of the Micrometer counter. */
	public static final String METER_NAME = "agent.spans.dropped";

	private static final Log logger = LogFactory.getLog(DroppedSpansMeterProvider.class);

	/** Batch span processor counter up to SDK 1.5x. */
	private static final String LEGACY_PROCESSED = "processedSpans";

	/** Batch span processor counter of the SDK's semantic-convention telemetry. */
	private static final String PROCESSED = "otel.sdk.processor.span.processed";

	private static final AttributeKey<Boolean> DROPPED = AttributeKey.booleanKey("dropped");

	private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

	private static final Meter NOOP = MeterProvider.noop().get("noop");

	private final Counter dropped;

	private final String processor;

	private final AtomicBoolean warned = new AtomicBoolean();

	/**
	 * Creates the provider for one batch span processor.
	 * @param registry where the counter is registered
	 * @param processor the processor's name, the counter's {@code processor} tag
	 */
	public DroppedSpansMeterProvider(MeterRegistry registry, String processor) {
		this.processor = processor;
		this.dropped = Counter.builder(METER_NAME)
			.description("Spans dropped because a batch span processor's queue was full")
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
			if (this.warned.compareAndSet(false, true)) {
				logger.warn("The '" + this.processor + "' span processor dropped spans: its queue is full because the "
						+ "exporter is slow or its backend is down. The application is not slowed; further drops are "
						+ "counted in " + METER_NAME + " and logged at DEBUG.");
			}
			else if (logger.isDebugEnabled()) {
				logger.debug("The '" + this.processor + "' span processor dropped " + count + " spans");
			}
		}
	}

	private final class DroppedSpansMeter implements Meter {

		@Override
		public LongCounterBuilder counterBuilder(String name) {
			return (LEGACY_PROCESSED.equals(name) || PROCESSED.equals(name)) ? new ProcessedSpansCounterBuilder()
					: NOOP.counterBuilder(name);
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

	private final class ProcessedSpansCounterBuilder implements LongCounterBuilder, LongCounter {

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
			recordProcessed(value, attributes);
		}

		@Override
		public void add(long value, Attributes attributes, Context context) {
			recordProcessed(value, attributes);
		}

	}

}
