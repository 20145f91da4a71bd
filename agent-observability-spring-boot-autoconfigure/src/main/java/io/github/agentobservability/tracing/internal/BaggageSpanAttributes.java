package io.github.agentobservability.tracing.internal;

import java.util.List;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;

/**
 * Gives every span the baggage fields the application names
 * ({@code agent.observability.attribution.baggage}) as attributes of the same name, as
 * they are when the span starts: the tenant or user a request works for, from the W3C
 * {@code baggage} header or set in code, on the HTTP span, the agent run, its model and
 * tool calls and whatever else the request traces. A value longer than the span limits
 * allow is cut like any attribute.
 */
public final class BaggageSpanAttributes implements SpanProcessor {

	private final String[] fields;

	public BaggageSpanAttributes(List<String> fields) {
		this.fields = fields.toArray(String[]::new);
	}

	@Override
	public void onStart(Context parentContext, ReadWriteSpan span) {
		Baggage baggage = Baggage.fromContext(parentContext);
		if (baggage.isEmpty()) {
			return;
		}
		for (String field : this.fields) {
			String value = baggage.getEntryValue(field);
			if (value != null) {
				span.setAttribute(field, value);
			}
		}
	}

	/**
	 * Asked once by the tracer provider: without fields, spans do not come here at all.
	 */
	@Override
	public boolean isStartRequired() {
		return this.fields.length > 0;
	}

	@Override
	public void onEnd(ReadableSpan span) {
	}

	@Override
	public boolean isEndRequired() {
		return false;
	}

	@Override
	public CompletableResultCode shutdown() {
		return CompletableResultCode.ofSuccess();
	}

}
