package io.github.agentobservability.tracing.internal;

import io.github.agentobservability.internal.WarnOnce;
import org.apache.commons.logging.Log;

/**
 * Logs failures of the instrumentation itself: the first at WARN, so that it is seen,
 * the rest at DEBUG, so that a broken handler on a hot path cannot flood the log.
 * Failures are logged, never thrown: they must not reach application code. The
 * warn-once policy is {@link WarnOnce}'s; this class only words the messages.
 */
public final class InstrumentationFailureLog {

	private final WarnOnce log;

	public InstrumentationFailureLog(Log logger) {
		this.log = new WarnOnce(logger);
	}

	/**
	 * Logs one failure.
	 * @param what what was being done, for the message
	 * @param failure the failure
	 */
	public void log(String what, Throwable failure) {
		this.log.log(
				() -> "Instrumentation failed while " + what
						+ "; the application call went on untraced. Further failures are logged at DEBUG",
				() -> "Instrumentation failed while " + what, failure);
	}

}
