package io.github.agentobservability.benchmarks;

import java.util.concurrent.atomic.LongAdder;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;

/**
 * Counts the sampled spans that end, so that a trial can tell how many of them Boot's batch
 * processor dropped (its queue is full when calls end spans faster than its worker takes
 * them, even with an exporter that only counts). Costs one uncontended {@link LongAdder}
 * increment per span, the same in every arm that makes spans.
 */
public final class EndedSpanCounter implements SpanProcessor {

	private final LongAdder ended = new LongAdder();

	@Override
	public void onStart(Context parentContext, ReadWriteSpan span) {
	}

	@Override
	public boolean isStartRequired() {
		return false;
	}

	@Override
	public void onEnd(ReadableSpan span) {
		if (span.getSpanContext().isSampled()) {
			this.ended.increment();
		}
	}

	@Override
	public boolean isEndRequired() {
		return true;
	}

	public long getEnded() {
		return this.ended.sum();
	}

}
