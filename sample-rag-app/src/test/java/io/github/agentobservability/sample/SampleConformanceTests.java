package io.github.agentobservability.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.agentobservability.ai.GenAiConformanceAssertions;
import io.github.agentobservability.ai.OpenAiMockServer;
import io.github.agentobservability.export.OtlpReceiver;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status.StatusCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.ai.observation.conventions.AiProvider;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.github.agentobservability.ai.GenAiConformanceAssertions.assertConforms;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's own spans judged by the starter's GenAI conformance checker
 * ({@link GenAiConformanceAssertions}, from the autoconfigure module's test-jar): the
 * whole application with Spring AI's real OpenAI client talking to
 * {@link OpenAiMockServer}, its spans exported over OTLP/HTTP to an {@link OtlpReceiver}
 * and decoded as a collector receives them. Every span of each request is checked, the
 * HTTP server and client spans, the retrieval and Spring AI's framework spans included;
 * the model spans name the provider as Spring AI does.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.model.chat=openai", "agent.observability.exporters.console.enabled=false",
				"agent.observability.exporters.jsonl.enabled=false",
				"management.opentelemetry.tracing.export.schedule-delay=50ms" })
class SampleConformanceTests {

	private static final String RESPONSE_MODEL = OpenAiMockServer.DEFAULT_RESPONSE_MODEL;

	private static final OpenAiMockServer openAi = OpenAiMockServer.start();

	private static final OtlpReceiver receiver = OtlpReceiver.start();

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void openAiAndOtlp(DynamicPropertyRegistry registry) {
		for (String property : openAi.clientProperties()) {
			String[] keyAndValue = property.split("=", 2);
			registry.add(keyAndValue[0], () -> keyAndValue[1]);
		}
		registry.add("management.opentelemetry.tracing.export.otlp.endpoint", receiver::tracesUrl);
	}

	@AfterAll
	static void stop() {
		receiver.close();
		openAi.close();
	}

	@BeforeEach
	void forgetEarlierSpans() {
		receiver.reset();
	}

	@Test
	void anAskConformsAndNamesSpringAisProvider() throws Exception {
		openAi.enqueueChat("OTLP is OpenTelemetry's protocol [otel-01].", RESPONSE_MODEL, 120, 12);
		assertThat(TestTraces.ask(this.port, "{\"question\":\"What is OTLP?\"}").statusCode()).isEqualTo(200);
		assertConforms(receiver, Map.of("invoke_agent", 1, "retrieval", 1, "chat", 1));
		assertThat(chatSpans()).isNotEmpty()
			.allSatisfy((chat) -> assertThat(attribute(chat, "gen_ai.provider.name"))
				.isEqualTo(AiProvider.OPENAI.value()));
	}

	@Test
	void aStreamedAskConforms() throws Exception {
		openAi.enqueueStream(List.of("OTLP ", "is OpenTelemetry's ", "protocol [otel-01]."), RESPONSE_MODEL, 120, 8,
				Duration.ofMillis(5));
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/api/ask/stream"))
			.header("Content-Type", "application/json")
			.header("Accept", "text/event-stream")
			.POST(HttpRequest.BodyPublishers.ofString("{\"question\":\"What is OTLP?\"}"))
			.build();
		HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("protocol [otel-01].");
		assertConforms(receiver, Map.of("invoke_agent", 1, "retrieval", 1, "chat", 1));
		assertOneTraceWithTheModelRequestsUnderTheirChatSpans();
	}

	@Test
	void anAskWithAToolCallConforms() throws Exception {
		openAi.enqueueToolCall("countDocuments", "{\"topic\":\"sampling\"}", "call_1", RESPONSE_MODEL, 100, 10)
			.enqueueChat("Tail sampling keeps whole traces [otel-03].", RESPONSE_MODEL, 140, 12);
		assertThat(TestTraces.ask(this.port, "{\"question\":\"What is tail sampling?\"}").statusCode())
			.isEqualTo(200);
		assertConforms(receiver, Map.of("invoke_agent", 1, "retrieval", 1, "chat", 2, "execute_tool", 1));
		assertOneTraceWithTheModelRequestsUnderTheirChatSpans();
	}

	@Test
	void aFailedModelCallConforms() throws Exception {
		openAi.enqueueError(500, "server_error", "The server had an error while processing your request.");
		assertThat(TestTraces.ask(this.port, "{\"question\":\"What is OTLP?\"}").statusCode()).isEqualTo(502);
		assertConforms(receiver, Map.of("invoke_agent", 1, "retrieval", 1, "chat", 1));
		assertThat(chatSpans()).singleElement()
			.satisfies((chat) -> assertThat(chat.getStatus().getCode()).isEqualTo(StatusCode.STATUS_CODE_ERROR));
	}

	/**
	 * The request is one trace: the model's HTTP requests (OkHttp's {@code POST} spans,
	 * sent from another thread for streams) under their chat spans, and no ChatClient or
	 * advisor span between the agent and its model calls.
	 */
	private static void assertOneTraceWithTheModelRequestsUnderTheirChatSpans() {
		List<Span> spans = receiver.spans();
		assertThat(spans).extracting(Span::getTraceId).as("trace ids").containsOnly(spans.get(0).getTraceId());
		Map<com.google.protobuf.ByteString, Span> byId = new java.util.HashMap<>();
		spans.forEach((span) -> byId.put(span.getSpanId(), span));
		assertThat(spans).filteredOn((span) -> span.getName().equals("POST"))
			.isNotEmpty()
			.allSatisfy((request) -> assertThat(GenAiConformanceAssertions.operation(byId.get(request.getParentSpanId())))
				.isEqualTo("chat"));
		assertThat(chatSpans()).allSatisfy((chat) -> assertThat(byId.get(chat.getParentSpanId()).getName())
			.isEqualTo("invoke_agent rag"));
	}

	private static List<Span> chatSpans() {
		return receiver.spans()
			.stream()
			.filter((span) -> "chat".equals(GenAiConformanceAssertions.operation(span)))
			.toList();
	}

	private static String attribute(Span span, String key) {
		return span.getAttributesList()
			.stream()
			.filter((attribute) -> attribute.getKey().equals(key))
			.map(KeyValue::getValue)
			.map(AnyValue::getStringValue)
			.findFirst()
			.orElse(null);
	}

}
