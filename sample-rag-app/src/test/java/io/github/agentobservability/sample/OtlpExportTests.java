package io.github.agentobservability.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.github.agentobservability.export.OtlpReceiver;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Spans leave the application over OTLP/HTTP through Boot's exporter with the JDK sender
 * the starter brings, carrying the starter's resource. The receiver is a plain HTTP server
 * decoding the real OTLP protobuf.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.model.chat=local", "agent.observability.exporters.console.enabled=false",
				"agent.observability.exporters.jsonl.enabled=false", "agent.observability.service-version=3.1.4",
				"agent.observability.environment=ci" })
class OtlpExportTests {

	private static final OtlpReceiver receiver = OtlpReceiver.start();

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void otlpEndpoint(DynamicPropertyRegistry registry) {
		registry.add("management.opentelemetry.tracing.export.otlp.endpoint", receiver::tracesUrl);
	}

	@AfterAll
	static void stopReceiver() {
		receiver.close();
	}

	@Test
	void agentSpansReachAnOtlpReceiverWithTheServiceResource() throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/api/ask"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("{\"question\":\"What is OTLP?\"}"))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		await().untilAsserted(() -> assertThat(spanNames()).contains("invoke_agent rag", Bm25Retriever.RETRIEVAL_SPAN,
				"chat local-extractive-1", "execute_tool countDocuments"));
		ResourceSpans resourceSpans = receiver.traceRequests().get(0).getResourceSpans(0);
		Map<String, String> resource = resourceSpans.getResource()
			.getAttributesList()
			.stream()
			.collect(Collectors.toMap(KeyValue::getKey, (attribute) -> attribute.getValue().getStringValue()));
		assertThat(resource).containsEntry("service.name", "sample-rag-app")
			.containsEntry("service.version", "3.1.4")
			.containsEntry("deployment.environment.name", "ci");
		Span retrieval = receiver.spans()
			.stream()
			.filter((span) -> span.getName().equals(Bm25Retriever.RETRIEVAL_SPAN))
			.findFirst()
			.orElseThrow();
		Map<String, AnyValue> attributes = retrieval.getAttributesList()
			.stream()
			.collect(Collectors.toMap(KeyValue::getKey, KeyValue::getValue));
		assertThat(attributes.get("retrieval.doc_count").getValueCase()).isEqualTo(AnyValue.ValueCase.INT_VALUE);
		assertThat(attributes.get("retrieval.doc_count").getIntValue()).isEqualTo(1);
		assertThat(attributes.get("retrieval.top_k").getValueCase()).isEqualTo(AnyValue.ValueCase.INT_VALUE);
	}

	private static List<String> spanNames() {
		return receiver.spans().stream().map(Span::getName).toList();
	}

}
