package io.github.agentobservability.tracing.internal;

import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * Ends the observation of an asynchronous call exactly once, on whichever thread the
 * result completes. A publisher subscribed twice or a stage completed after a
 * cancellation must not end the span twice.
 */
final class ObservationCompletion {

	private static final AtomicIntegerFieldUpdater<ObservationCompletion> STOPPED = AtomicIntegerFieldUpdater
		.newUpdater(ObservationCompletion.class, "stopped");

	private final Observation observation;

	private final TracedCall context;

	private final InstrumentationFailureLog failures;

	private volatile int stopped;

	ObservationCompletion(Observation observation, TracedCall context,
			InstrumentationFailureLog failures) {
		this.observation = observation;
		this.context = context;
		this.failures = failures;
	}

	Observation getObservation() {
		return this.observation;
	}

	/**
	 * Takes a value the result produced: an agent run's text output counts toward its
	 * {@code agent.output_length}.
	 */
	void output(@Nullable Object value) {
		if (isAgentRun()) {
			this.context.addAgentOutput(value);
		}
	}

	boolean isAgentRun() {
		return this.context.getTracedMethod().getAgentName() != null;
	}

	void complete(@Nullable Throwable error) {
		error = Failures.unwrap(error);
		if (error instanceof CancellationException) {
			cancel();
		}
		else if (error != null) {
			error(error);
		}
		else {
			stop();
		}
	}

	void error(Throwable error) {
		if (this.stopped == 0) {
			try {
				this.observation.error(error);
			}
			catch (RuntimeException ex) {
				this.failures.log("recording an error", ex);
			}
		}
		stop();
	}

	void cancel() {
		this.context.markCancelled();
		stop();
	}

	void stop() {
		if (STOPPED.compareAndSet(this, 0, 1)) {
			try {
				this.observation.stop();
			}
			catch (RuntimeException ex) {
				this.failures.log("stopping an observation", ex);
				ObservationLeftovers.endSpan(this.context);
			}
		}
	}

}
