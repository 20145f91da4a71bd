package io.github.agentobservability.export.internal;

import io.opentelemetry.api.metrics.MeterProvider;

/**
 * Gives each of the starter's batch span processors the OpenTelemetry
 * {@link MeterProvider} through which the SDK reports what it dropped. A type of its own
 * so that the export wiring does not need Micrometer on the classpath.
 */
@FunctionalInterface
public interface SpanProcessorMeterProviders {

	/**
	 * Returns the meter provider for one processor.
	 * @param processor the processor's name, such as {@code jsonl}
	 * @return the meter provider
	 */
	MeterProvider forProcessor(String processor);

}
