package io.github.agentobservability.ai;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.agentobservability.ai.GenAiInstrumentationTests.SupportAgent;
import io.github.agentobservability.metrics.GenAiMeters;
import io.github.agentobservability.metrics.Promtool;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusOutputFormat;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusScrapeEndpoint;
import org.springframework.context.ApplicationContext;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * The GenAI metrics in Boot's Prometheus output, judged against the convention's own
 * files, copied verbatim to {@code src/test/resources/semconv-genai}: {@code metrics.yaml}
 * for instrument, unit and attributes, {@code metrics-bucket-advice.md} for the bucket
 * boundaries. A new release of those files that changes a boundary or an attribute fails
 * here.
 */
class GenAiSemconvPrometheusScrapeTests extends OpenAiApplicationTests {

	private static final String MODEL_DIR = "semconv-genai/model/gen-ai/";

	/**
	 * Attributes of the groups {@code metrics.yaml} refers to but {@code spans.yaml}
	 * defines (not copied here), as that file defines them.
	 */
	private static final Map<String, List<String>> SPAN_GROUPS = Map.of("attributes.gen_ai.address_and_port",
			List.of("server.address", "server.port"), "attributes.gen_ai.common",
			List.of("gen_ai.request.model", "gen_ai.operation.name"), "attributes.gen_ai.error", List.of("error.type"),
			"attributes.gen_ai.invoked_agent.internal.common", List.of("gen_ai.agent.name", "gen_ai.request.model"),
			"attributes.gen_ai.execute_tool.common",
			List.of("gen_ai.tool.name", "gen_ai.tool.type", "gen_ai.agent.name"));

	/**
	 * Attributes the starter leaves out, as the README says: Spring AI's observations do
	 * not carry the server's address, and an agent run may call any model.
	 */
	private static final Map<GenAiMeters, Set<String>> LEFT_OUT = Map.of(GenAiMeters.CLIENT_TOKEN_USAGE,
			Set.of("server.address", "server.port"), GenAiMeters.CLIENT_OPERATION_DURATION,
			Set.of("server.address", "server.port"), GenAiMeters.CLIENT_OPERATION_TIME_TO_FIRST_CHUNK,
			Set.of("server.address", "server.port"), GenAiMeters.CLIENT_OPERATION_TIME_PER_OUTPUT_CHUNK,
			Set.of("server.address", "server.port"), GenAiMeters.INVOKE_AGENT_DURATION,
			Set.of("gen_ai.request.model"), GenAiMeters.EXECUTE_TOOL_DURATION, Set.of());

	private static final Pattern ADVICE = Pattern.compile("### Metric: `([^`]+)`\\s+"
			+ "This metric SHOULD be specified with \\[ExplicitBucketBoundaries] of\\s+\\[([^]]+)]");

	private static final Pattern BUCKET = Pattern.compile("^(\\w+)_bucket\\{(.*)} \\S+$");

	private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

	GenAiSemconvPrometheusScrapeTests() {
		super(GenAiInstrumentationTests.TestApplication.class);
	}

	@Test
	void everyGenAiHistogramHasTheConventionsInstrumentUnitAttributesAndBuckets() throws Exception {
		this.server.enqueueToolCall("currentWeather", "{\"city\":\"Atlantis\"}", "call_1", 50, 10)
			.enqueueChat("I could not get the weather.", OpenAiMockServerTests.RESPONSE_MODEL, 70, 8)
			.enqueueStream(List.of("Sun", "ny", "."), OpenAiMockServerTests.RESPONSE_MODEL, 40, 3,
					Duration.ofMillis(20))
			.enqueueEmbedding(8, 12)
			.enqueueError(429, "rate_limit_exceeded", "Rate limit reached");
		Map<String, Map<String, Object>> definitions = metricDefinitions();
		Map<String, List<Double>> advice = bucketAdvice();
		this.contextRunner.run((context) -> {
			SupportAgent agent = context.getBean(SupportAgent.class);
			agent.askWithTools("Atlantis?");
			agent.stream("weather?").collectList().block();
			context.getBean(EmbeddingModel.class).embed("some text");
			assertThatException().isThrownBy(() -> agent.ask("hi", "c"));
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(scrape(context)).contains("gen_ai_invoke_agent_duration_seconds_count")
					.contains("error_type=\"com.openai.errors.RateLimitException\"")
					.contains("gen_ai_client_operation_time_to_first_chunk_seconds_count")
					.contains("gen_ai_client_operation_time_per_output_chunk_seconds_count"));
			String scrape = scrape(context);

			for (GenAiMeters meter : GenAiMeters.values()) {
				Map<String, Object> definition = definitions.get(meter.getName());
				assertThat(definition).as("%s in metrics.yaml", meter.getName()).isNotNull();
				assertThat(definition.get("instrument")).as(meter.getName()).isEqualTo("histogram");
				assertThat(definition.get("unit")).as(meter.getName()).isEqualTo(meter.getUnit());
				String family = prometheusName(meter);
				assertThat(scrape).as(family).contains("# TYPE " + family + " histogram\n");
				List<Map<String, String>> buckets = buckets(scrape, family);
				assertThat(buckets).as(family).isNotEmpty();
				List<Double> boundaries = new ArrayList<>(advice.get(meter.getName()));
				boundaries.add(Double.POSITIVE_INFINITY);
				Set<String> expectedLabels = new TreeSet<>();
				attributes(definition, definitions).stream()
					.filter((attribute) -> !LEFT_OUT.get(meter).contains(attribute))
					.forEach((attribute) -> expectedLabels.add(attribute.replace('.', '_')));
				Map<Map<String, String>, List<Double>> bucketsBySeries = new LinkedHashMap<>();
				for (Map<String, String> bucket : buckets) {
					Map<String, String> series = new LinkedHashMap<>(bucket);
					String le = series.remove("le");
					assertThat(series.keySet()).as("%s labels", family)
						.containsExactlyInAnyOrderElementsOf(expectedLabels);
					bucketsBySeries.computeIfAbsent(series, (key) -> new ArrayList<>()).add(upperBound(le));
				}
				bucketsBySeries.values()
					.forEach((les) -> assertThat(les).as("%s le", family).containsExactlyElementsOf(boundaries));
			}
			assertThat(scrape).doesNotContain("gen_ai_client_token_usage_total")
				.containsOnlyOnce("# TYPE gen_ai_client_token_usage ");

			Path file = Path.of("target", "prometheus-scrape-genai.txt");
			Files.createDirectories(file.getParent());
			Files.writeString(file, scrape);
			Promtool.assertAccepts(file);
		});
	}

	private static double upperBound(String le) {
		return "+Inf".equals(le) ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
	}

	/** {@code gen_ai.client.operation.duration} in seconds: {@code gen_ai_client_operation_duration_seconds}. */
	private static String prometheusName(GenAiMeters meter) {
		return meter.getName().replace('.', '_') + ("s".equals(meter.getUnit()) ? "_seconds" : "");
	}

	private static String scrape(ApplicationContext context) {
		PrometheusRegistry registry = context.getBean(PrometheusRegistry.class);
		PrometheusScrapeEndpoint endpoint = context.getBeanProvider(PrometheusScrapeEndpoint.class)
			.getIfAvailable(() -> new PrometheusScrapeEndpoint(registry, new Properties()));
		return new String(endpoint.scrape(PrometheusOutputFormat.CONTENT_TYPE_004, null).getBody(),
				StandardCharsets.UTF_8);
	}

	private static List<Map<String, String>> buckets(String scrape, String family) {
		List<Map<String, String>> buckets = new ArrayList<>();
		for (String line : scrape.split("\n")) {
			Matcher bucket = BUCKET.matcher(line);
			if (bucket.matches() && bucket.group(1).equals(family)) {
				Map<String, String> labels = new LinkedHashMap<>();
				Matcher label = LABEL.matcher(bucket.group(2));
				while (label.find()) {
					labels.put(label.group(1), label.group(2));
				}
				buckets.add(labels);
			}
		}
		return buckets;
	}

	/** The attribute keys of a metric, its groups resolved. */
	@SuppressWarnings("unchecked")
	private static Set<String> attributes(Map<String, Object> definition, Map<String, Map<String, Object>> groups) {
		Set<String> keys = new LinkedHashSet<>();
		for (Map<String, Object> attribute : (List<Map<String, Object>>) definition.get("attributes")) {
			if (attribute.containsKey("ref")) {
				keys.add((String) attribute.get("ref"));
			}
			else {
				String group = (String) attribute.get("ref_group");
				if (groups.containsKey(group)) {
					keys.addAll(attributes(groups.get(group), groups));
				}
				else {
					assertThat(SPAN_GROUPS).as("attribute group %s", group).containsKey(group);
					keys.addAll(SPAN_GROUPS.get(group));
				}
			}
		}
		return keys;
	}

	/** Metrics and attribute groups of {@code metrics.yaml}, by name and id. */
	@SuppressWarnings("unchecked")
	private static Map<String, Map<String, Object>> metricDefinitions() throws IOException {
		try (InputStream in = new ClassPathResource(MODEL_DIR + "metrics.yaml").getInputStream()) {
			Map<String, Object> model = new Yaml().load(in);
			Map<String, Map<String, Object>> definitions = new LinkedHashMap<>();
			((List<Map<String, Object>>) model.get("attribute_groups"))
				.forEach((group) -> definitions.put((String) group.get("id"), group));
			((List<Map<String, Object>>) model.get("metrics"))
				.forEach((metric) -> definitions.put((String) metric.get("name"), metric));
			return definitions;
		}
	}

	private static Map<String, List<Double>> bucketAdvice() throws IOException {
		String text = new ClassPathResource(MODEL_DIR + "metrics-bucket-advice.md")
			.getContentAsString(StandardCharsets.UTF_8);
		Map<String, List<Double>> advice = new LinkedHashMap<>();
		Matcher matcher = ADVICE.matcher(text);
		while (matcher.find()) {
			List<Double> boundaries = new ArrayList<>();
			for (String boundary : matcher.group(2).split(",")) {
				boundaries.add(Double.parseDouble(boundary.trim()));
			}
			advice.put(matcher.group(1), boundaries);
		}
		assertThat(advice).containsKeys("gen_ai.client.token.usage", "gen_ai.client.operation.duration");
		return advice;
	}

}
