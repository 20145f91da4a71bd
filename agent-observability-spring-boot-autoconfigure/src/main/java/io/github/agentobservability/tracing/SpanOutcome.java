package io.github.agentobservability.tracing;

import io.micrometer.observation.Observation;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;

/**
 * Ends the span of an observation with the observation's outcome as its status:
 * {@link StatusCode#OK OK} when it succeeded, and the {@link StatusCode#ERROR ERROR}
 * already recorded from its error when it failed.
 * <p>
 * Micrometer's bridge ends a span only after copying all of its data to see whether a
 * status was set by hand; for a span with Spring AI's attributes, that copy costs more
 * than the rest of its handling. The spans ended here take their status from their
 * observation only: a status set by hand on them is replaced on success.
 */
public final class SpanOutcome {

	private SpanOutcome() {
	}

	/**
	 * Ends the span.
	 * @param span the observation's span
	 * @param context the observation's context, whose error decides the status
	 */
	public static void end(Span span, Observation.ContextView context) {
		if (context.getError() == null) {
			span.setStatus(StatusCode.OK);
		}
		span.end();
	}

}
