package io.github.agentobservability.tracing.internal;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import io.micrometer.observation.Observation;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;

/**
 * What the model calls of one agent run add up to, for its {@code invoke_agent} span: the
 * GenAI conventions want the run's input and output tokens and the finish reasons of its
 * answer there. Kept in the run's observation context, added to by each model call that
 * ends inside the run, on whatever thread, and written when the run's span ends.
 */
public final class AgentRunTotals {

	static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");

	static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");

	static final AttributeKey<List<String>> FINISH_REASONS = AttributeKey
		.stringArrayKey("gen_ai.response.finish_reasons");

	private final LongAdder inputTokens = new LongAdder();

	private final LongAdder outputTokens = new LongAdder();

	private volatile boolean usageReported;

	private volatile List<String> finishReasons = List.of();

	private AgentRunTotals() {
	}

	/**
	 * Adds a model call to the agent run it belongs to, if any.
	 * @param modelCall the model call's observation context
	 * @param usageReported whether the provider reported token usage
	 * @param inputTokens the call's input tokens
	 * @param outputTokens the call's output tokens
	 * @param finishReasons the call's finish reasons; the last call's are the run's
	 */
	public static void add(Observation.ContextView modelCall, boolean usageReported, long inputTokens,
			long outputTokens, List<String> finishReasons) {
		TracedCall run = AgentRuns.enclosingRun(modelCall);
		if (run == null) {
			return;
		}
		AgentRunTotals totals = run.computeIfAbsent(AgentRunTotals.class, (key) -> new AgentRunTotals());
		if (usageReported) {
			totals.inputTokens.add(inputTokens);
			totals.outputTokens.add(outputTokens);
			totals.usageReported = true;
		}
		if (!finishReasons.isEmpty()) {
			totals.finishReasons = List.copyOf(finishReasons);
		}
	}

	/**
	 * Writes the totals of a run to its span.
	 * @param run the run's observation context
	 * @param span the run's span
	 */
	static void writeTo(Observation.ContextView run, Span span) {
		AgentRunTotals totals = run.get(AgentRunTotals.class);
		if (totals == null) {
			return;
		}
		if (totals.usageReported) {
			span.setAttribute(INPUT_TOKENS, totals.inputTokens.sum());
			span.setAttribute(OUTPUT_TOKENS, totals.outputTokens.sum());
		}
		List<String> reasons = totals.finishReasons;
		if (!reasons.isEmpty()) {
			span.setAttribute(FINISH_REASONS, reasons);
		}
	}

}
