package io.github.agentobservability.metrics.internal;

import io.github.agentobservability.metrics.internal.AgentMetrics;
import io.github.agentobservability.metrics.internal.ConsoleMetricsReporter;
import java.time.Duration;

import io.github.agentobservability.tracing.internal.Outcome;
import io.github.agentobservability.tracing.TracingContextRunners;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith(OutputCaptureExtension.class)
class ConsoleMetricsReporterTests {

	private final ApplicationContextRunner contextRunner = TracingContextRunners.tracing()
		.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class))
		.withBean(SimpleMeterRegistry.class);

	@Test
	void agentMetersArePrintedEveryIntervalAndStayInTheApplicationRegistry(CapturedOutput output) {
		this.contextRunner.withPropertyValues("agent.observability.exporters.console.metrics-interval=200ms")
			.run((context) -> {
				AgentMetrics metrics = context.getBean(AgentMetrics.class);
				metrics.runStarted("rag");
				metrics.runStopped("rag", Outcome.SUCCESS, null, Duration.ofMillis(40).toNanos());
				await().atMost(Duration.ofSeconds(5))
					.untilAsserted(() -> assertThat(output.getAll()).contains("agent.requests{agent=rag,outcome=success}"));
				assertThat(context.getBean(MeterRegistry.class)
					.get("agent.requests")
					.tags("agent", "rag", "outcome", "success")
					.counter()
					.count()).isEqualTo(1);
				assertThat(output.getAll()).doesNotContain("jvm.");
			});
	}

	@Test
	void nothingIsPrintedByDefault() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(ConsoleMetricsReporter.class));
	}

	@Test
	void aNonPositiveIntervalFailsStartupNamingTheProperty() {
		this.contextRunner.withPropertyValues("agent.observability.exporters.console.metrics-interval=0s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("agent.observability.exporters.console.metrics-interval"));
	}

}
