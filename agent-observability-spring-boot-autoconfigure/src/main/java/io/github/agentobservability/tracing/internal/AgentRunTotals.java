package io.github.agentobservability.tracing.internal;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import io.micrometer.observation.Observation;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import org.jspecify.annotations.Nullable;

/**
 * What the model calls of one agent run add up to, for its {@code invoke_agent} span: the
 * GenAI conventions want the run's input and output tokens and the finish reasons of its
 * answer there. Kept in the run's observation context, added to by each model call that
 * ends inside the run, on whatever thread, and written when the run's span ends.
 * <p>
 * A streamed run can end before its last model call does: Spring AI hands a stream's
 * chunks to another thread ({@code ChatModelStreamAdvisor} publishes on a scheduler), so
 * the run's {@code Flux} may complete downstream while the model call's observation,
 * which stops when its own {@code Flux} terminates upstream, is still stopping. The run's
 * span then ends when its last open model call ends, at the time the run ended, so that
 * the totals still reach it.
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

	/** Model calls of the run started and not ended yet; guarded by {@code this}. */
	private int openCalls;

	/** Ends the run's span once its open model calls have ended; guarded by {@code this}. */
	private @Nullable Runnable pendingEnd;

	private AgentRunTotals() {
	}

	/**
	 * Notes that a model call started, inside the agent run it belongs to, if any; its
	 * end must be reported with {@link #modelCallEnded}.
	 * @param modelCall the model call's observation context, its parent already set
	 */
	public static void modelCallStarted(Observation.Context modelCall) {
		TracedCall run = AgentRuns.enclosingRun(modelCall);
		if (run == null) {
			return;
		}
		AgentRunTotals totals = run.computeIfAbsent(AgentRunTotals.class, (key) -> new AgentRunTotals());
		synchronized (totals) {
			totals.openCalls++;
		}
		modelCall.put(OpenModelCall.class, new OpenModelCall(totals));
	}

	/**
	 * Notes that a model call whose start was noted ended, after its usage was added:
	 * ends the run's span if the run ended before it and no other call is open.
	 * @param modelCall the model call's observation context
	 */
	public static void modelCallEnded(Observation.Context modelCall) {
		if (!(modelCall.remove(OpenModelCall.class) instanceof OpenModelCall open)) {
			return;
		}
		AgentRunTotals totals = open.totals();
		Runnable end;
		synchronized (totals) {
			totals.openCalls--;
			if (totals.openCalls > 0 || totals.pendingEnd == null) {
				return;
			}
			end = totals.pendingEnd;
			totals.pendingEnd = null;
		}
		end.run();
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
	 * Writes the totals of a run to its span and ends the span: now or, while model calls
	 * of the run are still open, when the last of them has ended, with the time the run
	 * ended.
	 * @param run the run's observation context
	 * @param span the run's span
	 */
	static void writeAndEnd(Observation.ContextView run, Span span) {
		AgentRunTotals totals = run.get(AgentRunTotals.class);
		if (totals == null) {
			span.end();
			return;
		}
		synchronized (totals) {
			if (totals.openCalls > 0) {
				Instant ended = Instant.now();
				totals.pendingEnd = () -> {
					totals.writeTo(span);
					span.end(ended);
				};
				return;
			}
		}
		totals.writeTo(span);
		span.end();
	}

	private void writeTo(Span span) {
		if (this.usageReported) {
			span.setAttribute(INPUT_TOKENS, this.inputTokens.sum());
			span.setAttribute(OUTPUT_TOKENS, this.outputTokens.sum());
		}
		List<String> reasons = this.finishReasons;
		if (!reasons.isEmpty()) {
			span.setAttribute(FINISH_REASONS, reasons);
		}
	}

	/**
	 * Marks a model call whose start was counted in a run's totals.
	 */
	private record OpenModelCall(AgentRunTotals totals) {
	}

}
