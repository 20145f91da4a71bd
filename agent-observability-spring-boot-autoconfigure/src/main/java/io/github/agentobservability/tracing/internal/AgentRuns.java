package io.github.agentobservability.tracing.internal;

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
		Observation.ContextView current = context;
		for (int depth = 0; current != null && depth < MAX_DEPTH; depth++) {
			if (current instanceof TracedCall traced && traced.getTracedMethod().getAgentName() != null) {
				return traced;
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
