package io.github.agentobservability.ai;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.Yaml;

/**
 * The OpenTelemetry GenAI semantic conventions as {@link GenAiConformance} judges spans
 * by them, read from the registry files copied verbatim into
 * {@code src/test/resources/semconv-genai/} (each names its source repository and commit
 * in its header), so that the conformance test follows the published YAML and not a
 * reading of it written into the test.
 * <p>
 * Attributes come from the GenAI and OpenAI registries of
 * {@code semantic-conventions-genai} and from the upstream {@code server} and
 * {@code error} registries its manifest depends on. The upstream file of deprecated
 * {@code gen_ai.*} attributes also marks every attribute that moved to the GenAI
 * repository as deprecated; only those the GenAI registry does not define again are
 * deprecated here ({@code gen_ai.system}, {@code gen_ai.usage.prompt_tokens} ...), as
 * Weaver resolves them. Enum members deprecated as renamed ({@code renamed_to}) are
 * renamed values of their attribute; those of a deprecated attribute are renamed values
 * of the attribute that replaces it too, unless that one still has them, as
 * {@code gen_ai.system}'s {@code vertex_ai}, now {@code gcp.vertex_ai}, is for
 * {@code gen_ai.provider.name}. Span definitions come from {@code spans.yaml}, with their
 * {@code ref_group}s expanded and each {@code ref} resolved against the attributes: a
 * later {@code ref} of the same attribute overrides the requirement level only when it
 * names one.
 */
final class SemconvRegistry {

	private static final String LOCATION = "semconv-genai/";

	private static final List<String> ATTRIBUTE_FILES = List.of("model/gen-ai/registry.yaml",
			"model/openai/registry.yaml", "upstream/server-registry.yaml", "upstream/error-registry.yaml");

	private static final String DEPRECATED_FILE = "upstream/gen-ai-registry-deprecated.yaml";

	private static final String SPANS_FILE = "model/gen-ai/spans.yaml";

	private static final Pattern SPAN_NAME = Pattern.compile("\\*\\*Span name\\*\\* SHOULD be `([^`]+)`");

	private static final Pattern REPLACED_BY = Pattern.compile("Replaced by `([^`]+)`");

	private final Map<String, Attribute> attributes;

	private final Map<String, String> deprecations;

	private final Map<String, Map<String, String>> renamedValues;

	private final Map<String, SpanDefinition> spans;

	private SemconvRegistry(Map<String, Attribute> attributes, Map<String, String> deprecations,
			Map<String, Map<String, String>> renamedValues, Map<String, SpanDefinition> spans) {
		this.attributes = attributes;
		this.deprecations = deprecations;
		this.renamedValues = renamedValues;
		this.spans = spans;
	}

	/**
	 * Reads the registry from the test class path.
	 * @return the registry
	 */
	static SemconvRegistry load() {
		Map<String, Attribute> attributes = new LinkedHashMap<>();
		Map<String, Map<String, String>> renamedValues = new LinkedHashMap<>();
		for (String file : ATTRIBUTE_FILES) {
			for (Map<String, Object> entry : attributeEntries(read(file))) {
				Attribute attribute = attribute(entry);
				attributes.put(attribute.key(), attribute);
				renamedMembers(entry).forEach((value, renamed) -> renamedValues
					.computeIfAbsent(attribute.key(), (key) -> new LinkedHashMap<>())
					.put(value, renamed));
			}
		}
		Map<String, String> deprecations = new LinkedHashMap<>();
		for (Map<String, Object> entry : attributeEntries(read(DEPRECATED_FILE))) {
			if (entry.get("deprecated") instanceof Map<?, ?> deprecated && !attributes.containsKey(key(entry))) {
				deprecations.put(key(entry), instead(deprecated));
				Attribute successor = attributes.get(successor(deprecated));
				if (successor != null) {
					renamedMembers(entry).forEach((value, renamed) -> {
						if (!successor.members().contains(value)) {
							renamedValues.computeIfAbsent(successor.key(), (key) -> new LinkedHashMap<>())
								.putIfAbsent(value, renamed);
						}
					});
				}
			}
		}
		return new SemconvRegistry(Collections.unmodifiableMap(attributes), Collections.unmodifiableMap(deprecations),
				Collections.unmodifiableMap(renamedValues), spans(read(SPANS_FILE), attributes));
	}

	/**
	 * The attribute a span attribute key is an instance of: the one of that key, or the
	 * template attribute ({@code template[string]}) the key extends.
	 * @param key a span attribute key, e.g. {@code gen_ai.prompt.variable.user_name}
	 * @return the attribute, or {@code null} when the registry has none
	 */
	Attribute attribute(String key) {
		Attribute attribute = this.attributes.get(key);
		if (attribute != null) {
			return attribute;
		}
		return this.attributes.values()
			.stream()
			.filter((candidate) -> candidate.type().startsWith("template[") && key.startsWith(candidate.key() + "."))
			.findFirst()
			.orElse(null);
	}

	/**
	 * What replaces a deprecated attribute.
	 * @param key the attribute key
	 * @return e.g. {@code "replaced by gen_ai.provider.name"}, or {@code null} when the
	 * attribute is not deprecated
	 */
	String deprecation(String key) {
		return this.deprecations.get(key);
	}

	/**
	 * What an enum value the registry renamed is called now.
	 * @param key the attribute key, e.g. {@code gen_ai.provider.name}
	 * @param value a value of the attribute, e.g. {@code vertex_ai}
	 * @return the value's new name, e.g. {@code gcp.vertex_ai}, or {@code null} when the
	 * registry did not rename it (a current member, or a custom value)
	 */
	String renamedValue(String key, String value) {
		Map<String, String> renamed = this.renamedValues.get(key);
		return (renamed != null) ? renamed.get(value) : null;
	}

	/**
	 * The namespaces (first segment of the key) the registry defines attributes in, the
	 * only ones it can judge: {@code gen_ai}, {@code openai}, {@code server},
	 * {@code error}.
	 * @return the namespaces
	 */
	Set<String> namespaces() {
		Set<String> namespaces = new LinkedHashSet<>();
		this.attributes.keySet().forEach((key) -> namespaces.add(namespace(key)));
		this.deprecations.keySet().forEach((key) -> namespaces.add(namespace(key)));
		return namespaces;
	}

	/**
	 * The operations semconv defines, the members of {@code gen_ai.operation.name}.
	 * @return the operation names, in registry order
	 */
	List<String> operations() {
		return this.attributes.get("gen_ai.operation.name").members();
	}

	/**
	 * The span definition of a type.
	 * @param type e.g. {@code gen_ai.inference.client}
	 * @return the definition, or {@code null}
	 */
	SpanDefinition span(String type) {
		return this.spans.get(type);
	}

	Collection<SpanDefinition> spans() {
		return this.spans.values();
	}

	static String namespace(String key) {
		int dot = key.indexOf('.');
		return (dot < 0) ? key : key.substring(0, dot);
	}

	// Reading

	private static Map<String, Object> read(String file) {
		try (InputStream in = SemconvRegistry.class.getClassLoader().getResourceAsStream(LOCATION + file)) {
			if (in == null) {
				throw new IllegalStateException("No " + LOCATION + file + " on the test class path");
			}
			return new Yaml().load(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The attribute definitions of a file, in either model format: {@code attributes:}
	 * ({@code definition/2}, keyed by {@code key}) or {@code groups:} with
	 * {@code attributes:} (upstream, keyed by {@code id}); {@code ref}s to attributes
	 * defined elsewhere are left out.
	 */
	private static List<Map<String, Object>> attributeEntries(Map<String, Object> file) {
		List<Map<String, Object>> entries = new ArrayList<>(maps(file.get("attributes")));
		for (Map<String, Object> group : maps(file.get("groups"))) {
			entries.addAll(maps(group.get("attributes")));
		}
		entries.removeIf((entry) -> entry.containsKey("ref"));
		return entries;
	}

	private static Attribute attribute(Map<String, Object> entry) {
		Object type = entry.get("type");
		if (type instanceof Map<?, ?> enumType) {
			List<String> members = maps(enumType.get("members")).stream()
				.map((member) -> String.valueOf(member.get("value")))
				.toList();
			return new Attribute(key(entry), "string", members, (String) entry.get("stability"));
		}
		return new Attribute(key(entry), (String) type, List.of(), (String) entry.get("stability"));
	}

	private static String key(Map<String, Object> entry) {
		return (String) (entry.containsKey("key") ? entry.get("key") : entry.get("id"));
	}

	private static String instead(Map<?, ?> deprecated) {
		if (deprecated.get("renamed_to") != null) {
			return "renamed to " + deprecated.get("renamed_to");
		}
		String successor = successor(deprecated);
		return (successor != null) ? "replaced by " + successor : String.valueOf(deprecated.get("note")).strip();
	}

	/**
	 * The attribute that replaces a deprecated one: the one it was renamed to, or the one
	 * its note says replaces it; {@code null} when it has none.
	 */
	private static String successor(Map<?, ?> deprecated) {
		if (deprecated.get("renamed_to") != null) {
			return String.valueOf(deprecated.get("renamed_to"));
		}
		Matcher replacedBy = REPLACED_BY.matcher(String.valueOf(deprecated.get("note")));
		return replacedBy.find() ? replacedBy.group(1) : null;
	}

	/**
	 * The enum members of an attribute entry deprecated as renamed: value to new value.
	 */
	private static Map<String, String> renamedMembers(Map<String, Object> entry) {
		Map<String, String> renamed = new LinkedHashMap<>();
		if (entry.get("type") instanceof Map<?, ?> enumType) {
			for (Map<String, Object> member : maps(enumType.get("members"))) {
				if (member.get("deprecated") instanceof Map<?, ?> deprecated
						&& deprecated.get("renamed_to") != null) {
					renamed.put(String.valueOf(member.get("value")), String.valueOf(deprecated.get("renamed_to")));
				}
			}
		}
		return renamed;
	}

	private static Map<String, SpanDefinition> spans(Map<String, Object> file, Map<String, Attribute> attributes) {
		Map<String, List<Map<String, Object>>> groups = new LinkedHashMap<>();
		for (Map<String, Object> group : maps(file.get("attribute_groups"))) {
			groups.put((String) group.get("id"), maps(group.get("attributes")));
		}
		Map<String, SpanDefinition> spans = new LinkedHashMap<>();
		for (Map<String, Object> span : maps(file.get("spans"))) {
			String type = (String) span.get("type");
			Map<String, Requirement> requirements = new LinkedHashMap<>();
			resolve(maps(span.get("attributes")), groups, attributes, requirements);
			String nameNote = String.valueOf(((Map<?, ?>) span.get("name")).get("note"));
			Matcher name = SPAN_NAME.matcher(nameNote);
			if (!name.find()) {
				throw new IllegalStateException("No span name pattern in the name note of " + type);
			}
			spans.put(type, new SpanDefinition(type, ((String) span.get("kind")).toUpperCase(Locale.ROOT),
					name.group(1), Collections.unmodifiableMap(requirements)));
		}
		return Collections.unmodifiableMap(spans);
	}

	private static void resolve(List<Map<String, Object>> entries, Map<String, List<Map<String, Object>>> groups,
			Map<String, Attribute> attributes, Map<String, Requirement> requirements) {
		for (Map<String, Object> entry : entries) {
			if (entry.containsKey("ref_group")) {
				List<Map<String, Object>> group = groups.get((String) entry.get("ref_group"));
				if (group == null) {
					throw new IllegalStateException("Unknown attribute group " + entry.get("ref_group"));
				}
				resolve(group, groups, attributes, requirements);
				continue;
			}
			String key = (String) entry.get("ref");
			if (!attributes.containsKey(key)) {
				throw new IllegalStateException("spans.yaml refers to " + key + ", which no registry file defines");
			}
			Requirement requirement = Requirement.of(entry.get("requirement_level"));
			if (requirement != null) {
				requirements.put(key, requirement);
			}
			else {
				requirements.putIfAbsent(key, new Requirement(Level.RECOMMENDED, null));
			}
		}
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> maps(Object list) {
		return (list != null) ? (List<Map<String, Object>>) list : List.of();
	}

	/**
	 * An attribute of the registry.
	 *
	 * @param key the key, e.g. {@code gen_ai.request.stream}
	 * @param type {@code string}, {@code int}, {@code double}, {@code boolean},
	 * {@code string[]} (and other arrays), {@code any} or {@code template[string]}; an
	 * enum ({@code type: {members: [...]}}) is a {@code string}
	 * @param members the values of an enum, empty otherwise
	 * @param stability e.g. {@code development} or {@code stable}
	 */
	record Attribute(String key, String type, List<String> members, String stability) {
	}

	/**
	 * A span type of {@code spans.yaml}.
	 *
	 * @param type e.g. {@code gen_ai.inference.client}
	 * @param kind {@code CLIENT} or {@code INTERNAL}
	 * @param namePattern what the name note says the span name SHOULD be, e.g.
	 * {@code {gen_ai.operation.name} {gen_ai.request.model}}
	 * @param attributes the resolved attributes and their requirement levels
	 */
	record SpanDefinition(String type, String kind, String namePattern, Map<String, Requirement> attributes) {
	}

	/**
	 * A requirement level: {@code required}, or a level with its condition, as
	 * {@code conditionally_required: "If available."} or
	 * {@code recommended: "When applicable."}.
	 *
	 * @param level the level
	 * @param condition the condition in prose, or {@code null} when unconditional
	 */
	record Requirement(Level level, String condition) {

		static Requirement of(Object yaml) {
			if (yaml == null) {
				return null;
			}
			if (yaml instanceof Map<?, ?> conditional) {
				Map.Entry<?, ?> entry = conditional.entrySet().iterator().next();
				return new Requirement(Level.of((String) entry.getKey()), String.valueOf(entry.getValue()).strip());
			}
			return new Requirement(Level.of((String) yaml), null);
		}

	}

	enum Level {

		REQUIRED, CONDITIONALLY_REQUIRED, RECOMMENDED, OPT_IN;

		static Level of(String yaml) {
			return valueOf(yaml.toUpperCase(Locale.ROOT));
		}

	}

}
