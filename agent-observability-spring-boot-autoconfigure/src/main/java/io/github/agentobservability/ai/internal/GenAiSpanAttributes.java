package io.github.agentobservability.ai.internal;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.github.agentobservability.tracing.internal.AgentRunTotals;
import io.github.agentobservability.tracing.internal.AgentRuns;
import io.github.agentobservability.tracing.internal.Failures;
import io.micrometer.observation.Observation;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import org.jspecify.annotations.Nullable;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.observation.ChatModelObservationContext;
import org.springframework.ai.embedding.observation.EmbeddingModelObservationContext;
import org.springframework.ai.tool.observation.ToolCallingObservationContext;
import org.springframework.util.StringUtils;

/**
 * Writes typed OpenTelemetry GenAI attributes on the span of a Spring AI model or tool
 * call: token counts and cost as numbers (Spring AI's key values are strings, which
 * backends cannot sum), the provider under its current name, finish reasons as an array,
 * the enclosing agent, and, when content capture is on, the redacted messages.
 */
public class GenAiSpanAttributes {

	/** Spring AI key values replaced by typed attributes of the same name. */
	static final Set<String> REPLACED_KEYS = Set.of("gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens",
			"gen_ai.usage.total_tokens", "gen_ai.usage.cache_read.input_tokens", "gen_ai.response.finish_reasons");

	static final AttributeKey<String> PROVIDER_NAME = AttributeKey.stringKey("gen_ai.provider.name");

	static final AttributeKey<String> AGENT_NAME = AttributeKey.stringKey("gen_ai.agent.name");

	static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");

	static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");

	static final AttributeKey<Long> TOTAL_TOKENS = AttributeKey.longKey("gen_ai.usage.total_tokens");

	static final AttributeKey<Long> CACHE_READ_INPUT_TOKENS = AttributeKey
		.longKey("gen_ai.usage.cache_read.input_tokens");

	public static final AttributeKey<List<String>> FINISH_REASONS = AttributeKey
		.stringArrayKey("gen_ai.response.finish_reasons");

	static final AttributeKey<Double> COST_AMOUNT = AttributeKey.doubleKey("gen_ai.usage.cost.amount");

	static final AttributeKey<String> COST_CURRENCY = AttributeKey.stringKey("gen_ai.usage.cost.currency");

	static final AttributeKey<Double> TIME_TO_FIRST_CHUNK = AttributeKey
		.doubleKey("gen_ai.response.time_to_first_chunk");

	static final AttributeKey<Boolean> CANCELLED = AttributeKey.booleanKey("gen_ai.response.cancelled");

	public static final AttributeKey<String> INPUT_MESSAGES = AttributeKey.stringKey("gen_ai.input.messages");

	public static final AttributeKey<String> OUTPUT_MESSAGES = AttributeKey.stringKey("gen_ai.output.messages");

	public static final AttributeKey<String> SYSTEM_INSTRUCTIONS = AttributeKey.stringKey("gen_ai.system_instructions");

	static final AttributeKey<String> TOOL_NAME = AttributeKey.stringKey("gen_ai.tool.name");

	static final AttributeKey<String> TOOL_CALL_ID = AttributeKey.stringKey("gen_ai.tool.call.id");

	static final AttributeKey<String> TOOL_DESCRIPTION = AttributeKey.stringKey("gen_ai.tool.description");

	static final AttributeKey<String> TOOL_TYPE = AttributeKey.stringKey("gen_ai.tool.type");

	public static final AttributeKey<String> TOOL_ARGUMENTS = AttributeKey.stringKey("gen_ai.tool.call.arguments");

	public static final AttributeKey<String> TOOL_RESULT = AttributeKey.stringKey("gen_ai.tool.call.result");

	static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");

	static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");

	static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

	static final AttributeKey<String> LEGACY_MODEL = AttributeKey.stringKey("llm.model");

	static final AttributeKey<String> LEGACY_PROVIDER = AttributeKey.stringKey("llm.provider");

	static final AttributeKey<Long> LEGACY_INPUT_TOKENS = AttributeKey.longKey("llm.tokens.input");

	static final AttributeKey<Long> LEGACY_OUTPUT_TOKENS = AttributeKey.longKey("llm.tokens.output");

	static final AttributeKey<Long> LEGACY_TOTAL_TOKENS = AttributeKey.longKey("llm.tokens.total");

	private static final String USD = "USD";

	private final ModelCallUsageResolver usageResolver;

	private final boolean legacyAttributes;

	private final @Nullable ContentCapture contentCapture;

	private final ModelServers servers;

	private final SpringAiKeyValues springAiKeyValues;

	/**
	 * Creates the writer.
	 * @param usageResolver reads usage and cost
	 * @param legacyAttributes whether to also write the tutorial's {@code llm.*}
	 * attributes
	 * @param contentCapture writes prompts and completions, or {@code null} to write none
	 * @param servers the server of each provider, for {@code server.address} and
	 * {@code server.port}
	 * @param deprecatedSystemAttribute whether to keep Spring AI's deprecated
	 * {@code gen_ai.system} attribute
	 */
	public GenAiSpanAttributes(ModelCallUsageResolver usageResolver, boolean legacyAttributes,
			@Nullable ContentCapture contentCapture, ModelServers servers, boolean deprecatedSystemAttribute) {
		this.usageResolver = usageResolver;
		this.legacyAttributes = legacyAttributes;
		this.contentCapture = contentCapture;
		this.servers = servers;
		this.springAiKeyValues = new SpringAiKeyValues(deprecatedSystemAttribute);
	}

	/**
	 * Copies Spring AI's own key values, named and typed as the conventions say
	 * ({@link SpringAiKeyValues}), except on model spans those that are written typed
	 * here. High cardinality ones are copied last and win over a low cardinality one of
	 * the same key, as with Boot's handler.
	 */
	void springAi(Observation.Context context, Span span) {
		Set<String> skipped = (context instanceof ChatModelObservationContext
				|| context instanceof EmbeddingModelObservationContext) ? REPLACED_KEYS : Set.of();
		this.springAiKeyValues.copy(context.getLowCardinalityKeyValues(), span, skipped);
		this.springAiKeyValues.copy(context.getHighCardinalityKeyValues(), span, skipped);
	}

	void chat(ChatModelObservationContext context, Span span) {
		ModelCallUsage usage = this.usageResolver.resolve(context);
		model(context, usage, span);
		ChatResponse response = context.getResponse();
		List<String> finishReasons = new ArrayList<>();
		if (response != null) {
			for (Generation generation : response.getResults()) {
				String reason = generation.getMetadata().getFinishReason();
				if (StringUtils.hasText(reason)) {
					finishReasons.add(reason.toLowerCase(Locale.ROOT));
				}
			}
			if (!finishReasons.isEmpty()) {
				span.setAttribute(FINISH_REASONS, finishReasons);
			}
		}
		AgentRunTotals.add(context, usage.reported(), usage.inputTokens(), usage.outputTokens(), finishReasons);
		StreamTiming timing = context.get(StreamTiming.class);
		if (timing != null) {
			double timeToFirstChunk = timing.timeToFirstChunkSeconds();
			if (timeToFirstChunk >= 0) {
				span.setAttribute(TIME_TO_FIRST_CHUNK, timeToFirstChunk);
			}
			if (timing.isCancelled()) {
				span.setAttribute(CANCELLED, true);
			}
		}
		if (this.contentCapture != null) {
			String systemInstructions = this.contentCapture
				.systemInstructions(context.getRequest().getInstructions(), usage.provider());
			if (systemInstructions != null) {
				span.setAttribute(SYSTEM_INSTRUCTIONS, systemInstructions);
			}
			span.setAttribute(INPUT_MESSAGES,
					this.contentCapture.inputMessages(context.getRequest().getInstructions(), usage.provider()));
			if (response != null) {
				span.setAttribute(OUTPUT_MESSAGES, this.contentCapture.outputMessages(response));
			}
		}
	}

	void embedding(EmbeddingModelObservationContext context, Span span) {
		model(context, this.usageResolver.resolve(context), span);
	}

	void tool(ToolCallingObservationContext context, Span span) {
		span.setAttribute(TOOL_NAME, context.getToolDefinition().name());
		span.setAttribute(TOOL_TYPE, context.getToolType());
		if (StringUtils.hasText(context.getToolCallId())) {
			span.setAttribute(TOOL_CALL_ID, context.getToolCallId());
		}
		if (StringUtils.hasText(context.getToolDefinition().description())) {
			span.setAttribute(TOOL_DESCRIPTION, context.getToolDefinition().description());
		}
		common(context, span);
		if (this.contentCapture != null) {
			span.setAttribute(TOOL_ARGUMENTS, this.contentCapture.toolContent(context.getToolCallArguments()));
			String result = context.getToolCallResult();
			if (result != null) {
				span.setAttribute(TOOL_RESULT, this.contentCapture.toolContent(result));
			}
		}
	}

	private void model(Observation.Context context, ModelCallUsage usage, Span span) {
		span.setAttribute(PROVIDER_NAME, usage.provider());
		ModelServers.Server server = this.servers.forProvider(usage.provider());
		if (server != null) {
			span.setAttribute(SERVER_ADDRESS, server.address());
			span.setAttribute(SERVER_PORT, (long) server.port());
		}
		if (usage.reported()) {
			span.setAttribute(INPUT_TOKENS, usage.inputTokens());
			span.setAttribute(OUTPUT_TOKENS, usage.outputTokens());
			span.setAttribute(TOTAL_TOKENS, usage.totalTokens());
			if (usage.cacheReadInputTokens() > 0) {
				span.setAttribute(CACHE_READ_INPUT_TOKENS, usage.cacheReadInputTokens());
			}
		}
		BigDecimal cost = usage.costUsd();
		if (cost != null) {
			span.setAttribute(COST_AMOUNT, cost.doubleValue());
			span.setAttribute(COST_CURRENCY, USD);
		}
		if (this.legacyAttributes) {
			span.setAttribute(LEGACY_MODEL, usage.model());
			span.setAttribute(LEGACY_PROVIDER, usage.provider());
			if (usage.reported()) {
				span.setAttribute(LEGACY_INPUT_TOKENS, usage.inputTokens());
				span.setAttribute(LEGACY_OUTPUT_TOKENS, usage.outputTokens());
				span.setAttribute(LEGACY_TOTAL_TOKENS, usage.totalTokens());
			}
		}
		common(context, span);
	}

	void common(Observation.Context context, Span span) {
		String agent = AgentRuns.agentName(context);
		if (!AgentRuns.NONE.equals(agent)) {
			span.setAttribute(AGENT_NAME, agent);
		}
		Throwable error = Failures.unwrap(context.getError());
		if (error != null) {
			span.setAttribute(ERROR_TYPE, error.getClass().getName());
		}
	}

}
