package io.github.agentobservability.tracing;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Turns a {@code @Traced} call into a span name and attributes. Declare a bean of this
 * type to change them; extend {@link DefaultTracedObservationConvention} to change one.
 */
public interface TracedObservationConvention extends ObservationConvention<TracedObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof TracedObservationContext;
	}

}
