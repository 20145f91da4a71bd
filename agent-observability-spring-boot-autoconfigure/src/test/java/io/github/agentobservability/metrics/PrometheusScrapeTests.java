package io.github.agentobservability.metrics;

import io.github.agentobservability.metrics.internal.AgentMetrics;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.github.agentobservability.tracing.internal.Outcome;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent meters as Prometheus sees them: the family names of the README's table, in
 * the real text format, accepted by {@code promtool check metrics} ({@link Promtool}).
 */
class PrometheusScrapeTests {

	@Test
	void theScrapeHasEveryAgentFamilyAndPassesPromtool() throws Exception {
		PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
		AgentMetrics metrics = new AgentMetrics(registry, 100);
		metrics.agentDeclared("rag");
		metrics.agentDeclared("idle");
		metrics.runStarted("rag");
		metrics.runStopped("rag", Outcome.SUCCESS, null, TimeUnit.MILLISECONDS.toNanos(800));
		metrics.runStarted("rag");
		metrics.runStopped("rag", Outcome.ERROR, new IllegalStateException(), TimeUnit.MILLISECONDS.toNanos(50));
		metrics.modelCall("rag", "gpt-4o-mini", Outcome.SUCCESS, 812, 95, new BigDecimal("0.0001788"),
				TimeUnit.MILLISECONDS.toNanos(700));
		metrics.firstChunk("rag", "gpt-4o-mini", 0.3);
		metrics.toolCall("rag", "lookup", new IllegalArgumentException());
		String scrape = registry.scrape();

		assertThat(scrape).contains("agent_requests_total{agent=\"rag\",outcome=\"success\"} 1.0")
			.contains("agent_requests_errors_total{agent=\"rag\",error_type=\"java.lang.IllegalStateException\"} 1.0")
			.contains("agent_request_duration_seconds_bucket{agent=\"rag\",outcome=\"success\",le=\"1.0\"} 1")
			.contains("agent_request_duration_seconds_count{agent=\"rag\",outcome=\"success\"} 1")
			.contains("agent_request_duration_seconds_sum{agent=\"rag\",outcome=\"success\"} 0.8")
			.contains("agent_requests_active{agent=\"rag\"} 0.0")
			.contains("agent_tokens_total{agent=\"rag\",model=\"gpt-4o-mini\",type=\"input\"} 812.0")
			.contains("agent_tokens_cost_usd_total{agent=\"rag\",model=\"gpt-4o-mini\"} 1.788E-4")
			.contains("agent_tools_calls_total{agent=\"rag\",tool=\"lookup\"} 1.0")
			.contains("agent_tools_errors_total{agent=\"rag\",error_type=\"java.lang.IllegalArgumentException\",tool=\"lookup\"} 1.0")
			.contains("agent_requests_total{agent=\"idle\",outcome=\"error\"} 0.0")
			.contains("agent_requests_total{agent=\"idle\",outcome=\"success\"} 0.0")
			.contains("agent_requests_errors_total{agent=\"idle\",error_type=\"\"} 0.0")
			.contains("agent_requests_active{agent=\"idle\"} 0.0")
			.contains("agent_tools_errors_total{agent=\"rag\",error_type=\"\",tool=\"lookup\"} 0.0")
			.contains("agent_model_duration_seconds_bucket{")
			.contains("agent_model_time_to_first_chunk_seconds_bucket{");

		Path file = Path.of("target", "prometheus-scrape.txt");
		Files.createDirectories(file.getParent());
		Files.writeString(file, scrape);
		Promtool.assertAccepts(file);
	}

}
