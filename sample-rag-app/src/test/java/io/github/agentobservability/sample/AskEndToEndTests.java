package io.github.agentobservability.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.opentelemetry.api.common.AttributeKey;
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

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "agent.observability.exporters.jsonl.path=target/e2e/agent-traces.jsonl",
				"agent.observability.exporters.console.enabled=false" })
class AskEndToEndTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newHttpClient();

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
	void anAskIsOneTraceWithRetrievalAndGenerationUnderTheAgentRun() throws Exception {
		HttpResponse<String> response = post("{\"question\":\"What does the batch span processor do?\"}");
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode body = json.readTree(response.body());
		assertThat(body.get("answer").asString()).contains("batch");
		assertThat(body.get("sources").get(0).asString()).isEqualTo("otel-05");
		String traceId = body.get("traceId").asString();
		assertThat(traceId).hasSize(32);

		List<SpanData> trace = finishedSpans().stream().filter((span) -> span.getTraceId().equals(traceId)).toList();
		SpanData run = named(trace, "agent_run");
		SpanData retrieval = named(trace, "retrieval");
		SpanData generation = named(trace, "generation");
		assertThat(retrieval.getParentSpanId()).isEqualTo(run.getSpanId());
		assertThat(generation.getParentSpanId()).isEqualTo(run.getSpanId());
		assertThat(retrieval.getAttributes().get(AttributeKey.stringKey("retrieval.doc_count"))).isEqualTo("3");
		assertThat(run.getAttributes().get(AttributeKey.stringKey("agent.name"))).isEqualTo("rag");
		SpanData server = trace.stream().filter((span) -> span.getSpanId().equals(run.getParentSpanId())).findFirst()
			.orElseThrow();
		assertThat(server.getName()).containsIgnoringCase("post");
	}

	@Test
	void theQuestionIsNotRecordedInAnySpan() throws Exception {
		String secret = "zebra-unicorn-4711";
		assertThat(post("{\"question\":\"tell me about " + secret + "\"}").statusCode()).isEqualTo(200);
		assertThat(finishedSpans()).isNotEmpty()
			.allSatisfy((span) -> assertThat(span.getAttributes().toString()).doesNotContain(secret));
	}

	@Test
	void spansReachTheJsonLinesFile() throws Exception {
		HttpResponse<String> response = post("{\"question\":\"What is OTLP?\"}");
		String traceId = json.readTree(response.body()).get("traceId").asString();
		finishedSpans();
		assertThat(Files.readAllLines(Path.of("target/e2e/agent-traces.jsonl")))
			.anySatisfy((line) -> assertThat(line).contains(traceId).contains("\"name\":\"agent_run\""));
	}

	@Test
	void blankQuestionIsAProblem() throws Exception {
		HttpResponse<String> response = post("{\"question\":\"  \"}");
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("application/problem+json"));
	}

	@Test
	void malformedJsonIsAProblemWithoutStackTrace() throws Exception {
		HttpResponse<String> response = post("{\"question\":");
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).doesNotContain("at io.").doesNotContain("Exception:");
	}

	private HttpResponse<String> post(String body) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/api/ask"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private List<SpanData> finishedSpans() {
		this.tracerProvider.forceFlush().join(10, TimeUnit.SECONDS);
		return this.spans.getFinishedSpanItems();
	}

	private static SpanData named(List<SpanData> spans, String name) {
		return spans.stream()
			.filter((span) -> span.getName().equals(name))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No span " + name + " in " + spans));
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class InMemoryExport {

		@Bean
		InMemorySpanExporter inMemorySpanExporter() {
			return InMemorySpanExporter.create();
		}

	}

}
