package io.github.agentobservability.metrics.internal;

import io.github.agentobservability.metrics.AgentMeters;
import io.github.agentobservability.metrics.internal.AgentMetrics;
import java.math.BigDecimal;
import java.util.concurrent.TimeUnit;

import io.github.agentobservability.tracing.internal.Outcome;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class AgentMetricsTests {

	private final MeterRegistry registry = new SimpleMeterRegistry();

	private final AgentMetrics metrics = new AgentMetrics(this.registry, 100);

	@Test
	void runsAreCountedByOutcomeWithExactValuesAndTheActiveGaugeReturnsToZero() {
		for (int i = 0; i < 7; i++) {
			this.metrics.runStarted("rag");
		}
		assertThat(this.registry.get("agent.requests.active").tag("agent", "rag").gauge().value()).isEqualTo(7);
		for (int i = 0; i < 5; i++) {
			this.metrics.runStopped("rag", Outcome.SUCCESS, null, TimeUnit.MILLISECONDS.toNanos(120));
		}
		this.metrics.runStopped("rag", Outcome.ERROR, new IllegalStateException(), TimeUnit.SECONDS.toNanos(2));
		this.metrics.runStopped("rag", Outcome.CANCELLED, null, TimeUnit.SECONDS.toNanos(1));
		assertThat(this.registry.get("agent.requests").tags("agent", "rag", "outcome", "success").counter().count())
			.isEqualTo(5);
		assertThat(this.registry.get("agent.requests").tags("agent", "rag", "outcome", "error").counter().count())
			.isEqualTo(1);
		assertThat(this.registry.get("agent.requests.errors")
			.tags("agent", "rag", "error_type", "java.lang.IllegalStateException")
			.counter()
			.count()).isEqualTo(1);
		assertThat(this.registry.get("agent.requests.active").tag("agent", "rag").gauge().value()).isZero();
		Timer duration = this.registry.get("agent.request.duration").tags("agent", "rag", "outcome", "success").timer();
		assertThat(duration.count()).isEqualTo(5);
		assertThat(duration.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(600);
	}

	@Test
	void aDeclaredAgentHasItsRunCountersErrorCounterAndActiveGaugeAtZero() {
		this.metrics.agentDeclared("rag");
		for (Outcome outcome : Outcome.values()) {
			assertThat(this.registry.get("agent.requests").tags("agent", "rag", "outcome", outcome.value()).counter().count())
				.isZero();
		}
		assertThat(this.registry.get("agent.requests.errors").tags("agent", "rag", "error_type", "").counter().count())
			.isZero();
		assertThat(this.registry.get("agent.requests.active").tag("agent", "rag").gauge().value()).isZero();
	}

	@Test
	void aFailedRunOfADeclaredAgentIsCountedInTheSeriesOfItsErrorTypeOnly() {
		this.metrics.agentDeclared("rag");
		this.metrics.agentDeclared("rag");
		this.metrics.runStopped("rag", Outcome.ERROR, new IllegalStateException(), 1);
		assertThat(this.registry.find("agent.requests.errors").counters()).hasSize(2);
		assertThat(this.registry.get("agent.requests.errors").tags("agent", "rag", "error_type", "").counter().count())
			.isZero();
		assertThat(this.registry.get("agent.requests").tags("agent", "rag", "outcome", "error").counter().count())
			.isEqualTo(1);
		assertThat(this.registry.find("agent.requests").counters()).hasSize(Outcome.values().length);
	}

	@Test
	void aToolsErrorCounterExistsAtZeroFromItsFirstCall() {
		this.metrics.toolCall("rag", "lookup", null);
		this.metrics.toolCall("rag", "lookup", null);
		assertThat(this.registry.get("agent.tools.calls").tags("agent", "rag", "tool", "lookup").counter().count())
			.isEqualTo(2);
		assertThat(this.registry.get("agent.tools.errors").tags("agent", "rag", "tool", "lookup").counters())
			.singleElement()
			.satisfies((errors) -> {
				assertThat(errors.getId().getTag("error_type")).isEmpty();
				assertThat(errors.count()).isZero();
			});
	}

	@Test
	void latencyHistogramsHaveBucketsFromMillisecondsToMinutes() {
		this.metrics.runStopped("rag", Outcome.SUCCESS, null, TimeUnit.MILLISECONDS.toNanos(300));
		this.metrics.modelCall("rag", "gpt-4o-mini", Outcome.SUCCESS, 1, 1, null, TimeUnit.SECONDS.toNanos(3));
		this.metrics.firstChunk("rag", "gpt-4o-mini", 0.2);
		CountAtBucket[] buckets = this.registry.get("agent.request.duration").timer().takeSnapshot().histogramCounts();
		assertThat(buckets).extracting((bucket) -> bucket.bucket(TimeUnit.SECONDS))
			.contains(0.025, 0.5, 1.0, 60.0, 300.0);
		assertThat(buckets).filteredOn((bucket) -> bucket.bucket(TimeUnit.SECONDS) == 0.5)
			.singleElement()
			.satisfies((bucket) -> assertThat(bucket.count()).isEqualTo(1));
		assertThat(this.registry.get("agent.model.duration").tags("model", "gpt-4o-mini").timer().takeSnapshot().histogramCounts())
			.isNotEmpty();
		assertThat(this.registry.get("agent.model.time_to_first_chunk").timer().takeSnapshot().histogramCounts())
			.isNotEmpty();
	}

	@Test
	void tokensAndCostAreTheSumOfWhatModelCallsReported() {
		this.metrics.modelCall("rag", "gpt-4o-mini", Outcome.SUCCESS, 812, 95, new BigDecimal("0.0001788"), 1);
		this.metrics.modelCall("rag", "gpt-4o-mini", Outcome.SUCCESS, 100, 5, new BigDecimal("0.000018"), 1);
		this.metrics.modelCall("rag", "unpriced", Outcome.SUCCESS, 10, 1, null, 1);
		assertThat(this.registry.get("agent.tokens").tags("model", "gpt-4o-mini", "type", "input").counter().count())
			.isEqualTo(912);
		assertThat(this.registry.get("agent.tokens").tags("model", "gpt-4o-mini", "type", "output").counter().count())
			.isEqualTo(100);
		assertThat(this.registry.get("agent.tokens.cost.usd").tags("model", "gpt-4o-mini").counter().count())
			.isEqualTo(0.0001788 + 0.000018);
		assertThat(this.registry.find("agent.tokens.cost.usd").tags("model", "unpriced").counter()).isNull();
	}

	@Test
	void toolCallsAndErrorsAreCountedPerTool() {
		this.metrics.toolCall("rag", "lookup", null);
		this.metrics.toolCall("rag", "lookup", new IllegalArgumentException());
		assertThat(this.registry.get("agent.tools.calls").tags("agent", "rag", "tool", "lookup").counter().count())
			.isEqualTo(2);
		assertThat(this.registry.get("agent.tools.errors")
			.tags("agent", "rag", "tool", "lookup", "error_type", "java.lang.IllegalArgumentException")
			.counter()
			.count()).isEqualTo(1);
	}

	@Test
	void tenThousandModelNamesStayWithinTheTagBudgetWithOneWarning(CapturedOutput output) {
		for (int i = 0; i < 200; i++) {
			this.metrics.modelCall("rag", "model-" + i, Outcome.SUCCESS, 1, 1, BigDecimal.ONE, 1);
		}
		int metersAfter200 = this.registry.getMeters().size();
		for (int i = 200; i < 10_000; i++) {
			this.metrics.modelCall("rag", "model-" + i, Outcome.SUCCESS, 1, 1, BigDecimal.ONE, 1);
		}
		assertThat(this.registry.getMeters()).hasSize(metersAfter200);
		long tokenSeries = this.registry.find("agent.tokens").counters().size();
		assertThat(tokenSeries).isEqualTo((100 + 1) * 2);
		assertThat(this.registry.get("agent.tokens").tags("model", "other", "type", "input").counter().count())
			.isEqualTo(9_900);
		assertThat(output.getAll().split("Tag 'model' reached 100 distinct values", -1)).hasSize(2);
	}

	@Test
	void everyMeterIsDocumented() {
		this.metrics.runStarted("rag");
		this.metrics.runStopped("rag", Outcome.ERROR, new IllegalStateException(), 1);
		this.metrics.modelCall("rag", "m", Outcome.SUCCESS, 1, 1, BigDecimal.ONE, 1);
		this.metrics.firstChunk("rag", "m", 0.1);
		this.metrics.toolCall("rag", "t", new IllegalStateException());
		for (Meter meter : this.registry.getMeters()) {
			if (meter.getId().getName().endsWith(".histogram")) {
				// SimpleMeterRegistry's view of a timer's buckets, not a meter of its own
				continue;
			}
			AgentMeters documented = java.util.Arrays.stream(AgentMeters.values())
				.filter((candidate) -> candidate.getName().equals(meter.getId().getName()))
				.findFirst()
				.orElseThrow(() -> new AssertionError("Undocumented meter " + meter.getId()));
			assertThat(meter.getId().getDescription()).isEqualTo(documented.getDescription());
			assertThat(meter.getId().getTags()).extracting(io.micrometer.core.instrument.Tag::getKey)
				.containsExactlyInAnyOrderElementsOf(java.util.Arrays.stream(documented.getKeyNames())
					.map(io.micrometer.common.docs.KeyName::asString)
					.toList());
		}
	}

}
