package io.github.agentobservability.tracing;

import io.micrometer.observation.Observation;

/**
 * One call of a {@code @Traced} method, as the observation convention and handlers see it.
 */
public class TracedObservationContext extends Observation.Context {

	private static final Object[] NO_ARGUMENTS = {};

	private final TracedMethod tracedMethod;

	private final Object[] arguments;

	private volatile boolean cancelled;

	/**
	 * Creates a context for one call.
	 * @param tracedMethod the method being called
	 * @param arguments the call's arguments, read only if the method binds some to
	 * attributes
	 */
	public TracedObservationContext(TracedMethod tracedMethod, Object[] arguments) {
		this.tracedMethod = tracedMethod;
		this.arguments = arguments;
	}

	TracedObservationContext(TracedMethod tracedMethod) {
		this(tracedMethod, NO_ARGUMENTS);
	}

	public TracedMethod getTracedMethod() {
		return this.tracedMethod;
	}

	public Object[] getArguments() {
		return this.arguments;
	}

	/**
	 * Whether the caller gave up on the result (a cancelled future or subscription)
	 * before it completed.
	 * @return whether the call was cancelled
	 */
	public boolean isCancelled() {
		return this.cancelled;
	}

	void markCancelled() {
		this.cancelled = true;
	}

}
