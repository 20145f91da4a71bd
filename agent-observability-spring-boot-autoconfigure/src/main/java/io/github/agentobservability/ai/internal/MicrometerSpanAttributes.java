package io.github.agentobservability.ai.internal;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import org.jspecify.annotations.Nullable;

/**
 * Lets {@link GenAiSpanAttributes} write to a span of a tracer other than OpenTelemetry's
 * (Brave's), through Micrometer's {@link io.micrometer.tracing.Span}: only attributes are
 * written, each with the tag method of its type. The span's name, status and end stay
 * with the tracing handler, so the rest of the OpenTelemetry {@link Span} interface is
 * not used and does nothing.
 */
final class MicrometerSpanAttributes implements Span {

	private final io.micrometer.tracing.Span span;

	MicrometerSpanAttributes(io.micrometer.tracing.Span span) {
		this.span = span;
	}

	@Override
	public <T> Span setAttribute(AttributeKey<T> key, @Nullable T value) {
		if (value == null) {
			return this;
		}
		String name = key.getKey();
		switch (key.getType()) {
			case LONG -> this.span.tag(name, (Long) value);
			case DOUBLE -> this.span.tag(name, (Double) value);
			case BOOLEAN -> this.span.tag(name, (Boolean) value);
			case STRING_ARRAY -> this.span.tagOfStrings(name, castList(value));
			case LONG_ARRAY -> this.span.tagOfLongs(name, castList(value));
			case DOUBLE_ARRAY -> this.span.tagOfDoubles(name, castList(value));
			case BOOLEAN_ARRAY -> this.span.tagOfBooleans(name, castList(value));
			default -> this.span.tag(name, String.valueOf(value));
		}
		return this;
	}

	@SuppressWarnings("unchecked")
	private static <E> List<E> castList(Object value) {
		return (List<E>) value;
	}

	@Override
	public Span addEvent(String name, Attributes attributes) {
		return this;
	}

	@Override
	public Span addEvent(String name, Attributes attributes, long timestamp, TimeUnit unit) {
		return this;
	}

	@Override
	public Span setStatus(StatusCode statusCode, String description) {
		return this;
	}

	@Override
	public Span recordException(Throwable exception, Attributes additionalAttributes) {
		return this;
	}

	@Override
	public Span updateName(String name) {
		return this;
	}

	@Override
	public void end() {
	}

	@Override
	public void end(long timestamp, TimeUnit unit) {
	}

	@Override
	public SpanContext getSpanContext() {
		return SpanContext.getInvalid();
	}

	@Override
	public boolean isRecording() {
		return !this.span.isNoop();
	}

}
