package io.github.agentobservability.tracing.internal;

import java.util.Collection;

import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.util.ObjectUtils;

/**
 * A parameter copied to a span attribute by {@code @SpanAttribute}, with the attribute
 * type worked out once from the parameter's declared type, as OpenTelemetry's own
 * {@code @SpanAttribute} does: whole numbers are long attributes, floating-point numbers
 * double, booleans boolean, arrays and collections of those typed arrays, and anything
 * else the string of {@code String.valueOf}.
 *
 * @param index the parameter's position
 * @param key the attribute key
 * @param type the attribute type
 */
record ParameterAttribute(int index, String key, Type type) {

	static ParameterAttribute of(int index, String key, MethodParameter parameter) {
		return new ParameterAttribute(index, key, Type.of(ResolvableType.forMethodParameter(parameter)));
	}

	/**
	 * The string of an argument, as string attributes and Micrometer's key values carry
	 * it: an array's elements rather than its identity.
	 */
	static String toString(Object argument) {
		return argument.getClass().isArray() ? ObjectUtils.nullSafeToString(argument) : String.valueOf(argument);
	}

	/**
	 * The type of the attribute a parameter becomes.
	 */
	enum Type {

		STRING, LONG, DOUBLE, BOOLEAN, STRING_ARRAY, LONG_ARRAY, DOUBLE_ARRAY, BOOLEAN_ARRAY;

		static Type of(ResolvableType type) {
			Class<?> raw = type.toClass();
			if (raw.isArray()) {
				Type element = scalar(raw.getComponentType());
				return (element != null) ? element.arrayOf() : STRING;
			}
			if (Collection.class.isAssignableFrom(raw)) {
				Type element = scalar(type.asCollection().getGeneric(0).toClass());
				return (element != null) ? element.arrayOf() : STRING;
			}
			Type scalar = scalar(raw);
			return (scalar != null) ? scalar : STRING;
		}

		private static @Nullable Type scalar(Class<?> type) {
			if (type == long.class || type == int.class || type == short.class || type == byte.class
					|| type == Long.class || type == Integer.class || type == Short.class || type == Byte.class) {
				return LONG;
			}
			if (type == double.class || type == float.class || type == Double.class || type == Float.class) {
				return DOUBLE;
			}
			if (type == boolean.class || type == Boolean.class) {
				return BOOLEAN;
			}
			if (type == String.class) {
				return STRING;
			}
			return null;
		}

		private Type arrayOf() {
			return switch (this) {
				case LONG -> LONG_ARRAY;
				case DOUBLE -> DOUBLE_ARRAY;
				case BOOLEAN -> BOOLEAN_ARRAY;
				default -> STRING_ARRAY;
			};
		}

	}

}
