package io.github.agentobservability.metrics;

import io.github.agentobservability.tracing.TracedObservationContext;
import io.micrometer.core.instrument.observation.MeterObservationHandler;
import io.micrometer.observation.Observation;

/**
 * Records the agent run meters for {@code @Traced(agent = ...)} observations, and claims
 * every other {@code @Traced} observation so that it stays a span only.
 * <p>
 * Spring Boot runs the first meter handler that supports a context; this one is ordered
 * ahead of Boot's default handler. Left to it, every traced call would also pay for a
 * timer and a long task timer, and the {@code traced} timer would take a different tag
 * set per method, which Prometheus rejects.
 */
public class AgentRunMeterObservationHandler implements MeterObservationHandler<TracedObservationContext> {

	private final AgentMetrics metrics;

	public AgentRunMeterObservationHandler(AgentMetrics metrics) {
		this.metrics = metrics;
	}

	@Override
	public void onStart(TracedObservationContext context) {
		String agent = context.getTracedMethod().getAgentName();
		if (agent != null) {
			context.put(RunStart.class, new RunStart(System.nanoTime()));
			this.metrics.runStarted(agent);
		}
	}

	@Override
	public void onStop(TracedObservationContext context) {
		String agent = context.getTracedMethod().getAgentName();
		RunStart start = context.get(RunStart.class);
		if (agent != null && start != null) {
			Throwable error = context.getError();
			String outcome = context.isCancelled() ? "cancelled" : (error != null) ? "error" : "success";
			this.metrics.runStopped(agent, outcome, error, System.nanoTime() - start.nanos());
		}
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return context instanceof TracedObservationContext;
	}

	private record RunStart(long nanos) {
	}

}
