package io.github.agentobservability.tracing.internal;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;

/**
 * Sets an attribute on an OpenTelemetry span with the type of its Java value: whole
 * numbers as long, floating-point numbers as double, booleans as boolean, anything else
 * as its string.
 */
public final class TypedAttributes {

	private TypedAttributes() {
	}

	public static void set(Span span, String key, Object value) {
		if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
			span.setAttribute(AttributeKey.longKey(key), ((Number) value).longValue());
		}
		else if (value instanceof Double || value instanceof Float) {
			span.setAttribute(AttributeKey.doubleKey(key), ((Number) value).doubleValue());
		}
		else if (value instanceof Boolean bool) {
			span.setAttribute(AttributeKey.booleanKey(key), bool);
		}
		else {
			span.setAttribute(AttributeKey.stringKey(key), String.valueOf(value));
		}
	}

}
