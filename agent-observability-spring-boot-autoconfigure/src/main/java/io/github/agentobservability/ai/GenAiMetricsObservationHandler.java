package io.github.agentobservability.ai;

import io.github.agentobservability.metrics.AgentMetrics;
import io.github.agentobservability.tracing.AgentRuns;
import io.github.agentobservability.tracing.Failures;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;

import org.springframework.ai.chat.observation.ChatModelObservationContext;
import org.springframework.ai.embedding.observation.EmbeddingModelObservationContext;
import org.springframework.ai.tool.observation.ToolCallingObservationContext;

/**
 * Records tokens, cost, model call latency, time to first chunk and tool calls from
 * Spring AI's observations, attributed to the enclosing agent run.
 * <p>
 * A plain handler, not a {@code MeterObservationHandler}: Spring Boot runs only the first
 * meter handler that supports a context, and Spring AI's own meter handlers must keep
 * recording its {@code gen_ai.client.*} meters.
 */
public class GenAiMetricsObservationHandler implements ObservationHandler<Observation.Context> {

	private final AgentMetrics metrics;

	private final ModelCallUsageResolver usageResolver;

	public GenAiMetricsObservationHandler(AgentMetrics metrics, ModelCallUsageResolver usageResolver) {
		this.metrics = metrics;
		this.usageResolver = usageResolver;
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return context instanceof ChatModelObservationContext || context instanceof EmbeddingModelObservationContext
				|| context instanceof ToolCallingObservationContext;
	}

	@Override
	public void onStart(Observation.Context context) {
		context.put(CallStart.class, new CallStart(System.nanoTime()));
	}

	@Override
	public void onStop(Observation.Context context) {
		String agent = AgentRuns.agentName(context);
		Throwable error = Failures.unwrap(context.getError());
		if (context instanceof ToolCallingObservationContext tool) {
			this.metrics.toolCall(agent, tool.getToolDefinition().name(), error);
			return;
		}
		CallStart start = context.get(CallStart.class);
		long duration = (start != null) ? System.nanoTime() - start.nanos() : 0;
		ModelCallUsage usage = (context instanceof ChatModelObservationContext chat) ? this.usageResolver.resolve(chat)
				: this.usageResolver.resolve((EmbeddingModelObservationContext) context);
		this.metrics.modelCall(agent, usage.model(), (error != null) ? "error" : "success", usage.inputTokens(),
				usage.outputTokens(), usage.costUsd(), duration);
		StreamTiming timing = context.get(StreamTiming.class);
		if (timing != null && timing.timeToFirstChunkSeconds() >= 0) {
			this.metrics.firstChunk(agent, usage.model(), timing.timeToFirstChunkSeconds());
		}
	}

	private record CallStart(long nanos) {
	}

}
