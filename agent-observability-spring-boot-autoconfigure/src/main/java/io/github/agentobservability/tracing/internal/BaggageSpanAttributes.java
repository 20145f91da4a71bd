package io.github.agentobservability.tracing.internal;

import java.util.List;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
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
 * <p>
 * A span started from a remote parent, the HTTP server span of a request, starts before
 * its request's baggage is current (Micrometer's OpenTelemetry bridge starts it in the
 * current context, not in the one extracted from the request): it gets the fields from
 * the first span started under it that carries them, while it is still open.
 */
public final class BaggageSpanAttributes implements SpanProcessor {

	private final String[] fields;

	private final AttributeKey<String>[] keys;

	@SuppressWarnings("unchecked")
	public BaggageSpanAttributes(List<String> fields) {
		this.fields = fields.toArray(String[]::new);
		this.keys = fields.stream().map(AttributeKey::stringKey).toArray(AttributeKey[]::new);
	}

	@Override
	public void onStart(Context parentContext, ReadWriteSpan span) {
		Baggage baggage = Baggage.fromContext(parentContext);
		if (baggage.isEmpty()) {
			return;
		}
		Span parent = Span.fromContext(parentContext);
		ReadWriteSpan localParent = (parent instanceof ReadWriteSpan candidate && parent.isRecording()) ? candidate
				: null;
		for (int i = 0; i < this.fields.length; i++) {
			String value = baggage.getEntryValue(this.fields[i]);
			if (value != null) {
				span.setAttribute(this.keys[i], value);
				if (localParent != null && localParent.getAttribute(this.keys[i]) == null) {
					localParent.setAttribute(this.keys[i], value);
				}
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
