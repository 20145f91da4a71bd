package io.github.agentobservability.tracing.internal;

import io.github.agentobservability.tracing.internal.TracedSpanStarter.StartedSpan;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.CurrentTraceContext;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.handler.TracingObservationHandler.TracingContext;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * Puts right what an {@code ObservationHandler} that throws leaves behind. Micrometer
 * calls handlers one after the other without catching: when one fails, the handlers after
 * it never hear of the step, so a span may stay open, its scope current, or the
 * observation current on the thread, and every later observation on that (pooled) thread
 * would become its child. Only used on those failure paths.
 */
final class ObservationLeftovers {

	private static final boolean TRACING_PRESENT = ClassUtils.isPresent(
			"io.micrometer.tracing.handler.TracingObservationHandler", ObservationLeftovers.class.getClassLoader());

	private ObservationLeftovers() {
	}

	/**
	 * Ends the call's span, whichever tracing handler started it, or the span started
	 * ahead of the observation if no handler took it over. Ending an ended span does
	 * nothing, with OpenTelemetry and Brave alike.
	 */
	static void endSpan(TracedCall context) {
		try {
			if (TRACING_PRESENT && Tracing.endSpan(context)) {
				return;
			}
			StartedSpan started = context.getStartedSpan();
			if (started != null) {
				started.end();
			}
		}
		catch (RuntimeException ex) {
			// Nothing more can be done for this span; the failure was logged by the caller.
		}
	}

	/**
	 * Closes the scope in which the tracing handler made the call's span current on this
	 * thread, if it is still open.
	 */
	static void closeSpanScope(TracedCall context) {
		try {
			if (TRACING_PRESENT) {
				Tracing.closeScope(context);
			}
		}
		catch (RuntimeException ex) {
			// As above.
		}
	}

	/**
	 * Makes the scope that was current before the call current again.
	 */
	static void restoreScope(ObservationRegistry registry, Observation.@Nullable Scope enclosing) {
		if (registry.getCurrentObservationScope() != enclosing) {
			registry.setCurrentObservationScope(enclosing);
		}
	}

	/**
	 * What needs Micrometer Tracing, loaded only when it is present.
	 */
	private static final class Tracing {

		static boolean endSpan(TracedCall context) {
			TracingContext tracing = context.get(TracingContext.class);
			Span span = (tracing != null) ? tracing.getSpan() : null;
			if (span == null) {
				return false;
			}
			span.end();
			return true;
		}

		static void closeScope(TracedCall context) {
			TracingContext tracing = context.get(TracingContext.class);
			CurrentTraceContext.Scope scope = (tracing != null) ? tracing.getScope() : null;
			if (scope != null) {
				scope.close();
			}
		}

	}

}
