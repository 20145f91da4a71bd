package io.github.agentobservability.tracing.internal;

import java.util.function.Function;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationView;
import org.jspecify.annotations.Nullable;

/**
 * Finds the agent run ({@code @Traced(agent = ...)}) that an observation belongs to, by
 * walking its parent observations. This is how a model call, a tool call or a retrieval
 * deep inside Spring AI is attributed to the agent that caused it.
 */
public final class AgentRuns {

	/** Agent tag value outside any agent run, so that tag sets never vary. */
	public static final String NONE = "none";

	private static final int MAX_DEPTH = 64;

	private AgentRuns() {
	}

	/**
	 * Returns the innermost agent run enclosing an observation, the observation itself
	 * included.
	 * @param context the observation's context
	 * @return the agent run's context, or {@code null} outside any agent run
	 */
	public static @Nullable TracedCall enclosingRun(Observation.@Nullable ContextView context) {
		return firstUp(context, (current) -> (current instanceof TracedCall traced
				&& traced.getTracedMethod().getAgentName() != null) ? traced : null);
	}

	/**
	 * Walks from an observation up its parents, at most {@value #MAX_DEPTH} of them, and
	 * returns what the first one yields: the one walk every lookup up the observation
	 * hierarchy shares.
	 * @param <T> what is looked for
	 * @param context the observation's context, where the walk starts
	 * @param lookup what an observation yields, {@code null} to look further up
	 * @return the first result, or {@code null} when no observation yields one
	 */
	public static <T> @Nullable T firstUp(Observation.@Nullable ContextView context,
			Function<Observation.ContextView, @Nullable T> lookup) {
		Observation.ContextView current = context;
		for (int depth = 0; current != null && depth < MAX_DEPTH; depth++) {
			T found = lookup.apply(current);
			if (found != null) {
				return found;
			}
			ObservationView parent = current.getParentObservation();
			current = (parent != null) ? parent.getContextView() : null;
		}
		return null;
	}

	/**
	 * Returns the name of the agent an observation belongs to.
	 * @param context the observation's context
	 * @return the agent name, or {@link #NONE}
	 */
	public static String agentName(Observation.@Nullable ContextView context) {
		TracedCall run = enclosingRun(context);
		String name = (run != null) ? run.getTracedMethod().getAgentName() : null;
		return (name != null) ? name : NONE;
	}

}
