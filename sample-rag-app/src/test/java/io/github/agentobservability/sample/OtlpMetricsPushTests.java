package io.github.agentobservability.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With Boot's OTLP meter registry added, the agent meters are pushed over OTLP while
 * {@code /actuator/prometheus} keeps serving them: the two properties of the README turn
 * the push on. The receiver decodes the real OTLP protobuf.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.model.chat=local", "management.otlp.metrics.export.enabled=true",
				"management.otlp.metrics.export.step=1s", "agent.observability.exporters.console.enabled=false",
				"agent.observability.exporters.jsonl.path=target/otlp-metrics/agent-traces.jsonl" })
class OtlpMetricsPushTests {

	private static final OtlpReceiver<ExportMetricsServiceRequest> receiver = OtlpReceiver.start("/v1/metrics",
			ExportMetricsServiceRequest::parseFrom);

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void otlpUrl(DynamicPropertyRegistry registry) {
		registry.add("management.otlp.metrics.export.url", receiver::url);
	}

	@AfterAll
	static void stopReceiver() {
		receiver.close();
	}

	@Test
	void agentMetersArePushedOverOtlpAndStillScrapedByPrometheus() throws Exception {
		assertThat(TestTraces.ask(this.port, "{\"question\":\"What is OTLP?\"}").statusCode()).isEqualTo(200);
		await().untilAsserted(() -> assertThat(metricNames()).contains("agent.requests", "agent.tokens",
				"agent.tokens.cost.usd", "agent.request.duration"));
		HttpResponse<String> scrape = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/actuator/prometheus")).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(scrape.body()).contains("agent_requests_total{agent=\"rag\",outcome=\"success\"}");
	}

	private static List<String> metricNames() {
		return receiver.received()
			.stream()
			.flatMap((request) -> request.getResourceMetricsList().stream())
			.flatMap((resource) -> resource.getScopeMetricsList().stream())
			.flatMap((scope) -> scope.getMetricsList().stream())
			.map(io.opentelemetry.proto.metrics.v1.Metric::getName)
			.toList();
	}

}
