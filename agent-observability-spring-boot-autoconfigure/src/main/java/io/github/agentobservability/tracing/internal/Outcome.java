package io.github.agentobservability.tracing.internal;

/**
 * How an instrumented call ended, as the {@code status} of a {@code @Traced} observation
 * and the {@code outcome} tag of the agent meters spell it.
 * <p>
 * Defined once because spans and meters are two views of the same calls: a dashboard that
 * joins them, or an alert that filters on {@code outcome="error"}, depends on both
 * spelling every outcome alike.
 */
public enum Outcome {

	/** The call returned, or its result completed, normally. */
	SUCCESS("success"),

	/** The call threw, its result completed exceptionally, or it was marked as an error. */
	ERROR("error"),

	/** The caller gave up on the result (a cancelled future or subscription) first. */
	CANCELLED("cancelled");

	private final String value;

	Outcome(String value) {
		this.value = value;
	}

	/**
	 * Returns the outcome of a call; a cancelled call counts as cancelled even when its
	 * cancellation surfaced as a failure.
	 * @param cancelled whether the caller gave up on the result
	 * @param failed whether the call failed
	 * @return the outcome
	 */
	public static Outcome of(boolean cancelled, boolean failed) {
		if (cancelled) {
			return CANCELLED;
		}
		return failed ? ERROR : SUCCESS;
	}

	/**
	 * Returns the value of the {@code status} key and of the {@code outcome} tag.
	 * @return {@code success}, {@code error} or {@code cancelled}
	 */
	public String value() {
		return this.value;
	}

}
