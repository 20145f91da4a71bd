package io.github.agentobservability.metrics.internal;

import io.github.agentobservability.metrics.internal.AgentMetrics;
import java.util.ArrayList;
import java.util.List;

import io.github.agentobservability.annotation.Traced;
import io.github.agentobservability.tracing.internal.Outcome;
import io.github.agentobservability.tracing.TracingContextRunners;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.Span;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent meters of a run are recorded with the run's span current, so that exemplars
 * point at its trace.
 */
class AgentRunMeterObservationHandlerTests {

	private final ApplicationContextRunner contextRunner = TracingContextRunners.tracing()
		.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class))
		.withBean(SimpleMeterRegistry.class)
		.withBean(Work.class);

	@Test
	void agentRunRecordsItsMetersWithItsSpanCurrent() {
		this.contextRunner.withBean(AgentMetrics.class, SpanRecordingAgentMetrics::new).run((context) -> {
			context.getBean(Work.class).run();
			String runSpanId = TracingContextRunners.span(context, "invoke_agent planner").getSpanId();
			assertThat(context.getBean(SpanRecordingAgentMetrics.class).spanIdsAtStop).containsExactly(runSpanId);
			assertThat(Span.current().getSpanContext().isValid()).isFalse();
		});
	}

	static class SpanRecordingAgentMetrics extends AgentMetrics {

		final List<String> spanIdsAtStop = new ArrayList<>();

		SpanRecordingAgentMetrics() {
			super(new SimpleMeterRegistry(), 10);
		}

		@Override
		public void runStopped(String agent, Outcome outcome, Throwable error, long durationNanos,
				Tags attribution) {
			this.spanIdsAtStop.add(Span.current().getSpanContext().getSpanId());
			super.runStopped(agent, outcome, error, durationNanos, attribution);
		}

	}

	public static class Work {

		@Traced(agent = "planner")
		public void run() {
		}

	}

}
