package io.github.agentobservability.tracing.internal;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import org.jspecify.annotations.Nullable;

/**
 * Writes the {@code @SpanAttribute} arguments of a call to its OpenTelemetry span with the
 * types their parameters declare ({@link ParameterAttribute}), so that numbers stay
 * numbers on every exporter. Micrometer's key values, which other handlers read, carry
 * their strings.
 */
final class ParameterAttributes {

	private ParameterAttributes() {
	}

	static void write(Span span, ParameterAttribute[] parameters, Object[] arguments) {
		for (ParameterAttribute parameter : parameters) {
			Object argument = arguments[parameter.index()];
			if (argument != null) {
				write(span, parameter, argument);
			}
		}
	}

	private static void write(Span span, ParameterAttribute parameter, Object argument) {
		String key = parameter.key();
		switch (parameter.type()) {
			case LONG, DOUBLE, BOOLEAN -> TypedAttributes.set(span, key, argument);
			case LONG_ARRAY ->
				span.setAttribute(AttributeKey.longArrayKey(key), list(argument, (value) -> ((Number) value).longValue()));
			case DOUBLE_ARRAY -> span.setAttribute(AttributeKey.doubleArrayKey(key),
					list(argument, (value) -> ((Number) value).doubleValue()));
			case BOOLEAN_ARRAY -> span.setAttribute(AttributeKey.booleanArrayKey(key), list(argument, Boolean.class::cast));
			case STRING_ARRAY -> span.setAttribute(AttributeKey.stringArrayKey(key), list(argument, String::valueOf));
			default -> span.setAttribute(AttributeKey.stringKey(key), ParameterAttribute.toString(argument));
		}
	}

	/**
	 * The elements of an array or collection, converted, without nulls, which attribute
	 * arrays cannot hold.
	 */
	private static <T> List<T> list(Object values, Function<Object, T> converter) {
		List<T> list = new ArrayList<>();
		if (values instanceof Collection<?> collection) {
			for (Object value : collection) {
				add(list, value, converter);
			}
		}
		else {
			int length = Array.getLength(values);
			for (int i = 0; i < length; i++) {
				add(list, Array.get(values, i), converter);
			}
		}
		return list;
	}

	private static <T> void add(List<T> list, @Nullable Object value, Function<Object, T> converter) {
		if (value != null) {
			list.add(converter.apply(value));
		}
	}

}
