package io.github.agentobservability.sample;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
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
import static io.github.agentobservability.sample.TestTraces.TOOL_SPAN;
import static io.github.agentobservability.sample.TestTraces.named;
import static io.github.agentobservability.sample.TestTraces.names;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Injected failures ({@code sample.chaos.enabled=true}): a failing model fails the run
 * with a problem, a failing tool is recorded while the agent still answers.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.model.chat=local", "sample.chaos.enabled=true",
				"agent.observability.exporters.console.enabled=false",
				"agent.observability.exporters.jsonl.enabled=false" })
class ChaosTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@Autowired
	InMemorySpanExporter spans;

	@Autowired
	SdkTracerProvider tracerProvider;

	@Autowired
	MeterRegistry meters;

	@BeforeEach
	void reset() {
		this.tracerProvider.forceFlush().join(10, TimeUnit.SECONDS);
		this.spans.reset();
	}

	@Test
	void aFailingModelFailsTheRunWithAProblemAnErrorSpanAndAnErrorMetric() throws Exception {
		double errorsBefore = count("agent.requests.errors");
		var response = TestTraces.ask(this.port, "{\"question\":\"What is OTLP? [fail:model]\"}");
		assertThat(response.statusCode()).isEqualTo(502);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat(response.body()).doesNotContain("Exception").doesNotContain("at io.").doesNotContain("Injected");
		JsonNode problem = json.readTree(response.body());
		assertThat(problem.get("status").asInt()).isEqualTo(502);
		String traceId = problem.get("traceId").asString();

		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			List<SpanData> trace = TestTraces.trace(this.tracerProvider, this.spans, traceId);
			assertThat(names(trace)).contains("invoke_agent rag", CHAT_SPAN).doesNotContain(TOOL_SPAN);
			SpanData run = named(trace, "invoke_agent rag");
			assertThat(run.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
			assertThat(run.getAttributes().get(AttributeKey.stringKey("error.type")))
				.isEqualTo(IllegalStateException.class.getName());
			assertThat(named(trace, CHAT_SPAN).getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
		});
		assertThat(count("agent.requests.errors")).isEqualTo(errorsBefore + 1);
		assertThat(this.meters.get("agent.requests.errors")
			.tags("agent", "rag", "error_type", IllegalStateException.class.getName())
			.counter()
			.count()).isPositive();
	}

	@Test
	void aFailingToolIsRecordedAndTheAgentStillAnswers() throws Exception {
		double toolErrorsBefore = count("agent.tools.errors");
		var response = TestTraces.ask(this.port, "{\"question\":\"What is OTLP? [fail:tool]\"}");
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode body = json.readTree(response.body());
		assertThat(body.get("answer").asString()).contains("[otel-06]").contains("Injected tool failure");
		String traceId = body.get("traceId").asString();

		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			List<SpanData> trace = TestTraces.trace(this.tracerProvider, this.spans, traceId);
			SpanData tool = named(trace, TOOL_SPAN);
			assertThat(tool.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
			assertThat(tool.getAttributes().get(AttributeKey.stringKey("error.type"))).isNotBlank();
			assertThat(named(trace, "invoke_agent rag").getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);
		});
		assertThat(count("agent.tools.errors")).isEqualTo(toolErrorsBefore + 1);
		assertThat(this.meters.get("agent.tools.errors")
			.tags("agent", "rag", "tool", "countDocuments")
			.counters()
			.stream()
			.mapToDouble(Counter::count)
			.sum()).as("the failure's error type, beside the series at zero").isEqualTo(1);
	}

	@Test
	void withoutAMarkerTheRunSucceeds() throws Exception {
		assertThat(TestTraces.ask(this.port, "{\"question\":\"What is OTLP?\"}").statusCode()).isEqualTo(200);
	}

	private double count(String name) {
		return this.meters.find(name).counters().stream().mapToDouble(Counter::count).sum();
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class InMemoryExport {

		@Bean
		InMemorySpanExporter inMemorySpanExporter() {
			return InMemorySpanExporter.create();
		}

	}

}
