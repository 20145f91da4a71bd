package io.github.agentobservability.metrics.internal;

import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.logging.LoggingMeterRegistry;
import io.micrometer.core.instrument.logging.LoggingRegistryConfig;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Prints the agent meters to the log every interval, like the tutorial's console metric
 * exporter, through Micrometer's own {@link LoggingMeterRegistry}.
 * <p>
 * The logging registry is not a bean: a second {@code MeterRegistry} bean would make the
 * application's registry ambiguous. Instead the agent meters are recorded on a composite
 * of the application's registry and the logging one, so Prometheus sees them as before
 * and the log sees only them.
 */
public final class ConsoleMetricsReporter implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(ConsoleMetricsReporter.class);

	private final LoggingMeterRegistry logging;

	private final CompositeMeterRegistry registry;

	/**
	 * Starts printing.
	 * @param application the application's registry, which keeps receiving the meters
	 * @param interval how often to print
	 * @param clock the clock
	 */
	public ConsoleMetricsReporter(MeterRegistry application, Duration interval, Clock clock) {
		this.logging = LoggingMeterRegistry.builder(new IntervalConfig(interval))
			.clock(clock)
			.loggingSink(logger::info)
			.build();
		this.registry = new CompositeMeterRegistry(clock, List.of(application, this.logging));
	}

	/**
	 * The registry the agent meters are recorded on.
	 * @return a composite of the application's registry and the logging one
	 */
	public MeterRegistry getRegistry() {
		return this.registry;
	}

	/**
	 * Prints a last time and stops.
	 */
	@Override
	public void close() {
		this.logging.close();
	}

	private record IntervalConfig(Duration step) implements LoggingRegistryConfig {

		@Override
		public @Nullable String get(String key) {
			return null;
		}

	}

}
