package io.github.agentobservability.ai;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.github.agentobservability.ai.SemconvRegistry.Attribute;
import io.github.agentobservability.ai.SemconvRegistry.Level;
import io.github.agentobservability.ai.SemconvRegistry.Requirement;
import io.github.agentobservability.ai.SemconvRegistry.SpanDefinition;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status.StatusCode;

/**
 * Judges exported spans by the OpenTelemetry GenAI semantic conventions the way
 * OpenTelemetry's conformance suite ({@code open-telemetry/semantic-conventions-conformance})
 * does with Weaver's live check and its GenAI policies, so that a departure shows up in
 * this build rather than in a user's backend. Each span is decoded OTLP, as a collector
 * receives it: attribute types are the ones on the wire.
 * <p>
 * A span that carries {@code gen_ai.operation.name} is checked for:
 * <ul>
 * <li>an operation the registry defines ({@code framework} is not one);</li>
 * <li>the span kind of the operation's span types, the name their name note gives
 * ({@code {op}} alone when the keyed attribute is absent, e.g. {@code invoke_agent});</li>
 * <li>its required attributes; its unconditionally recommended ones, but for those that
 * depend on the request ({@link #DEPENDS_ON_THE_REQUEST}, the suite's list), the server
 * of an operation that may run in process ({@link #MAY_RUN_IN_PROCESS}) and, on a failed
 * span, those that only a response gives; {@code error.type} exactly when the status is
 * ERROR, {@code server.port} with {@code server.address}, and
 * {@code gen_ai.request.stream} on a span that measured a first chunk;</li>
 * <li>every attribute in a namespace the registry covers: defined there with that type,
 * or one of the starter's {@link #STARTER_EXTENSIONS}; none deprecated, and no enum
 * value the registry renamed (such as a provider name);</li>
 * <li>a status other than OK, which instrumentation leaves UNSET on success.</li>
 * </ul>
 * Other spans (HTTP client, application spans) are only checked for deprecated
 * attributes, and Spring AI's framework spans (ChatClient and advisors) also for their
 * status. Violations are readable sentences naming the span.
 */
final class GenAiConformance {

	/**
	 * Attributes in the registry's namespaces that the registry does not define and the
	 * starter sets on purpose; the README documents them as the starter's own (usage
	 * total and cost, the stream's cancellation, and the tutorial's {@code error.message}
	 * on a failed {@code @Traced} span, an agent run's included). The tutorial's
	 * {@code llm.*}, Spring AI's {@code spring.ai.*} and {@code @Traced}'s {@code status}
	 * and {@code code.function.name} are outside those namespaces, so nothing here judges
	 * them; {@code gen_ai.response.time_to_first_chunk} is in the registry now and is
	 * checked as a {@code double}.
	 * <p>
	 * {@code error.message} is a known departure, listed here so that it is not
	 * overlooked: upstream semantic conventions deprecated it (obsoleted, in favour of
	 * domain-specific message attributes, open-telemetry/semantic-conventions#3308) in
	 * {@code model/error/deprecated/}, which is not copied here, so a check against the
	 * whole upstream registry reports it as deprecated. The span's status description and
	 * its {@code exception} event carry the same message.
	 */
	static final Set<String> STARTER_EXTENSIONS = Set.of("gen_ai.usage.cost.amount", "gen_ai.usage.cost.currency",
			"gen_ai.usage.total_tokens", "gen_ai.response.cancelled", "error.message");

	/**
	 * Recommended attributes without a condition that the suite does not expect on every
	 * span because they exist only when the request sets them (its
	 * {@code _excluded_recommended}).
	 */
	static final Set<String> DEPENDS_ON_THE_REQUEST = Set.of("gen_ai.request.temperature",
			"gen_ai.request.max_tokens", "gen_ai.request.top_p", "gen_ai.request.stop_sequences",
			"gen_ai.request.presence_penalty", "gen_ai.request.frequency_penalty",
			"gen_ai.usage.cache_creation.input_tokens", "gen_ai.usage.cache_read.input_tokens",
			"gen_ai.tool.description");

	/**
	 * Operations whose spans are not expected to carry {@code server.address} (and so
	 * {@code server.port}), which semconv recommends for every client span: the
	 * attribute is the address of the GenAI server called, to be added when there is one,
	 * and a retrieval may query an index in the application's own process, such as the
	 * sample's BM25 retriever over its bundled corpus, where there is no server. A
	 * retrieval that calls a search service still sets it; this checker cannot tell the
	 * two apart. Inference, embeddings and every other client operation still need it.
	 */
	static final Set<String> MAY_RUN_IN_PROCESS = Set.of("retrieval");

	private static final Set<String> INFERENCE = Set.of("chat", "generate_content", "text_completion");

	private static final Set<String> MEMORY = Set.of("create_memory_store", "search_memory", "create_memory",
			"update_memory", "upsert_memory", "delete_memory", "delete_memory_store");

	/**
	 * Spring AI's ChatClient and advisor spans, under the names Spring AI gives them and
	 * under the starter's clean ones (with {@code agent.observability.ai.framework-spans}).
	 */
	private static final Set<String> FRAMEWORK_SPAN_NAMES = Set.of("spring_ai chat_client", "call", "stream",
			"tool _calling ", "chat_client", "tool_calling");

	private static final Set<String> FRAMEWORK_KINDS = Set.of("chat_client", "advisor");

	private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]+)}");

	private final SemconvRegistry registry;

	private final Set<String> namespaces;

	GenAiConformance(SemconvRegistry registry) {
		this.registry = registry;
		this.namespaces = registry.namespaces();
	}

	/**
	 * Checks spans.
	 * @param spans decoded OTLP spans
	 * @return the violations, in span order, empty when every span conforms
	 */
	List<String> check(List<Span> spans) {
		return spans.stream().flatMap((span) -> check(span).stream()).toList();
	}

	/**
	 * Checks one span.
	 * @param span a decoded OTLP span
	 * @return its violations, each starting with {@code span 'NAME': }
	 */
	List<String> check(Span span) {
		Map<String, AnyValue> attributes = attributes(span);
		List<String> problems = new ArrayList<>();
		AnyValue operation = attributes.get("gen_ai.operation.name");
		checkDeprecated(attributes, problems);
		if (operation != null) {
			checkOperation(span, operation.getStringValue(), attributes, problems);
			checkAttributes(attributes, problems);
		}
		if (operation != null || isFramework(span, attributes)) {
			checkStatus(span, problems);
		}
		return problems.stream().map((problem) -> "span '" + span.getName() + "': " + problem).toList();
	}

	/**
	 * The span types an operation's spans belong to, as the suite's
	 * {@code _coverage.py} states it: the registry gives every span type the whole
	 * operation enum, so which operation means which type is not in the YAML.
	 * @param operation a member of {@code gen_ai.operation.name}
	 * @return the span definitions, empty for an operation no definition covers
	 */
	List<SpanDefinition> definitions(String operation) {
		return this.registry.spans()
			.stream()
			.filter((definition) -> covers(definition.type(), operation))
			.toList();
	}

	private static boolean covers(String type, String operation) {
		if (INFERENCE.contains(operation)) {
			return type.equals("gen_ai.inference.client");
		}
		if (MEMORY.contains(operation)) {
			return type.equals("gen_ai.memory.client");
		}
		return type.startsWith("gen_ai." + operation + ".");
	}

	private void checkOperation(Span span, String operation, Map<String, AnyValue> attributes, List<String> problems) {
		if (!this.registry.operations().contains(operation)) {
			problems.add("gen_ai.operation.name '" + operation + "' is not an operation of the registry");
			return;
		}
		List<SpanDefinition> definitions = definitions(operation);
		if (definitions.isEmpty()) {
			problems.add("no span type of spans.yaml covers operation '" + operation + "'");
			return;
		}
		String kind = kind(span);
		List<String> kinds = definitions.stream().map(SpanDefinition::kind).distinct().toList();
		if (!kinds.contains(kind)) {
			problems.add("kind " + kind + ", expected " + String.join(" or ", kinds));
		}
		SpanDefinition definition = definitions.stream()
			.filter((candidate) -> candidate.kind().equals(kind))
			.findFirst()
			.orElse(definitions.get(0));
		String expectedName = expectedName(definition.namePattern(), attributes);
		if (expectedName != null && !expectedName.equals(span.getName())) {
			problems.add("name should be '" + expectedName + "' (" + definition.type() + ")");
		}
		checkRequirements(span, definition, operation, attributes, problems);
	}

	/**
	 * The name a pattern gives, a placeholder whose attribute is absent left out with
	 * its space; {@code null} when a placeholder's attribute is not a string, which the
	 * type check reports instead.
	 */
	private static String expectedName(String pattern, Map<String, AnyValue> attributes) {
		StringBuilder name = new StringBuilder();
		Matcher placeholder = PLACEHOLDER.matcher(pattern);
		int end = 0;
		while (placeholder.find()) {
			name.append(pattern, end, placeholder.start());
			end = placeholder.end();
			AnyValue value = attributes.get(placeholder.group(1));
			if (value == null) {
				continue;
			}
			if (value.getValueCase() != AnyValue.ValueCase.STRING_VALUE) {
				return null;
			}
			name.append(value.getStringValue());
		}
		name.append(pattern.substring(end));
		return name.toString().strip().replaceAll(" +", " ");
	}

	private void checkRequirements(Span span, SpanDefinition definition, String operation,
			Map<String, AnyValue> attributes, List<String> problems) {
		boolean failed = span.getStatus().getCode() == StatusCode.STATUS_CODE_ERROR;
		for (Map.Entry<String, Requirement> entry : definition.attributes().entrySet()) {
			String key = entry.getKey();
			Requirement requirement = entry.getValue();
			if (attributes.containsKey(key)) {
				continue;
			}
			if (requirement.level() == Level.REQUIRED) {
				problems.add("required attribute " + key + " missing (" + definition.type() + ")");
			}
			else if (expectedRecommended(key, requirement, operation, failed)) {
				problems.add("recommended attribute " + key + " missing (" + definition.type() + ")");
			}
		}
		Map<String, Requirement> defined = definition.attributes();
		if (defined.containsKey("error.type")) {
			if (failed && !attributes.containsKey("error.type")) {
				problems.add("status ERROR without error.type");
			}
			if (!failed && attributes.containsKey("error.type")) {
				problems.add("error.type " + describe(attributes.get("error.type")) + " but status "
						+ status(span));
			}
		}
		if (defined.containsKey("server.port") && !attributes.containsKey("server.port")
				&& (attributes.containsKey("server.address")
						|| expectedRecommended("server.address", defined.get("server.address"), operation, failed))) {
			problems.add("conditionally required attribute server.port missing (it goes with server.address)");
		}
		if (defined.containsKey("gen_ai.request.stream") && !attributes.containsKey("gen_ai.request.stream")
				&& attributes.containsKey("gen_ai.response.time_to_first_chunk")) {
			problems.add("conditionally required attribute gen_ai.request.stream missing "
					+ "(the span measured gen_ai.response.time_to_first_chunk, so the request streamed)");
		}
	}

	/**
	 * Whether a recommended attribute is expected on every span of its type: recommended
	 * without a condition, not one that depends on the request, not the server of an
	 * operation that may run in process and, on a failed span, not one that only a
	 * response gives.
	 */
	private static boolean expectedRecommended(String key, Requirement requirement, String operation,
			boolean failed) {
		return requirement != null && requirement.level() == Level.RECOMMENDED && requirement.condition() == null
				&& !DEPENDS_ON_THE_REQUEST.contains(key)
				&& !(key.equals("server.address") && MAY_RUN_IN_PROCESS.contains(operation))
				&& !(failed && (key.startsWith("gen_ai.response.") || key.startsWith("gen_ai.usage.")));
	}

	private void checkAttributes(Map<String, AnyValue> attributes, List<String> problems) {
		attributes.forEach((key, value) -> {
			if (this.registry.deprecation(key) != null
					|| !this.namespaces.contains(SemconvRegistry.namespace(key))) {
				return;
			}
			Attribute attribute = this.registry.attribute(key);
			if (attribute == null) {
				if (!STARTER_EXTENSIONS.contains(key)) {
					problems.add(key + " is not in the registry nor one of the starter's extensions");
				}
				return;
			}
			if (!hasType(value, attribute.type())) {
				problems.add(key + " is " + type(value) + " " + describe(value) + ", the registry says "
						+ attribute.type());
				return;
			}
			String renamed = (value.getValueCase() == AnyValue.ValueCase.STRING_VALUE)
					? this.registry.renamedValue(key, value.getStringValue()) : null;
			if (renamed != null) {
				problems.add(key + " " + describe(value) + " was renamed to \"" + renamed + "\"");
			}
		});
	}

	private void checkDeprecated(Map<String, AnyValue> attributes, List<String> problems) {
		attributes.keySet().forEach((key) -> {
			String deprecation = this.registry.deprecation(key);
			if (deprecation != null) {
				problems.add("deprecated attribute " + key + " (" + deprecation + ")");
			}
		});
	}

	private static void checkStatus(Span span, List<String> problems) {
		if (span.getStatus().getCode() == StatusCode.STATUS_CODE_OK) {
			problems.add("status OK, instrumentation leaves it UNSET on success");
		}
	}

	/**
	 * Spring AI's ChatClient and advisor spans: {@code spring.ai.kind} says so where
	 * Spring AI sets it, the names cover the rest.
	 */
	private static boolean isFramework(Span span, Map<String, AnyValue> attributes) {
		AnyValue kind = attributes.get("spring.ai.kind");
		return FRAMEWORK_SPAN_NAMES.contains(span.getName())
				|| (kind != null && FRAMEWORK_KINDS.contains(kind.getStringValue()));
	}

	private static boolean hasType(AnyValue value, String type) {
		if (type.equals("any")) {
			return true;
		}
		if (type.startsWith("template[")) {
			return hasType(value, type.substring("template[".length(), type.length() - 1));
		}
		if (type.endsWith("[]")) {
			String elementType = type.substring(0, type.length() - 2);
			return value.getValueCase() == AnyValue.ValueCase.ARRAY_VALUE && value.getArrayValue()
				.getValuesList()
				.stream()
				.allMatch((element) -> hasType(element, elementType));
		}
		return type(value).equals(type);
	}

	/**
	 * The registry's name for the type of a value on the wire.
	 */
	private static String type(AnyValue value) {
		return switch (value.getValueCase()) {
			case STRING_VALUE -> "string";
			case BOOL_VALUE -> "boolean";
			case INT_VALUE -> "int";
			case DOUBLE_VALUE -> "double";
			case ARRAY_VALUE -> value.getArrayValue()
				.getValuesList()
				.stream()
				.map(GenAiConformance::type)
				.distinct()
				.collect(Collectors.collectingAndThen(Collectors.toList(),
						(types) -> (types.size() == 1) ? types.get(0) + "[]" : "array"));
			case KVLIST_VALUE -> "map";
			case BYTES_VALUE -> "bytes";
			default -> "empty";
		};
	}

	private static String describe(AnyValue value) {
		return switch (value.getValueCase()) {
			case STRING_VALUE -> "\"" + value.getStringValue() + "\"";
			case BOOL_VALUE -> String.valueOf(value.getBoolValue());
			case INT_VALUE -> String.valueOf(value.getIntValue());
			case DOUBLE_VALUE -> String.valueOf(value.getDoubleValue());
			case ARRAY_VALUE -> value.getArrayValue()
				.getValuesList()
				.stream()
				.map(GenAiConformance::describe)
				.collect(Collectors.joining(", ", "[", "]"));
			default -> type(value);
		};
	}

	private static Map<String, AnyValue> attributes(Span span) {
		Map<String, AnyValue> attributes = new LinkedHashMap<>();
		for (KeyValue attribute : span.getAttributesList()) {
			attributes.put(attribute.getKey(), attribute.getValue());
		}
		return attributes;
	}

	private static String kind(Span span) {
		return span.getKind().name().replaceFirst("^SPAN_KIND_", "");
	}

	private static String status(Span span) {
		return span.getStatus().getCode().name().replaceFirst("^STATUS_CODE_", "");
	}

}
