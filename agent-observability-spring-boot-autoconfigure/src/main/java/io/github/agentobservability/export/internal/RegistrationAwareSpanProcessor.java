package io.github.agentobservability.export.internal;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;

/**
 * A {@link SpanProcessor} that knows whether an {@link SdkTracerProvider} took it, so that
 * the starter can say at startup that an exporter it was asked for will receive nothing
 * (an application that builds its own tracer provider without Boot's span processors),
 * without starting a span to find out.
 * <p>
 * A tracer provider asks each of its processors whether it needs start and end events:
 * when it is built, if it has more than one processor, and for every span otherwise.
 */
public final class RegistrationAwareSpanProcessor implements SpanProcessor {

	private final SpanProcessor delegate;

	private volatile boolean registered;

	/**
	 * Wraps a processor.
	 * @param delegate the processor
	 */
	public RegistrationAwareSpanProcessor(SpanProcessor delegate) {
		this.delegate = delegate;
	}

	/**
	 * Returns whether a tracer provider has asked this processor for events.
	 * @return whether the processor was registered
	 */
	public boolean isRegistered() {
		return this.registered;
	}

	@Override
	public void onStart(Context parentContext, ReadWriteSpan span) {
		this.delegate.onStart(parentContext, span);
	}

	@Override
	public boolean isStartRequired() {
		markRegistered();
		return this.delegate.isStartRequired();
	}

	@Override
	public void onEnd(ReadableSpan span) {
		this.delegate.onEnd(span);
	}

	@Override
	public boolean isEndRequired() {
		markRegistered();
		return this.delegate.isEndRequired();
	}

	@Override
	public CompletableResultCode shutdown() {
		return this.delegate.shutdown();
	}

	@Override
	public CompletableResultCode forceFlush() {
		return this.delegate.forceFlush();
	}

	@Override
	public String toString() {
		return this.delegate.toString();
	}

	private void markRegistered() {
		if (!this.registered) {
			this.registered = true;
		}
	}

}
