package io.github.agentobservability.metrics;

import io.github.agentobservability.tracing.TracedObservationContext;
import io.micrometer.core.instrument.observation.MeterObservationHandler;
import io.micrometer.observation.Observation;

/**
 * Claims {@code @Traced} observations within Spring Boot's meter handler group, ahead of
 * its default handler, so that they stay spans only.
 * <p>
 * Boot runs the first meter handler that supports a context. Left to its default
 * handler, every traced call would also pay for a timer and a long task timer, and the
 * {@code traced} timer would take a different tag set per method, which Prometheus
 * rejects. Agent-level meters are recorded by the handlers of the metrics feature.
 */
public class TracedMeterObservationHandler implements MeterObservationHandler<TracedObservationContext> {

	@Override
	public boolean supportsContext(Observation.Context context) {
		return context instanceof TracedObservationContext;
	}

}
