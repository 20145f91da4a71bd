package io.github.agentobservability.sample;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
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
import static io.github.agentobservability.sample.TestTraces.OUTPUT_TOKENS;
import static io.github.agentobservability.sample.TestTraces.TOOL_SPAN;
import static io.github.agentobservability.sample.TestTraces.allNamed;
import static io.github.agentobservability.sample.TestTraces.ancestors;
import static io.github.agentobservability.sample.TestTraces.named;
import static io.github.agentobservability.sample.TestTraces.names;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The whole application offline, over HTTP: answers, usage and cost, the trace of a run,
 * streaming, questions the corpus does not cover, requests that make no trace and bad
 * requests.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.model.chat=local",
				"agent.observability.exporters.jsonl.path=target/e2e/agent-traces.jsonl",
				"agent.observability.exporters.console.enabled=false" })
class AskEndToEndTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final String NOTHING_FOUND = "I could not find anything about that in the corpus.";

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
	void anAskIsOneAgentRunWithRetrievalModelCallsAndAToolCall() throws Exception {
		HttpResponse<String> response = TestTraces.ask(this.port, "{\"question\":\"What does the batch span processor do?\"}");
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode body = json.readTree(response.body());
		assertThat(body.get("answer").asString()).contains("batch").contains("[otel-05]").contains("countDocuments");
		assertThat(body.get("sources").values()).extracting(JsonNode::asString).containsExactly("otel-05");
		assertThat(body.get("conversationId").isNull()).as("a question on its own").isTrue();
		String traceId = body.get("traceId").asString();
		assertThat(traceId).hasSize(32);

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(names(trace(traceId))).contains("invoke_agent rag", Bm25Retriever.RETRIEVAL_SPAN, CHAT_SPAN,
					TOOL_SPAN));
		List<SpanData> trace = trace(traceId);
		SpanData run = named(trace, "invoke_agent rag");
		SpanData retrieval = named(trace, Bm25Retriever.RETRIEVAL_SPAN);
		SpanData tool = named(trace, TOOL_SPAN);
		List<SpanData> chats = allNamed(trace, CHAT_SPAN);
		assertThat(run.getAttributes().get(AttributeKey.stringKey("gen_ai.agent.name"))).isEqualTo("rag");
		assertThat(retrieval.getParentSpanId()).isEqualTo(run.getSpanId());
		assertThat(retrieval.getAttributes().get(AttributeKey.longKey("retrieval.doc_count"))).isEqualTo(1L);
		assertThat(retrieval.getAttributes().get(AttributeKey.longKey("retrieval.top_k"))).isEqualTo(3L);
		assertThat(retrieval.getKind()).isEqualTo(SpanKind.CLIENT);
		assertThat(retrieval.getAttributes().get(AttributeKey.stringKey("gen_ai.operation.name"))).isEqualTo("retrieval");
		assertThat(retrieval.getAttributes().get(AttributeKey.stringKey("gen_ai.data_source.id"))).isEqualTo("corpus");
		assertThat(retrieval.getAttributes().get(AttributeKey.longKey("gen_ai.retrieval.top_k"))).isEqualTo(3L);
		assertThat(chats).hasSize(2)
			.allSatisfy((chat) -> assertThat(ancestors(trace, chat)).contains(run.getSpanId()))
			.allSatisfy((chat) -> assertThat(chat.getAttributes().get(AttributeKey.stringKey("gen_ai.provider.name")))
				.isEqualTo("local"));
		assertThat(chats).extracting((chat) -> chat.getAttributes()
			.get(AttributeKey.stringArrayKey("gen_ai.response.finish_reasons"))
			.get(0)).containsExactlyInAnyOrder("tool_calls", "stop");
		assertThat(ancestors(trace, tool)).contains(run.getSpanId());
		assertThat(tool.getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);

		long input = chats.stream().mapToLong((chat) -> chat.getAttributes().get(INPUT_TOKENS)).sum();
		long output = chats.stream().mapToLong((chat) -> chat.getAttributes().get(OUTPUT_TOKENS)).sum();
		double cost = chats.stream().mapToDouble((chat) -> chat.getAttributes().get(COST)).sum();
		JsonNode usage = body.get("usage");
		assertThat(input).isPositive();
		assertThat(output).isPositive();
		assertThat(usage.get("inputTokens").asLong()).isEqualTo(input);
		assertThat(usage.get("outputTokens").asLong()).isEqualTo(output);
		assertThat(usage.get("totalTokens").asLong()).isEqualTo(input + output);
		assertThat(body.get("costUsd").asDouble()).isPositive().isCloseTo(cost, within(1e-12));
		// 0.15 and 0.60 USD per million tokens, from application.yml
		assertThat(body.get("costUsd").asDouble()).isCloseTo((input * 0.15 + output * 0.60) / 1e6, within(1e-12));

		SpanData server = trace.stream()
			.filter((span) -> span.getSpanId().equals(run.getParentSpanId()))
			.findFirst()
			.orElseThrow();
		assertThat(server.getName()).containsIgnoringCase("post");
	}

	@Test
	void theStreamSendsTheAnswerAsServerSentEventsAndIsTracedWithTimeToFirstChunk() throws Exception {
		String traceId = TestTraces.randomHex(32);
		HttpResponse<String> response = TestTraces.stream(this.port,
				"{\"question\":\"What does the batch span processor do?\"}", traceId);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("text/event-stream"));
		List<String> pieces = pieces(TestTraces.events(response.body()));
		assertThat(pieces).hasSizeGreaterThan(10);
		String answer = String.join("", pieces);
		String full = json.readTree(TestTraces.ask(this.port, "{\"question\":\"What does the batch span processor do?\"}")
			.body()).get("answer").asString();
		assertThat(answer).isEqualTo(full).contains("[otel-05]");

		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			List<SpanData> trace = trace(traceId);
			SpanData run = named(trace, "invoke_agent rag");
			assertThat(run.getAttributes().get(AttributeKey.stringKey("status"))).isEqualTo("success");
			assertThat(allNamed(trace, CHAT_SPAN)).hasSize(2)
				.allSatisfy((chat) -> assertThat(ancestors(trace, chat)).contains(run.getSpanId()))
				.anySatisfy((chat) -> assertThat(
						chat.getAttributes().get(AttributeKey.doubleKey("gen_ai.response.time_to_first_chunk")))
					.isNotNull()
					.isPositive());
			assertThat(named(trace, TOOL_SPAN)).isNotNull();
		});
	}

	@Test
	void theStreamEndsWithTheJsonAnswerItsSourcesUsageCostAndTraceId() throws Exception {
		String question = "{\"question\":\"What does the batch span processor do?\"}";
		String traceId = TestTraces.randomHex(32);
		List<TestTraces.Event> events = TestTraces.events(TestTraces.stream(this.port, question, traceId).body());
		assertThat(events).extracting(TestTraces.Event::name).containsOnlyOnce("answer").last().isEqualTo("answer");
		JsonNode last = json.readTree(events.get(events.size() - 1).data());
		JsonNode asked = json.readTree(TestTraces.ask(this.port, question).body());

		assertThat(last.get("answer").asString()).isEqualTo(String.join("", pieces(events)))
			.isEqualTo(asked.get("answer").asString());
		assertThat(last.get("sources").values()).extracting(JsonNode::asString).containsExactly("otel-05");
		assertThat(last.get("traceId").asString()).isEqualTo(traceId);
		assertThat(last.get("usage")).isEqualTo(asked.get("usage"));
		assertThat(last.get("usage").get("totalTokens").asLong()).isPositive();
		assertThat(last.get("costUsd").decimalValue()).isPositive().isEqualTo(asked.get("costUsd").decimalValue());
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(allNamed(trace(traceId), CHAT_SPAN)).hasSize(2));
		assertThat(allNamed(trace(traceId), CHAT_SPAN).stream()
			.mapToLong((chat) -> chat.getAttributes().get(INPUT_TOKENS) + chat.getAttributes().get(OUTPUT_TOKENS))
			.sum()).isEqualTo(last.get("usage").get("totalTokens").asLong());
	}

	@Test
	void aQuestionTheCorpusDoesNotCoverIsAnsweredSoWithNoSourcesAndNoModelCall() throws Exception {
		HttpResponse<String> response = TestTraces.ask(this.port, "{\"question\":\"What is the capital of France?\"}");
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode body = json.readTree(response.body());
		assertThat(body.get("answer").asString()).isEqualTo(NOTHING_FOUND);
		assertThat(body.get("sources").isArray()).isTrue();
		assertThat(body.get("sources").values()).isEmpty();
		assertThat(body.get("usage").get("totalTokens").asLong()).isZero();
		String traceId = body.get("traceId").asString();

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(names(trace(traceId))).contains("invoke_agent rag",
					Bm25Retriever.RETRIEVAL_SPAN));
		List<SpanData> trace = trace(traceId);
		assertThat(named(trace, Bm25Retriever.RETRIEVAL_SPAN).getAttributes()
			.get(AttributeKey.longKey("retrieval.doc_count"))).isZero();
		assertThat(names(trace)).doesNotContain(CHAT_SPAN, TOOL_SPAN);
	}

	@Test
	void theStreamOfAQuestionTheCorpusDoesNotCoverEndsWithNoSources() throws Exception {
		String traceId = TestTraces.randomHex(32);
		HttpResponse<String> response = TestTraces.stream(this.port,
				"{\"question\":\"What is the capital of France?\"}", traceId);
		assertThat(response.statusCode()).isEqualTo(200);
		List<TestTraces.Event> events = TestTraces.events(response.body());
		assertThat(String.join("", pieces(events))).isEqualTo(NOTHING_FOUND);
		assertThat(events).last().extracting(TestTraces.Event::name).isEqualTo("answer");
		JsonNode last = json.readTree(events.get(events.size() - 1).data());
		assertThat(last.get("answer").asString()).isEqualTo(NOTHING_FOUND);
		assertThat(last.get("sources").isArray()).isTrue();
		assertThat(last.get("sources").values()).isEmpty();
		assertThat(last.get("traceId").asString()).isEqualTo(traceId);
	}

	@Test
	void healthChecksScrapesTheFaviconAndThePagesOwnRequestsMakeNoSpans() throws Exception {
		String earlier = json.readTree(TestTraces.ask(this.port, "{\"question\":\"What is OTLP?\"}").body())
			.get("traceId")
			.asString();
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(names(trace(earlier))).contains("http post /api/ask"));
		reset();
		Path jsonLines = Path.of("target/e2e/agent-traces.jsonl");
		int linesBefore = Files.readAllLines(jsonLines).size();

		assertThat(TestTraces.get(this.port, "/actuator/health").statusCode()).isEqualTo(200);
		assertThat(TestTraces.get(this.port, "/actuator/prometheus").statusCode()).isEqualTo(200);
		TestTraces.get(this.port, "/favicon.ico");
		assertThat(TestTraces.get(this.port, "/").statusCode()).isEqualTo(200);
		assertThat(TestTraces.get(this.port, "/api/ui").statusCode()).isEqualTo(200);
		assertThat(TestTraces.get(this.port, "/api/traces/" + earlier).statusCode()).isEqualTo(200);
		String traceId = json.readTree(TestTraces.ask(this.port, "{\"question\":\"What is OTLP?\"}").body())
			.get("traceId")
			.asString();

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(names(trace(traceId))).contains("http post /api/ask", "invoke_agent rag"));
		assertThat(TestTraces.spans(this.tracerProvider, this.spans))
			.allSatisfy((span) -> assertThat(span.getTraceId()).as(span.getName()).isEqualTo(traceId));
		List<String> written = Files.readAllLines(jsonLines);
		assertThat(written.subList(linesBefore, written.size())).isNotEmpty()
			.allSatisfy((line) -> assertThat(line).contains(traceId));
	}
	@Test
	void theQuestionIsNotRecordedInAnySpan() throws Exception {
		String secret = "zebra-unicorn-4711";
		assertThat(TestTraces.ask(this.port, "{\"question\":\"tell me about " + secret + "\"}").statusCode())
			.isEqualTo(200);
		assertThat(TestTraces.spans(this.tracerProvider, this.spans)).isNotEmpty()
			.allSatisfy((span) -> assertThat(span.getAttributes().toString()).doesNotContain(secret));
	}

	@Test
	void spansReachTheJsonLinesFile() throws Exception {
		HttpResponse<String> response = TestTraces.ask(this.port, "{\"question\":\"What is OTLP?\"}");
		String traceId = json.readTree(response.body()).get("traceId").asString();
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(Files.readAllLines(Path.of("target/e2e/agent-traces.jsonl")))
				.anySatisfy((line) -> assertThat(line).contains(traceId).contains("\"name\":\"invoke_agent rag\"")));
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(Files.readAllLines(Path.of("target/e2e/agent-traces.jsonl")))
				.anySatisfy((line) -> assertThat(line).contains(traceId)
					.contains("\"name\":\"retrieval corpus\"")
					.contains("\"retrieval.doc_count\":1")
					.contains("\"retrieval.top_k\":3")));
	}

	@Test
	void blankQuestionIsAProblemNamingTheField() throws Exception {
		assertProblem(TestTraces.ask(this.port, "{\"question\":\"  \"}"), 400, "question");
	}

	@Test
	void missingQuestionIsAProblemNamingTheField() throws Exception {
		assertProblem(TestTraces.ask(this.port, "{}"), 400, "question");
	}

	@Test
	void tooLongQuestionIsAProblemNamingTheField() throws Exception {
		assertProblem(TestTraces.ask(this.port, "{\"question\":\"" + "a".repeat(4001) + "\"}"), 400, "question");
	}

	@Test
	void aQuestionOfTheMaximumLengthIsAnswered() throws Exception {
		assertThat(TestTraces.ask(this.port, "{\"question\":\"" + "otlp ".repeat(800) + "\"}").statusCode())
			.isEqualTo(200);
	}

	@Test
	void aNumberOrABooleanWhereTheQuestionBelongsIsAProblem() throws Exception {
		assertProblem(TestTraces.ask(this.port, "{\"question\":42}"), 400, "JSON");
		assertProblem(TestTraces.ask(this.port, "{\"question\":4.2}"), 400, "JSON");
		assertProblem(TestTraces.ask(this.port, "{\"question\":true}"), 400, "JSON");
		assertProblem(TestTraces.post(this.port, "/api/ask/stream", "application/json", "{\"question\":42}"), 400,
				"JSON");
	}

	@Test
	void malformedJsonIsAProblem() throws Exception {
		assertProblem(TestTraces.ask(this.port, "{\"question\":"), 400, "JSON");
	}

	@Test
	void missingBodyIsAProblem() throws Exception {
		assertProblem(TestTraces.ask(this.port, ""), 400, "JSON");
	}

	@Test
	void wrongContentTypeIsAProblem() throws Exception {
		assertProblem(TestTraces.post(this.port, "/api/ask", "text/plain", "What is OTLP?"), 415, "text/plain");
		assertProblem(TestTraces.post(this.port, "/api/ask/stream", "text/plain", "What is OTLP?"), 415,
				"text/plain");
	}

	@Test
	void deeplyNestedJsonIsAProblem() throws Exception {
		assertProblem(TestTraces.ask(this.port, "{\"question\":" + "[".repeat(20_000) + "]".repeat(20_000) + "}"), 400,
				"JSON");
	}

	@Test
	void aHugeBodyIsRefusedBeforeItIsRead() throws Exception {
		assertProblem(TestTraces.ask(this.port, "{\"question\":\"" + "a".repeat(2_000_000) + "\"}"), 413, "bytes");
	}

	@Test
	void aStreamRequestIsValidatedToo() throws Exception {
		assertProblem(TestTraces.post(this.port, "/api/ask/stream", "application/json", "{\"question\":\"\"}"), 400,
				"question");
		assertProblem(TestTraces.post(this.port, "/api/ask/stream", "application/json",
				"{\"question\":\"What is OTLP?\",\"conversationId\":\"a b\"}"), 400, "conversationId");
	}

	@Test
	void aConversationIdWithOtherCharactersIsAProblemNamingTheField() throws Exception {
		for (String id : new String[] { "a b", "<script>", "conv/1", "é", "conv\\n1" }) {
			String body = "{\"question\":\"What is OTLP?\",\"conversationId\":\"" + id + "\"}";
			assertProblem(TestTraces.ask(this.port, body), 400, "conversationId");
		}
	}

	@Test
	void anEmptyOrTooLongConversationIdIsAProblemNamingTheField() throws Exception {
		assertProblem(TestTraces.ask(this.port, "{\"question\":\"What is OTLP?\",\"conversationId\":\"\"}"), 400,
				"conversationId");
		assertProblem(TestTraces.ask(this.port,
				"{\"question\":\"What is OTLP?\",\"conversationId\":\"" + "a".repeat(65) + "\"}"), 400,
				"conversationId");
	}

	@Test
	void aConversationIdOfTheMaximumLengthIsAnsweredAndReturned() throws Exception {
		String id = "Conv_1.2:3-" + "a".repeat(53);
		HttpResponse<String> response = TestTraces.ask(this.port,
				"{\"question\":\"What is OTLP?\",\"conversationId\":\"" + id + "\"}");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(json.readTree(response.body()).get("conversationId").asString()).hasSize(64).isEqualTo(id);
	}

	@Test
	void aNumberWhereTheConversationIdBelongsIsAProblem() throws Exception {
		assertProblem(TestTraces.ask(this.port, "{\"question\":\"What is OTLP?\",\"conversationId\":42}"), 400,
				"conversationId");
	}

	private static void assertProblem(HttpResponse<String> response, int status, String detail) {
		assertThat(response.statusCode()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		JsonNode problem = json.readTree(response.body());
		assertThat(problem.get("status").asInt()).isEqualTo(status);
		assertThat(problem.get("title").asString()).isNotBlank();
		assertThat(problem.get("detail").asString()).contains(detail);
		assertThat(response.body()).doesNotContain("Exception").doesNotContain("at io.").doesNotContain("\"trace\"");
	}

	private List<SpanData> trace(String traceId) {
		return TestTraces.trace(this.tracerProvider, this.spans, traceId);
	}

	/** The text of a stream: the data of its unnamed events. */
	private static List<String> pieces(List<TestTraces.Event> events) {
		return events.stream().filter((event) -> event.name().equals("message")).map(TestTraces.Event::data).toList();
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class InMemoryExport {

		@Bean
		InMemorySpanExporter inMemorySpanExporter() {
			return InMemorySpanExporter.create();
		}

	}

}
