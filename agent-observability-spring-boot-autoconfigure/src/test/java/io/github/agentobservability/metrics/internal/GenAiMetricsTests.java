package io.github.agentobservability.metrics.internal;

import io.github.agentobservability.metrics.GenAiMeters;
import io.github.agentobservability.metrics.internal.GenAiMetrics;
import io.github.agentobservability.metrics.internal.SpringAiTokenUsageCounterFilter;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.micrometer.common.docs.KeyName;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class GenAiMetricsTests {

	private final MeterRegistry registry = new SimpleMeterRegistry();

	private final GenAiMetrics metrics = new GenAiMetrics(this.registry, 100);

	@Test
	void aModelCallRecordsDurationAndBothTokenTypesWithExactValues() {
		this.metrics.modelCall(call("gpt-4o-mini", "gpt-4o-mini-2024-07-18", null, 812L, 95L, null));
		this.metrics.modelCall(call("gpt-4o-mini", "gpt-4o-mini-2024-07-18", null, 100L, 5L, null));
		Timer duration = this.registry.get("gen_ai.client.operation.duration")
			.tags("gen_ai.request.model", "gpt-4o-mini", "error.type", "")
			.timer();
		assertThat(duration.count()).isEqualTo(2);
		assertThat(duration.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(600);
		assertThat(tokens("input").totalAmount()).isEqualTo(912);
		assertThat(tokens("output").totalAmount()).isEqualTo(100);
		assertThat(tokens("output").count()).isEqualTo(2);
	}

	@Test
	void successAndFailureShareOneSetOfTagKeys() {
		this.metrics.modelCall(call("gpt-4o-mini", "gpt-4o-mini-2024-07-18", null, 1L, 1L, null));
		this.metrics.modelCall(call("gpt-4o-mini", null, new IllegalStateException(), null, null, null));
		this.metrics.agentRun("rag", null, 1);
		this.metrics.agentRun("rag", new IllegalStateException(), 1);
		this.metrics.toolExecution("lookup", "function", "rag", null, 1);
		this.metrics.toolExecution("lookup", null, null, new IllegalStateException(), 1);
		for (GenAiMeters meter : GenAiMeters.values()) {
			assertThat(this.registry.find(meter.getName()).meters()).as(meter.getName())
				.allSatisfy((recorded) -> assertThat(keys(recorded)).containsExactlyInAnyOrderElementsOf(
						Arrays.stream(meter.getKeyNames()).map(KeyName::asString).toList()));
		}
		assertThat(this.registry.get("gen_ai.client.operation.duration")
			.tags("gen_ai.response.model", "", "error.type", "java.lang.IllegalStateException")
			.timer()
			.count()).isEqualTo(1);
		assertThat(this.registry.get("gen_ai.execute_tool.duration")
			.tags("gen_ai.tool.type", "", "gen_ai.agent.name", "", "error.type", "java.lang.IllegalStateException")
			.timer()
			.count()).isEqualTo(1);
	}

	@Test
	void timeToFirstChunkIsRecordedOnlyForStreamsThatReceivedOne() {
		this.metrics.modelCall(call("gpt-4o-mini", "gpt-4o-mini", null, 1L, 1L, null));
		assertThat(this.registry.find("gen_ai.client.operation.time_to_first_chunk").meters()).isEmpty();
		this.metrics.modelCall(call("gpt-4o-mini", "gpt-4o-mini", null, 1L, 1L, TimeUnit.MILLISECONDS.toNanos(150)));
		Timer firstChunk = this.registry.get("gen_ai.client.operation.time_to_first_chunk").timer();
		assertThat(firstChunk.count()).isEqualTo(1);
		assertThat(firstChunk.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(150);
		assertThat(Arrays.stream(firstChunk.takeSnapshot().histogramCounts())
			.filter((bucket) -> bucket.bucket(TimeUnit.SECONDS) == 0.16)
			.findFirst()
			.orElseThrow()
			.count()).isEqualTo(1);
	}

	@Test
	void agentRunsAreTimedPerAgentAndErrorType() {
		for (int i = 0; i < 3; i++) {
			this.metrics.agentRun("rag", null, TimeUnit.SECONDS.toNanos(1));
		}
		this.metrics.agentRun("rag", new IllegalArgumentException(), TimeUnit.SECONDS.toNanos(2));
		assertThat(this.registry.get("gen_ai.invoke_agent.duration")
			.tags("gen_ai.agent.name", "rag", "error.type", "")
			.timer()
			.totalTime(TimeUnit.SECONDS)).isEqualTo(3);
		assertThat(this.registry.get("gen_ai.invoke_agent.duration")
			.tags("gen_ai.agent.name", "rag", "error.type", "java.lang.IllegalArgumentException")
			.timer()
			.count()).isEqualTo(1);
	}

	@Test
	void tenThousandRequestModelsStayWithinTheTagBudgetWithOneWarning(CapturedOutput output) {
		for (int i = 0; i < 10_000; i++) {
			this.metrics.modelCall(call("model-" + i, "model-" + i, null, 1L, 1L, null));
		}
		assertThat(this.registry.find("gen_ai.client.operation.duration").timers()).hasSize(101);
		assertThat(this.registry.get("gen_ai.client.operation.duration")
			.tags("gen_ai.request.model", "other", "gen_ai.response.model", "other")
			.timer()
			.count()).isEqualTo(9_900);
		assertThat(output.getAll().split("Tag 'gen_ai.request.model' reached 100 distinct values", -1)).hasSize(2);
	}

	@Test
	void theSpringAiFilterDeniesOnlyTheCounterOfTheTokenHistogramsName() {
		MeterRegistry filtered = new SimpleMeterRegistry();
		filtered.config().meterFilter(new SpringAiTokenUsageCounterFilter());
		filtered.counter("gen_ai.client.token.usage", "gen_ai.token.type", "input").increment(12);
		filtered.counter("agent.tokens", "type", "input").increment(12);
		new GenAiMetrics(filtered, 100).modelCall(call("gpt-4o-mini", "gpt-4o-mini", null, 12L, 5L, null));
		assertThat(filtered.find("gen_ai.client.token.usage").counters()).isEmpty();
		assertThat(filtered.get("gen_ai.client.token.usage").tags("gen_ai.token.type", "input").summary().totalAmount())
			.isEqualTo(12);
		assertThat(filtered.get("agent.tokens").counter().count()).isEqualTo(12);
	}

	private DistributionSummary tokens(String type) {
		return this.registry.get("gen_ai.client.token.usage").tags("gen_ai.token.type", type).summary();
	}

	private static GenAiMetrics.ModelCall call(String requestModel, String responseModel, Throwable error,
			Long inputTokens, Long outputTokens, Long timeToFirstChunkNanos) {
		return new GenAiMetrics.ModelCall("chat", "openai", requestModel, responseModel, error,
				TimeUnit.MILLISECONDS.toNanos(300), inputTokens, outputTokens, timeToFirstChunkNanos);
	}

	private static List<String> keys(Meter meter) {
		return meter.getId().getTags().stream().map(Tag::getKey).toList();
	}

}
