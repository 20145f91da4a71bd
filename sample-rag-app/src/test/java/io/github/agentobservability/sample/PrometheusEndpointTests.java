package io.github.agentobservability.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The agent meters and the OpenTelemetry GenAI histograms as a Prometheus server sees
 * them: scraped over HTTP from {@code /actuator/prometheus} after known work, parsed back
 * and compared with what the API answered. Its own application context (a property no other test sets), so that the
 * counters start at zero.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.model.chat=local", "sample.jaeger-url=http://jaeger.test:16686",
				"agent.observability.exporters.console.enabled=false",
				"agent.observability.exporters.jsonl.path=target/prometheus-test/agent-traces.jsonl" })
@ExtendWith(OutputCaptureExtension.class)
class PrometheusEndpointTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@Test
	void scrapedMetersMatchTheWorkDoneAndLogLinesCarryTheTraceId(CapturedOutput output) throws Exception {
		long input = 0;
		long outputTokens = 0;
		double cost = 0;
		String lastTraceId = null;
		for (String question : new String[] { "What is OTLP?", "How do I track cost per hour?", "What is BM25?" }) {
			HttpResponse<String> response = TestTraces.ask(this.port, "{\"question\":\"" + question + "\"}");
			assertThat(response.statusCode()).isEqualTo(200);
			JsonNode body = json.readTree(response.body());
			input += body.get("usage").get("inputTokens").asLong();
			outputTokens += body.get("usage").get("outputTokens").asLong();
			cost += body.get("costUsd").asDouble();
			lastTraceId = body.get("traceId").asString();
		}
		String traceId = lastTraceId;

		// Asks without a baggage header: the sample's meter tag tenant.id is "none"
		Map<String, Double> scrape = TestTraces.scrape(this.port);
		assertThat(scrape)
			.containsEntry("agent_requests_total{agent=\"rag\",outcome=\"success\",tenant_id=\"none\"}", 3.0)
			.containsEntry("agent_requests_active{agent=\"rag\"}", 0.0)
			.containsEntry("agent_tokens_total{agent=\"rag\",model=\"local-extractive-1\",tenant_id=\"none\","
					+ "type=\"input\"}", (double) input)
			.containsEntry("agent_tokens_total{agent=\"rag\",model=\"local-extractive-1\",tenant_id=\"none\","
					+ "type=\"output\"}", (double) outputTokens)
			.containsEntry("agent_tools_calls_total{agent=\"rag\",tenant_id=\"none\",tool=\"countDocuments\"}", 3.0)
			.containsEntry(
					"agent_request_duration_seconds_count{agent=\"rag\",outcome=\"success\",tenant_id=\"none\"}",
					3.0);
		assertThat(scrape
			.get("agent_tokens_cost_usd_total{agent=\"rag\",model=\"local-extractive-1\",tenant_id=\"none\"}"))
			.isCloseTo(cost, within(1e-12));
		assertThat(scrape.keySet()).anyMatch((key) -> key.startsWith("agent_request_duration_seconds_bucket{")
				&& key.contains("le=\"+Inf\""))
			.anyMatch((key) -> key.startsWith("agent_model_duration_seconds_bucket{"))
			.noneMatch((key) -> key.startsWith("gen_ai_client_token_usage_total"));
		assertThat(sum(scrape, "gen_ai_client_token_usage_sum{", "gen_ai_token_type=\"input\"")).isEqualTo(input);
		assertThat(sum(scrape, "gen_ai_client_token_usage_sum{", "gen_ai_token_type=\"output\""))
			.isEqualTo(outputTokens);
		assertThat(scrape)
			.containsEntry("gen_ai_invoke_agent_duration_seconds_count{error_type=\"\",gen_ai_agent_name=\"rag\"}", 3.0)
			.containsEntry("gen_ai_execute_tool_duration_seconds_count{error_type=\"\",gen_ai_agent_name=\"rag\","
					+ "gen_ai_tool_name=\"countDocuments\",gen_ai_tool_type=\"function\"}", 3.0);
		assertThat(sum(scrape, "gen_ai_client_operation_duration_seconds_count{", "error_type=\"\""))
			.isEqualTo(sum(scrape, "agent_model_duration_seconds_count{", "outcome=\"success\""));

		assertThat(output.getAll()).containsPattern("\\[" + traceId + "-[0-9a-f]{16}\\] .*Answered from 1 passages");

		await().untilAsserted(() -> assertThat(get("/api/traces/" + traceId).body()).contains("invoke_agent rag"));
		assertThat(get("/api/ui").body()).contains("http://jaeger.test:16686");
	}

	@Test
	void onlyHealthAndPrometheusAreExposed() throws Exception {
		assertThat(get("/actuator/env").statusCode()).isEqualTo(404);
		assertThat(get("/actuator/agenttraces").statusCode()).isEqualTo(404);
		JsonNode links = json.readTree(get("/actuator").body()).get("_links");
		assertThat(links.propertyNames()).containsExactlyInAnyOrder("self", "health", "health-path", "prometheus");
	}

	@Test
	void thePageIsServedAtTheRoot() throws Exception {
		HttpResponse<String> page = get("/");
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("<title>Agent observability")
			.contains("/api/traces/")
			.contains("\"tenant.id=\"")
			.contains("conversationId");
	}

	/** Sum of the samples of one family whose labels contain a given one. */
	private static double sum(Map<String, Double> scrape, String prefix, String label) {
		return scrape.entrySet()
			.stream()
			.filter((sample) -> sample.getKey().startsWith(prefix) && sample.getKey().contains(label))
			.mapToDouble(Map.Entry::getValue)
			.sum();
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

}
