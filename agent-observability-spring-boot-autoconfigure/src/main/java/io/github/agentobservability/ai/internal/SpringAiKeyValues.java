package io.github.agentobservability.ai.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.agentobservability.tracing.internal.AttributeKeys;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import org.jspecify.annotations.Nullable;

/**
 * Copies Spring AI's key values to a span as the GenAI semantic conventions name and type
 * them. Spring AI writes every key value as a string ({@code gen_ai.request.stream="true"},
 * {@code gen_ai.request.temperature="0.7"}), marks its ChatClient and advisor observations
 * with an operation, {@code framework}, that the conventions do not have, names the
 * embeddings operation {@code embedding}, and still writes the deprecated
 * {@code gen_ai.system}. Here the registry's numeric, boolean and array attributes get
 * their type (a value that does not parse stays a string), the framework operation is
 * left out, so that those spans are plain spans, and {@code gen_ai.system} is written
 * only when asked for, for dashboards that still read it. Spring AI's {@code none} for
 * what it does not know is left out too.
 */
public final class SpringAiKeyValues {

	static final String OPERATION = "gen_ai.operation.name";

	static final String EMBEDDINGS = "embeddings";

	private static final String SPRING_AI_EMBEDDING = "embedding";

	private static final String FRAMEWORK = "framework";

	private static final String SYSTEM = "gen_ai.system";

	private static final String GEN_AI = "gen_ai.";

	private static final String UNKNOWN = "none";

	private static final Map<String, AttributeKey<?>> TYPED = Map.ofEntries(
			Map.entry("gen_ai.request.temperature", AttributeKey.doubleKey("gen_ai.request.temperature")),
			Map.entry("gen_ai.request.top_p", AttributeKey.doubleKey("gen_ai.request.top_p")),
			Map.entry("gen_ai.request.frequency_penalty", AttributeKey.doubleKey("gen_ai.request.frequency_penalty")),
			Map.entry("gen_ai.request.presence_penalty", AttributeKey.doubleKey("gen_ai.request.presence_penalty")),
			Map.entry("gen_ai.request.max_tokens", AttributeKey.longKey("gen_ai.request.max_tokens")),
			Map.entry("gen_ai.request.top_k", AttributeKey.longKey("gen_ai.request.top_k")),
			Map.entry("gen_ai.request.seed", AttributeKey.longKey("gen_ai.request.seed")),
			Map.entry("gen_ai.request.stream", AttributeKey.booleanKey("gen_ai.request.stream")),
			Map.entry("gen_ai.request.stop_sequences", AttributeKey.stringArrayKey("gen_ai.request.stop_sequences")),
			Map.entry("gen_ai.usage.cache_creation.input_tokens",
					AttributeKey.longKey("gen_ai.usage.cache_creation.input_tokens")),
			// Spring AI's name; the conventions' is gen_ai.embeddings.dimension.count
			Map.entry("gen_ai.request.embedding.dimensions",
					AttributeKey.longKey("gen_ai.embeddings.dimension.count")));

	private final AttributeKeys stringKeys = new AttributeKeys();

	private final boolean deprecatedSystemAttribute;

	public SpringAiKeyValues(boolean deprecatedSystemAttribute) {
		this.deprecatedSystemAttribute = deprecatedSystemAttribute;
	}

	/**
	 * Copies key values to a span, except those named in {@code skipped}.
	 */
	void copy(KeyValues keyValues, Span span, Set<String> skipped) {
		for (KeyValue keyValue : keyValues) {
			if (!skipped.contains(keyValue.getKey())) {
				copy(keyValue, span);
			}
		}
	}

	private void copy(KeyValue keyValue, Span span) {
		String key = keyValue.getKey();
		String value = keyValue.getValue();
		if (key.equals(OPERATION)) {
			if (!value.equals(FRAMEWORK)) {
				span.setAttribute(this.stringKeys.of(key), operation(value));
			}
			return;
		}
		if (key.equals(SYSTEM) && !this.deprecatedSystemAttribute) {
			return;
		}
		if (value.equals(UNKNOWN) && key.startsWith(GEN_AI)) {
			// Spring AI's placeholder for what a failed call never learned (the response
			// model): the conventions leave such an attribute out.
			return;
		}
		AttributeKey<?> typed = TYPED.get(key);
		if (typed == null || !setTyped(span, typed, value)) {
			this.stringKeys.set(span, keyValue);
		}
	}

	/**
	 * The conventions' name of one of Spring AI's operations.
	 */
	static String operation(String springAiOperation) {
		return springAiOperation.equals(SPRING_AI_EMBEDDING) ? EMBEDDINGS : springAiOperation;
	}

	@SuppressWarnings("unchecked")
	private static boolean setTyped(Span span, AttributeKey<?> key, String value) {
		try {
			switch (key.getType()) {
				case DOUBLE -> span.setAttribute((AttributeKey<Double>) key, Double.parseDouble(value));
				case LONG -> span.setAttribute((AttributeKey<Long>) key, Long.parseLong(value));
				case BOOLEAN -> {
					if (!value.equals("true") && !value.equals("false")) {
						return false;
					}
					span.setAttribute((AttributeKey<Boolean>) key, Boolean.parseBoolean(value));
				}
				case STRING_ARRAY -> {
					List<String> values = stringArray(value);
					if (values == null) {
						return false;
					}
					span.setAttribute((AttributeKey<List<String>>) key, values);
				}
				default -> {
					return false;
				}
			}
			return true;
		}
		catch (NumberFormatException ex) {
			return false;
		}
	}

	/**
	 * Parses Spring AI's rendering of a list, {@code ["a", "b"]}.
	 */
	private static @Nullable List<String> stringArray(String value) {
		if (value.length() < 2 || value.charAt(0) != '[' || value.charAt(value.length() - 1) != ']') {
			return null;
		}
		String inner = value.substring(1, value.length() - 1).trim();
		List<String> values = new ArrayList<>();
		if (inner.isEmpty()) {
			return values;
		}
		for (String part : inner.split(", ")) {
			String item = part.trim();
			if (item.length() >= 2 && item.startsWith("\"") && item.endsWith("\"")) {
				item = item.substring(1, item.length() - 1);
			}
			values.add(item);
		}
		return values;
	}

}
