package io.github.agentobservability.metrics;

import java.nio.file.Files;
import java.nio.file.Path;

import io.github.agentobservability.annotation.Traced;
import io.github.agentobservability.tracing.TracingContextRunners;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The series a scrape has right after startup, before any traffic: those a dashboard
 * divides by exist at zero for every declared agent, and none exist for an exporter that
 * is off.
 */
class SeriesAtStartupTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(TracingContextRunners.BOOT_AND_STARTER)
		.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class))
		.withBean(PrometheusMeterRegistry.class, () -> new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));

	@TempDir
	Path temp;

	@Test
	void aDeclaredAgentsRunAndErrorCountersAreAtZeroRightAfterStartup() throws Exception {
		this.contextRunner.withBean(RagAgent.class).run((context) -> {
			String scrape = scrape(context);
			assertThat(scrape).contains("agent_requests_total{agent=\"rag\",outcome=\"success\"} 0.0")
				.contains("agent_requests_total{agent=\"rag\",outcome=\"error\"} 0.0")
				.contains("agent_requests_total{agent=\"rag\",outcome=\"cancelled\"} 0.0")
				.contains("agent_requests_errors_total{agent=\"rag\",error_type=\"\"} 0.0")
				.contains("agent_requests_active{agent=\"rag\"} 0.0")
				.doesNotContain("agent=\"retrieval\"");
			Path file = this.temp.resolve("startup-scrape.txt");
			Files.writeString(file, scrape);
			Promtool.assertAccepts(file);
		});
	}

	@Test
	void anAgentOfABeanCreatedAfterStartupHasItsCountersAtZeroOnceTheBeanExists() {
		this.contextRunner.withBean(RagAgent.class, RagAgent::new, (definition) -> definition.setLazyInit(true))
			.run((context) -> {
				assertThat(scrape(context)).doesNotContain("agent=\"rag\"");
				context.getBean(RagAgent.class);
				assertThat(scrape(context))
					.contains("agent_requests_errors_total{agent=\"rag\",error_type=\"\"} 0.0");
			});
	}

	@Test
	void aFailedRunIsCountedBesideTheSeriesAtZero() {
		this.contextRunner.withBean(RagAgent.class).run((context) -> {
			assertThatIllegalStateException().isThrownBy(context.getBean(RagAgent.class)::fail);
			assertThat(scrape(context))
				.contains("agent_requests_errors_total{agent=\"rag\",error_type=\"java.lang.IllegalStateException\"} 1.0")
				.contains("agent_requests_errors_total{agent=\"rag\",error_type=\"\"} 0.0")
				.contains("agent_requests_total{agent=\"rag\",outcome=\"error\"} 1.0");
		});
	}

	@Test
	void exportersThatAreOffHaveNoSeries() {
		this.contextRunner.run((context) -> assertThat(scrape(context)).doesNotContain("agent_spans_"));
	}

	@Test
	void anExporterThatIsOnHasItsSeriesAtZeroAndOnlyIt() {
		this.contextRunner
			.withPropertyValues("agent.observability.exporters.jsonl.enabled=true",
					"agent.observability.exporters.jsonl.path=" + this.temp.resolve("traces.jsonl"))
			.run((context) -> assertThat(scrape(context))
				.contains("agent_spans_dropped_total{processor=\"jsonl\"} 0.0")
				.contains("agent_spans_export_failed_total{processor=\"jsonl\"} 0.0")
				.doesNotContain("processor=\"otlp\"", "processor=\"console\"", "processor=\"recent-traces\""));
	}

	@Test
	void bootsProcessorHasSeriesWhenItHasAnExporter() {
		this.contextRunner.withBean(InMemorySpanExporter.class, InMemorySpanExporter::create)
			.run((context) -> assertThat(scrape(context))
				.contains("agent_spans_dropped_total{processor=\"otlp\"} 0.0")
				.doesNotContain("processor=\"jsonl\""));
	}

	private static String scrape(ApplicationContext context) {
		return context.getBean(PrometheusMeterRegistry.class).scrape();
	}

	static class RagAgent {

		@Traced(agent = "rag")
		public String ask(String question) {
			return question;
		}

		@Traced(agent = "rag")
		public String fail() {
			throw new IllegalStateException("down");
		}

		@Traced("retrieval")
		public String retrieve(String question) {
			return question;
		}

	}

}
