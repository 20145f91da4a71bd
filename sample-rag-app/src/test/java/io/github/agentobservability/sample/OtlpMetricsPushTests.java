package io.github.agentobservability.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import io.github.agentobservability.export.OtlpReceiver;
import io.opentelemetry.proto.metrics.v1.Metric;
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
 * {@code /actuator/prometheus} keeps serving them: the properties of the README turn the
 * push on, in seconds, the unit of the OpenTelemetry GenAI histograms. The receiver
 * decodes the real OTLP protobuf.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.model.chat=local", "management.otlp.metrics.export.enabled=true",
				"management.otlp.metrics.export.step=1s", "management.otlp.metrics.export.base-time-unit=seconds",
				"agent.observability.exporters.console.enabled=false",
				"agent.observability.exporters.jsonl.path=target/otlp-metrics/agent-traces.jsonl" })
class OtlpMetricsPushTests {

	private static final OtlpReceiver receiver = OtlpReceiver.start();

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void otlpUrl(DynamicPropertyRegistry registry) {
		registry.add("management.otlp.metrics.export.url", receiver::metricsUrl);
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
		assertThat(scrape.body())
			.contains("agent_requests_total{agent=\"rag\",outcome=\"success\",tenant_id=\"none\"}");
		await().untilAsserted(() -> assertThat(metricNames()).contains("gen_ai.client.operation.duration"));
		Metric duration = metric("gen_ai.client.operation.duration");
		// Micrometer names the time unit ("seconds"), where the convention writes UCUM's "s".
		assertThat(duration.getUnit()).isEqualTo("seconds");
		assertThat(duration.getHistogram().getDataPoints(0).getExplicitBoundsList()).containsExactly(0.01, 0.02, 0.04,
				0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92);
	}

	private static Metric metric(String name) {
		return receiver.metrics()
			.stream()
			.filter((metric) -> metric.getName().equals(name))
			.reduce((first, last) -> last)
			.orElseThrow();
	}

	private static List<String> metricNames() {
		return receiver.metrics().stream().map(Metric::getName).toList();
	}

}
