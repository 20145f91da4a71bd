package io.github.agentobservability.sample;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

import static io.github.agentobservability.sample.TestTraces.CHAT_SPAN;
import static io.github.agentobservability.sample.TestTraces.COST;
import static io.github.agentobservability.sample.TestTraces.INPUT_TOKENS;
import static io.github.agentobservability.sample.TestTraces.TOOL_SPAN;
import static io.github.agentobservability.sample.TestTraces.allNamed;
import static io.github.agentobservability.sample.TestTraces.names;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * Who spent it, over HTTP with the sample's own configuration: the tenant of a request's
 * W3C baggage on its spans and on the agent meters Prometheus scrapes, {@code none}
 * without one, the conversation on the run's spans, and the chat memory that continues a
 * conversation. Its own application context (a span limit no other test sets), so that the
 * counters start at zero; each test asks for a tenant of its own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.model.chat=local", "agent.observability.spans.max-attribute-length=64",
				"agent.observability.exporters.console.enabled=false",
				"agent.observability.exporters.jsonl.path=target/attribution/agent-traces.jsonl" })
class TenantAttributionTests {

	private static final AttributeKey<String> TENANT = AttributeKey.stringKey("tenant.id");

	private static final AttributeKey<String> CONVERSATION = AttributeKey.stringKey("gen_ai.conversation.id");

	private static final String QUESTION = "What does the batch span processor do?";

	private static final String AGENT_SPAN = "invoke_agent rag";

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final Encoding tokens = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);

	@LocalServerPort
	int port;

	@Autowired
	InMemorySpanExporter spans;

	@Autowired
	SdkTracerProvider tracerProvider;

	@BeforeEach
	void reset() {
		this.tracerProvider.forceFlush().join(10, TimeUnit.SECONDS);
		this.spans.reset();
	}

	@Test
	void anAsksTenantIsOnEverySpanOfTheRunAndItsConversationOnTheAgentModelAndToolSpans() throws Exception {
		JsonNode body = answer(TestTraces.askFor(this.port, "acme", ask(QUESTION, "conv-acme-1")));
		assertThat(body.get("conversationId").asString()).isEqualTo("conv-acme-1");
		List<SpanData> trace = run(body.get("traceId").asString());

		assertThat(trace).filteredOn((span) -> span.getKind() != SpanKind.SERVER)
			.hasSize(5)
			.allSatisfy((span) -> assertThat(span.getAttributes().get(TENANT)).as(span.getName()).isEqualTo("acme"));
		assertThat(trace).filteredOn((span) -> List.of(AGENT_SPAN, CHAT_SPAN, TOOL_SPAN).contains(span.getName()))
			.hasSize(4)
			.allSatisfy((span) -> assertThat(span.getAttributes().get(CONVERSATION)).as(span.getName())
				.isEqualTo("conv-acme-1"));
	}

	@Test
	void theHttpServerSpanCarriesTheTenantToo() throws Exception {
		JsonNode body = answer(TestTraces.askFor(this.port, "acme", ask(QUESTION, null)));
		assertThat(run(body.get("traceId").asString())).filteredOn((span) -> span.getKind() == SpanKind.SERVER)
			.singleElement()
			.satisfies((span) -> assertThat(span.getAttributes().get(TENANT)).isEqualTo("acme"));
	}

	@Test
	void aTenantsScrapedCostIsTheSumOfItsModelCallsCosts() throws Exception {
		JsonNode body = answer(TestTraces.askFor(this.port, "umbrella", ask(QUESTION, "conv-umbrella-1")));
		double cost = cost(run(body.get("traceId").asString()));

		Map<String, Double> scrape = TestTraces.scrape(this.port);
		assertThat(cost).isPositive();
		assertThat(scrapedCost(scrape, "umbrella"))
			.isCloseTo(cost, within(1e-12));
		assertThat(scrape)
			.containsEntry("agent_requests_total{agent=\"rag\",outcome=\"success\",tenant_id=\"umbrella\"}", 1.0)
			.containsEntry("agent_tools_calls_total{agent=\"rag\",tenant_id=\"umbrella\",tool=\"countDocuments\"}", 1.0)
			.containsEntry("agent_tokens_total{agent=\"rag\",model=\"local-extractive-1\",tenant_id=\"umbrella\","
					+ "type=\"input\"}", body.get("usage").get("inputTokens").asDouble());
	}

	@Test
	void anAskWithoutBaggageIsTenantNone() throws Exception {
		JsonNode body = answer(TestTraces.ask(this.port, ask(QUESTION, null)));
		assertThat(body.get("conversationId").isNull()).isTrue();
		List<SpanData> trace = run(body.get("traceId").asString());
		assertThat(trace).allSatisfy((span) -> assertThat(span.getAttributes().get(TENANT)).isNull())
			.allSatisfy((span) -> assertThat(span.getAttributes().get(CONVERSATION)).isNull());

		Map<String, Double> scrape = TestTraces.scrape(this.port);
		assertThat(scrapedCost(scrape, "none"))
			.isCloseTo(cost(trace), within(1e-12));
		assertThat(scrape)
			.containsEntry("agent_requests_total{agent=\"rag\",outcome=\"success\",tenant_id=\"none\"}", 1.0);
	}

	@Test
	void aStreamedAskIsAttributedLikeACall() throws Exception {
		String traceId = TestTraces.randomHex(32);
		HttpResponse<String> response = TestTraces.streamFor(this.port, "globex", ask(QUESTION, "conv-globex-1"),
				traceId);
		assertThat(response.statusCode()).isEqualTo(200);
		List<TestTraces.Event> events = TestTraces.events(response.body());
		assertThat(json.readTree(events.get(events.size() - 1).data()).get("conversationId").asString())
			.isEqualTo("conv-globex-1");
		List<SpanData> trace = run(traceId);

		assertThat(trace).filteredOn((span) -> span.getKind() != SpanKind.SERVER)
			.hasSize(5)
			.allSatisfy((span) -> assertThat(span.getAttributes().get(TENANT)).as(span.getName()).isEqualTo("globex"));
		assertThat(trace).filteredOn((span) -> List.of(AGENT_SPAN, CHAT_SPAN, TOOL_SPAN).contains(span.getName()))
			.hasSize(4)
			.allSatisfy((span) -> assertThat(span.getAttributes().get(CONVERSATION)).as(span.getName())
				.isEqualTo("conv-globex-1"));
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(scrapedCost(TestTraces.scrape(this.port), "globex"))
				.isCloseTo(cost(trace), within(1e-12)));
	}

	@Test
	void aSecondQuestionInTheConversationShowsTheModelTheFirstExchange() throws Exception {
		JsonNode first = answer(TestTraces.askFor(this.port, "initech", ask(QUESTION, "conv-initech-1")));
		long firstInput = firstModelCallInput(first.get("traceId").asString());
		JsonNode second = answer(TestTraces.askFor(this.port, "initech", ask(QUESTION, "conv-initech-1")));
		JsonNode elsewhere = answer(TestTraces.askFor(this.port, "initech", ask(QUESTION, "conv-initech-2")));

		assertThat(firstModelCallInput(second.get("traceId").asString()))
			.isEqualTo(firstInput + exchange(QUESTION, first.get("answer").asString()));
		assertThat(firstModelCallInput(elsewhere.get("traceId").asString())).as("another conversation")
			.isEqualTo(firstInput);
		assertThat(second.get("usage").get("inputTokens").asLong())
			.isGreaterThan(first.get("usage").get("inputTokens").asLong());
	}

	@Test
	void aStreamedQuestionContinuesTheConversationToo() throws Exception {
		JsonNode first = answer(TestTraces.askFor(this.port, "hooli", ask(QUESTION, "conv-hooli-1")));
		long firstInput = firstModelCallInput(first.get("traceId").asString());
		String traceId = TestTraces.randomHex(32);
		assertThat(TestTraces.streamFor(this.port, "hooli", ask(QUESTION, "conv-hooli-1"), traceId).statusCode())
			.isEqualTo(200);

		assertThat(firstModelCallInput(traceId))
			.isEqualTo(firstInput + exchange(QUESTION, first.get("answer").asString()));
	}

	@Test
	void aTenantLongerThanTheAttributeLimitIsCutOnTheSpans() throws Exception {
		String tenant = "t".repeat(100);
		JsonNode body = answer(TestTraces.askFor(this.port, tenant, ask(QUESTION, null)));

		assertThat(run(body.get("traceId").asString())).filteredOn((span) -> span.getKind() != SpanKind.SERVER)
			.hasSize(5)
			.allSatisfy((span) -> assertThat(span.getAttributes().get(TENANT)).as(span.getName())
				.isEqualTo("t".repeat(64)));
	}

	/**
	 * Tokens the local model counts for an earlier exchange in the prompt: the question and
	 * the answer, each with 3 tokens of message framing.
	 */
	private static long exchange(String question, String answer) {
		return 3 + tokens.countTokens(question) + 3 + tokens.countTokens(answer);
	}

	private long firstModelCallInput(String traceId) {
		return allNamed(run(traceId), CHAT_SPAN).stream()
			.min((a, b) -> Long.compare(a.getStartEpochNanos(), b.getStartEpochNanos()))
			.orElseThrow()
			.getAttributes()
			.get(INPUT_TOKENS);
	}

	/** The spans of an ask's trace, once its run and both model calls have ended. */
	private List<SpanData> run(String traceId) {
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(names(TestTraces.trace(this.tracerProvider, this.spans, traceId)))
				.contains(AGENT_SPAN, TOOL_SPAN)
				.filteredOn(CHAT_SPAN::equals)
				.hasSize(2));
		return TestTraces.trace(this.tracerProvider, this.spans, traceId);
	}

	private static Double scrapedCost(Map<String, Double> scrape, String tenant) {
		return scrape.get("agent_tokens_cost_usd_total{agent=\"rag\",model=\"local-extractive-1\",tenant_id=\""
				+ tenant + "\"}");
	}

	private static double cost(List<SpanData> trace) {
		return allNamed(trace, CHAT_SPAN).stream().mapToDouble((chat) -> chat.getAttributes().get(COST)).sum();
	}

	private static String ask(String question, String conversationId) {
		return json.writeValueAsString((conversationId != null) ? Map.of("question", question, "conversationId",
				conversationId) : Map.of("question", question));
	}

	private static JsonNode answer(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return json.readTree(response.body());
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class InMemoryExport {

		@Bean
		InMemorySpanExporter inMemorySpanExporter() {
			return InMemorySpanExporter.create();
		}

	}

}
