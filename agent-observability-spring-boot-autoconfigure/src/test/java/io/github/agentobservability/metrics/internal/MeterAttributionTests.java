package io.github.agentobservability.metrics.internal;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import io.github.agentobservability.tracing.internal.Outcome;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MeterAttribution}: a tag whose values come from requests cannot grow
 * the series without bound.
 */
class MeterAttributionTests {

	@Test
	void tenThousandTenantsStopGrowingTheSeriesAtTheBoundAndFoldIntoOther() {
		AtomicReference<String> tenant = new AtomicReference<>();
		MeterAttribution attribution = new MeterAttribution(List.of("tenant.id"), 100, (field) -> tenant.get());
		MeterRegistry registry = new SimpleMeterRegistry();
		AgentMetrics metrics = new AgentMetrics(registry, 100, attribution);
		for (int i = 0; i < 10_000; i++) {
			tenant.set("tenant-" + i);
			metrics.runStarted("rag");
			metrics.runStopped("rag", Outcome.SUCCESS, null, 1_000, attribution.current());
		}
		List<String> tenants = registry.find("agent.requests")
			.tag("outcome", "success")
			.counters()
			.stream()
			.map((counter) -> counter.getId().getTag("tenant.id"))
			.toList();
		// 100 tenants and "other"
		assertThat(tenants).hasSize(101).contains("other", "tenant-0", "tenant-99").doesNotContain("tenant-100");
		assertThat(registry.get("agent.requests").tags("tenant.id", "other").counter().count()).isEqualTo(9_900);
	}

	@Test
	void aTenantAbsentFromTheBaggageIsNone() {
		MeterAttribution attribution = new MeterAttribution(List.of("tenant.id"), 10, (field) -> null);
		assertThat(attribution.current()).singleElement()
			.satisfies((tag) -> assertThat(tag.getValue()).isEqualTo(MeterAttribution.ABSENT));
	}

	@Test
	void aLongValueIsCut() {
		MeterAttribution attribution = new MeterAttribution(List.of("tenant.id"), 10, (field) -> "t".repeat(300));
		assertThat(attribution.current()).singleElement()
			.satisfies((tag) -> assertThat(tag.getValue()).hasSize(MeterAttribution.MAX_VALUE_LENGTH));
	}

	@Test
	void withoutFieldsThereAreNoTags() {
		assertThat(MeterAttribution.none().current()).isEmpty();
		assertThat(MeterAttribution.none().absent()).isEmpty();
	}

}
