package io.github.agentobservability.tracing;

import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;

/**
 * Logs failures of the instrumentation itself: the first at WARN, so that it is seen,
 * the rest at DEBUG, so that a broken handler on a hot path cannot flood the log.
 * Failures are logged, never thrown: they must not reach application code.
 */
public final class InstrumentationFailureLog {

	private final Log logger;

	private final AtomicBoolean warned = new AtomicBoolean();

	public InstrumentationFailureLog(Log logger) {
		this.logger = logger;
	}

	/**
	 * Logs one failure.
	 * @param what what was being done, for the message
	 * @param failure the failure
	 */
	public void log(String what, Throwable failure) {
		if (this.warned.compareAndSet(false, true)) {
			this.logger.warn("Instrumentation failed while " + what
					+ "; the application call went on untraced. Further failures are logged at DEBUG", failure);
		}
		else if (this.logger.isDebugEnabled()) {
			this.logger.debug("Instrumentation failed while " + what, failure);
		}
	}

}
