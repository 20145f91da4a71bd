package io.github.agentobservability.ai.internal;

import io.github.agentobservability.metrics.internal.AgentMetrics;
import io.github.agentobservability.metrics.internal.GenAiMetrics;
import io.github.agentobservability.tracing.internal.AgentRuns;
import io.github.agentobservability.tracing.internal.Failures;
import io.github.agentobservability.tracing.internal.Outcome;
import io.github.agentobservability.tracing.internal.TracedCall;
import io.github.agentobservability.metrics.internal.MeterAttribution;
import io.micrometer.core.instrument.Tags;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import org.jspecify.annotations.Nullable;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.observation.ChatModelObservationContext;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.embedding.observation.EmbeddingModelObservationContext;
import org.springframework.ai.tool.observation.ToolCallingObservationContext;
import org.springframework.util.StringUtils;

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

	private final MeterAttribution attribution;

	public GenAiMetricsObservationHandler(AgentMetrics metrics, ModelCallUsageResolver usageResolver) {
		this(metrics, usageResolver, null);
	}

	public GenAiMetricsObservationHandler(AgentMetrics metrics, ModelCallUsageResolver usageResolver,
			@Nullable GenAiMetrics genAiMetrics) {
		this(metrics, usageResolver, genAiMetrics, MeterAttribution.none());
	}

	/**
	 * Creates the handler.
	 * @param metrics records the agent meters
	 * @param usageResolver reads usage and cost
	 * @param genAiMetrics records the GenAI semantic-convention meters, or {@code null}
	 * to record none
	 * @param attribution the tags that say whom a call was for: its agent run's, else
	 * those of the baggage where it starts
	 */
	public GenAiMetricsObservationHandler(AgentMetrics metrics, ModelCallUsageResolver usageResolver,
			@Nullable GenAiMetrics genAiMetrics, MeterAttribution attribution) {
		this.metrics = metrics;
		this.usageResolver = usageResolver;
		this.genAiMetrics = genAiMetrics;
		this.attribution = attribution;
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return context instanceof ChatModelObservationContext || context instanceof EmbeddingModelObservationContext
				|| context instanceof ToolCallingObservationContext;
	}

	@Override
	public void onStart(Observation.Context context) {
		context.put(CallStart.class, new CallStart(System.nanoTime(), this.attribution.of(context)));
	}

	@Override
	public void onStop(Observation.Context context) {
		String agent = AgentRuns.agentName(context);
		Throwable error = Failures.unwrap(context.getError());
		CallStart start = context.get(CallStart.class);
		long duration = (start != null) ? System.nanoTime() - start.nanos() : 0;
		Tags attribution = (start != null) ? start.attribution() : this.attribution.absent();
		if (context instanceof ToolCallingObservationContext tool) {
			this.metrics.toolCall(agent, tool.getToolDefinition().name(), error, attribution);
			if (this.genAiMetrics != null) {
				TracedCall run = AgentRuns.enclosingRun(context);
				this.genAiMetrics.toolExecution(tool.getToolDefinition().name(), tool.getToolType(),
						(run != null) ? run.getTracedMethod().getAgentName() : null, error, duration);
			}
			return;
		}
		ModelCallUsage usage = (context instanceof ChatModelObservationContext chat) ? this.usageResolver.resolve(chat)
				: this.usageResolver.resolve((EmbeddingModelObservationContext) context);
		String requestModel = requestModel(context);
		String model = meterModel(requestModel, usage);
		this.metrics.modelCall(agent, model, Outcome.of(false, error != null), usage.inputTokens(),
				usage.outputTokens(), usage.costUsd(), duration, attribution);
		StreamTiming timing = context.get(StreamTiming.class);
		double timeToFirstChunk = (timing != null) ? timing.timeToFirstChunkSeconds() : -1;
		if (timeToFirstChunk >= 0) {
			this.metrics.firstChunk(agent, model, timeToFirstChunk);
		}
		if (this.genAiMetrics != null) {
			this.genAiMetrics.modelCall(
					(context instanceof ChatModelObservationContext chat)
							? chatCall(chat, requestModel, usage, error, duration, timeToFirstChunk)
							: embeddingCall((EmbeddingModelObservationContext) context, requestModel, usage, error,
									duration),
					(timing != null) ? timing.timePerChunkNanos() : NO_CHUNKS, attribution);
		}
	}

	private static final long[] NO_CHUNKS = {};

	private static @Nullable String requestModel(Observation.Context context) {
		if (context instanceof ChatModelObservationContext chat) {
			ChatOptions options = chat.getRequest().getOptions();
			return (options != null) ? options.getModel() : null;
		}
		return ((EmbeddingModelObservationContext) context).getRequest().getOptions().getModel();
	}

	/**
	 * The {@code model} tag of the agent meters: the model the application asked for,
	 * else the one that answered, {@linkplain ModelNames#normalise(String) normalised} so
	 * that a provider's new snapshot ({@code gpt-4o-mini-2024-07-18}) does not start new
	 * series. The spans keep the response model as reported.
	 */
	private static String meterModel(@Nullable String requestModel, ModelCallUsage usage) {
		return ModelNames.normalise(StringUtils.hasText(requestModel) ? requestModel : usage.model());
	}

	private static GenAiMetrics.ModelCall chatCall(ChatModelObservationContext context, @Nullable String requestModel,
			ModelCallUsage usage, @Nullable Throwable error, long duration, double timeToFirstChunk) {
		ChatResponse response = context.getResponse();
		return new GenAiMetrics.ModelCall(SpringAiKeyValues.operation(context.getOperationMetadata().operationType()),
				usage.provider(), requestModel, (response != null) ? response.getMetadata().getModel() : null, error,
				duration, usage.reported() ? usage.inputTokens() : null,
				usage.reported() ? usage.outputTokens() : null,
				(timeToFirstChunk >= 0) ? Math.round(timeToFirstChunk * 1e9) : null);
	}

	private static GenAiMetrics.ModelCall embeddingCall(EmbeddingModelObservationContext context,
			@Nullable String requestModel, ModelCallUsage usage, @Nullable Throwable error, long duration) {
		EmbeddingResponse response = context.getResponse();
		return new GenAiMetrics.ModelCall(SpringAiKeyValues.operation(context.getOperationMetadata().operationType()),
				usage.provider(), requestModel, (response != null) ? response.getMetadata().getModel() : null, error,
				duration, usage.reported() ? usage.inputTokens() : null, null, null);
	}

	private record CallStart(long nanos, Tags attribution) {
	}

}
