package io.github.agentobservability.metrics.internal;

import io.github.agentobservability.tracing.internal.Outcome;
import io.github.agentobservability.tracing.internal.TracedCall;
import io.micrometer.core.instrument.observation.MeterObservationHandler;
import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * Records the agent run meters for {@code @Traced(agent = ...)} observations (the
 * {@code agent.*} ones and, when enabled, the convention's
 * {@code gen_ai.invoke_agent.duration}), and claims every other {@code @Traced}
 * observation so that it stays a span only.
 * <p>
 * Spring Boot runs the first meter handler that supports a context; this one is ordered
 * ahead of Boot's default handler. Left to it, every traced call would also pay for a
 * timer and a long task timer, and the {@code traced} timer would take a different tag
 * set per method, which Prometheus rejects.
 */
public class AgentRunMeterObservationHandler implements MeterObservationHandler<TracedCall> {

	private final AgentMetrics metrics;

	private final @Nullable GenAiMetrics genAiMetrics;

	private final MeterAttribution attribution;

	public AgentRunMeterObservationHandler(AgentMetrics metrics) {
		this(metrics, null);
	}

	public AgentRunMeterObservationHandler(AgentMetrics metrics, @Nullable GenAiMetrics genAiMetrics) {
		this(metrics, genAiMetrics, MeterAttribution.none());
	}

	/**
	 * Creates the handler.
	 * @param metrics records the agent meters
	 * @param genAiMetrics records the GenAI semantic-convention meters, or {@code null}
	 * to record none
	 * @param attribution the tags that say whom a run was for, read where it starts
	 */
	public AgentRunMeterObservationHandler(AgentMetrics metrics, @Nullable GenAiMetrics genAiMetrics,
			MeterAttribution attribution) {
		this.metrics = metrics;
		this.genAiMetrics = genAiMetrics;
		this.attribution = attribution;
	}

	@Override
	public void onStart(TracedCall context) {
		String agent = context.getTracedMethod().getAgentName();
		if (agent != null) {
			context.put(RunStart.class, new RunStart(System.nanoTime()));
			this.attribution.capture(context);
			this.metrics.runStarted(agent);
		}
	}

	@Override
	public void onStop(TracedCall context) {
		String agent = context.getTracedMethod().getAgentName();
		RunStart start = context.get(RunStart.class);
		if (agent != null && start != null) {
			Throwable error = context.getError();
			// a run marked as an error through CurrentSpan failed, as its span says
			Outcome outcome = Outcome.of(context.isCancelled(), error != null || context.getMarkedError() != null);
			long duration = System.nanoTime() - start.nanos();
			this.metrics.runStopped(agent, outcome, error, duration, this.attribution.of(context));
			if (this.genAiMetrics != null) {
				this.genAiMetrics.agentRun(agent, context.isCancelled() ? null : error, duration);
			}
		}
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return context instanceof TracedCall;
	}

	private record RunStart(long nanos) {
	}

}
