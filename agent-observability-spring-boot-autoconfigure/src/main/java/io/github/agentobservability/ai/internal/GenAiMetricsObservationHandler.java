package io.github.agentobservability.ai.internal;

import io.github.agentobservability.metrics.internal.AgentMetrics;
import io.github.agentobservability.metrics.internal.GenAiMetrics;
import io.github.agentobservability.tracing.internal.AgentRuns;
import io.github.agentobservability.tracing.internal.Failures;
import io.github.agentobservability.tracing.internal.Outcome;
import io.github.agentobservability.tracing.internal.TracedCall;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import org.jspecify.annotations.Nullable;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.observation.ChatModelObservationContext;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.embedding.observation.EmbeddingModelObservationContext;
import org.springframework.ai.tool.observation.ToolCallingObservationContext;

/**
 * Records tokens, cost, model call latency, time to first chunk and tool calls from
 * Spring AI's observations, attributed to the enclosing agent run, and, when enabled,
 * the same calls as the OpenTelemetry GenAI metrics ({@link GenAiMetrics}).
 * <p>
 * A plain handler, not a {@code MeterObservationHandler}: Spring Boot runs only the first
 * meter handler that supports a context, and Micrometer's default one must keep recording
 * Spring AI's {@code gen_ai.client.operation} timers.
 */
public class GenAiMetricsObservationHandler implements ObservationHandler<Observation.Context> {

	private final AgentMetrics metrics;

	private final ModelCallUsageResolver usageResolver;

	private final @Nullable GenAiMetrics genAiMetrics;

	public GenAiMetricsObservationHandler(AgentMetrics metrics, ModelCallUsageResolver usageResolver) {
		this(metrics, usageResolver, null);
	}

	/**
	 * Creates the handler.
	 * @param metrics records the agent meters
	 * @param usageResolver reads usage and cost
	 * @param genAiMetrics records the GenAI semantic-convention meters, or {@code null}
	 * to record none
	 */
	public GenAiMetricsObservationHandler(AgentMetrics metrics, ModelCallUsageResolver usageResolver,
			@Nullable GenAiMetrics genAiMetrics) {
		this.metrics = metrics;
		this.usageResolver = usageResolver;
		this.genAiMetrics = genAiMetrics;
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
		CallStart start = context.get(CallStart.class);
		long duration = (start != null) ? System.nanoTime() - start.nanos() : 0;
		if (context instanceof ToolCallingObservationContext tool) {
			this.metrics.toolCall(agent, tool.getToolDefinition().name(), error);
			if (this.genAiMetrics != null) {
				TracedCall run = AgentRuns.enclosingRun(context);
				this.genAiMetrics.toolExecution(tool.getToolDefinition().name(), tool.getToolType(),
						(run != null) ? run.getTracedMethod().getAgentName() : null, error, duration);
			}
			return;
		}
		ModelCallUsage usage = (context instanceof ChatModelObservationContext chat) ? this.usageResolver.resolve(chat)
				: this.usageResolver.resolve((EmbeddingModelObservationContext) context);
		this.metrics.modelCall(agent, usage.model(), Outcome.of(false, error != null), usage.inputTokens(),
				usage.outputTokens(), usage.costUsd(), duration);
		StreamTiming timing = context.get(StreamTiming.class);
		double timeToFirstChunk = (timing != null) ? timing.timeToFirstChunkSeconds() : -1;
		if (timeToFirstChunk >= 0) {
			this.metrics.firstChunk(agent, usage.model(), timeToFirstChunk);
		}
		if (this.genAiMetrics != null) {
			this.genAiMetrics.modelCall(
					(context instanceof ChatModelObservationContext chat)
							? chatCall(chat, usage, error, duration, timeToFirstChunk)
							: embeddingCall((EmbeddingModelObservationContext) context, usage, error, duration),
					(timing != null) ? timing.timePerChunkNanos() : NO_CHUNKS);
		}
	}

	private static final long[] NO_CHUNKS = {};

	private static GenAiMetrics.ModelCall chatCall(ChatModelObservationContext context, ModelCallUsage usage,
			@Nullable Throwable error, long duration, double timeToFirstChunk) {
		ChatOptions options = context.getRequest().getOptions();
		ChatResponse response = context.getResponse();
		return new GenAiMetrics.ModelCall(SpringAiKeyValues.operation(context.getOperationMetadata().operationType()),
				usage.provider(),
				(options != null) ? options.getModel() : null,
				(response != null) ? response.getMetadata().getModel() : null, error, duration,
				usage.reported() ? usage.inputTokens() : null, usage.reported() ? usage.outputTokens() : null,
				(timeToFirstChunk >= 0) ? Math.round(timeToFirstChunk * 1e9) : null);
	}

	private static GenAiMetrics.ModelCall embeddingCall(EmbeddingModelObservationContext context, ModelCallUsage usage,
			@Nullable Throwable error, long duration) {
		EmbeddingResponse response = context.getResponse();
		return new GenAiMetrics.ModelCall(SpringAiKeyValues.operation(context.getOperationMetadata().operationType()),
				usage.provider(),
				context.getRequest().getOptions().getModel(),
				(response != null) ? response.getMetadata().getModel() : null, error, duration,
				usage.reported() ? usage.inputTokens() : null, null, null);
	}

	private record CallStart(long nanos) {
	}

}
