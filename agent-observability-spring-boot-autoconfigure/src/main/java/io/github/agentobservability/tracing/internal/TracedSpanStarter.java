package io.github.agentobservability.tracing.internal;


/**
 * Starts the span of a {@code @Traced} call before its observation, so that the sampler's
 * decision is known first. A call whose span is not recorded then skips its observation:
 * with sampling on, most calls are not recorded, and for them the observation would be
 * almost all of the cost. Agent entry points are observed either way, since their meters
 * count every run.
 * <p>
 * The observation's tracing handler takes the started span over (see
 * {@link TracedCall#getStartedSpan()}); without a starter, the handler
 * starts the span itself.
 *
 * @see TracedTracingObservationHandler
 */
@FunctionalInterface
public interface TracedSpanStarter {

	/**
	 * Starts the span of a call, as a child of the span current on this thread.
	 * @param method the called method
	 * @return the started span, not yet current
	 */
	StartedSpan start(TracedMethod method);

	/**
	 * A span started ahead of its observation.
	 */
	interface StartedSpan {

		/**
		 * Whether the span records anything; {@code false} when the sampler dropped it.
		 * @return whether the span is recording
		 */
		boolean isRecording();

		/**
		 * Makes the span current on this thread, for a call made without an observation,
		 * so that what the call starts is not recorded either.
		 * @return the scope to close when the call returns
		 */
		SpanScope makeCurrent();

		/**
		 * Ends the span, for a call whose observation failed before its tracing handler
		 * could end it; ending it again does nothing.
		 */
		void end();

	}

	/**
	 * Restores what was current before {@link StartedSpan#makeCurrent()}.
	 */
	interface SpanScope extends AutoCloseable {

		@Override
		void close();

	}

}
