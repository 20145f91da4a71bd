package io.github.agentobservability.autoconfigure;

import io.github.agentobservability.ai.internal.FirstChunkAdvisor;
import io.github.agentobservability.ai.internal.GenAiMetricsObservationHandler;
import io.github.agentobservability.ai.internal.GenAiSpanAttributes;
import io.github.agentobservability.ai.internal.GenAiTracingObservationHandler;
import io.github.agentobservability.ai.ModelPricing;
import io.github.agentobservability.metrics.internal.AgentMetrics;
import io.github.agentobservability.metrics.internal.GenAiMetrics;
import io.github.agentobservability.metrics.internal.SpringAiTokenUsageCounterFilter;
import io.github.agentobservability.tracing.TracingContextRunners;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.client.ChatClientCustomizer;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class AgentObservabilityAiAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = TracingContextRunners.tracing()
		.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class))
		.withBean(SimpleMeterRegistry.class);

	@Test
	void providesTheSpringAiInstrumentationByDefault() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(GenAiTracingObservationHandler.class)
			.hasSingleBean(GenAiMetricsObservationHandler.class)
			.hasSingleBean(AgentMetrics.class)
			.hasSingleBean(ModelPricing.class)
			.hasSingleBean(FirstChunkAdvisor.class)
			.hasBean("agentObservabilityChatClientCustomizer"));
	}

	@Test
	void providesTheGenAiSemconvMetricsAndDropsSpringAisTokenCounterByDefault() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(GenAiMetrics.class)
			.hasSingleBean(SpringAiTokenUsageCounterFilter.class));
	}

	@Test
	void semconvPropertyOffLeavesSpringAisMetersAsTheyAre() {
		this.contextRunner.withPropertyValues("agent.observability.metrics.semconv.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(GenAiMetrics.class)
				.doesNotHaveBean(SpringAiTokenUsageCounterFilter.class)
				.hasSingleBean(GenAiMetricsObservationHandler.class)
				.hasSingleBean(AgentMetrics.class));
	}

	@Test
	void userGenAiMetricsWin() {
		GenAiMetrics own = new GenAiMetrics(new SimpleMeterRegistry(), 5);
		this.contextRunner.withBean(GenAiMetrics.class, () -> own)
			.run((context) -> assertThat(context).getBean(GenAiMetrics.class).isSameAs(own));
	}

	@Test
	void backsOffWithoutSpringAi() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.ai"))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(GenAiTracingObservationHandler.class)
				.doesNotHaveBean(ModelPricing.class)
				.hasSingleBean(AgentMetrics.class));
	}

	@Test
	void withoutChatClientThereIsNoFirstChunkAdvisor() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(ChatClientCustomizer.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(GenAiTracingObservationHandler.class)
				.doesNotHaveBean(FirstChunkAdvisor.class));
	}

	@Test
	void withoutTheOpenTelemetryBridgeSpringAiSpansAreLeftToBoot() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(OtelTracer.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(GenAiTracingObservationHandler.class));
	}

	@Test
	void withoutAMeterRegistryThereAreNoAgentMeters() {
		TracingContextRunners.tracing()
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(AgentMetrics.class)
				.doesNotHaveBean(GenAiMetricsObservationHandler.class)
				.hasSingleBean(GenAiTracingObservationHandler.class));
	}

	@Test
	void disabledPropertyTurnsItOff() {
		this.contextRunner.withPropertyValues("agent.observability.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(GenAiTracingObservationHandler.class)
				.doesNotHaveBean(AgentMetrics.class)
				.doesNotHaveBean(GenAiSpanAttributes.class));
	}

	@Test
	void userPricingWins() {
		ModelPricing own = ModelPricing.withDefaults(java.util.Map.of());
		this.contextRunner.withBean(ModelPricing.class, () -> own)
			.run((context) -> assertThat(context).getBean(ModelPricing.class).isSameAs(own));
	}

	@Test
	void malformedRedactionPatternFailsStartupNamingTheProperty() {
		this.contextRunner.withPropertyValues("agent.observability.content.redaction.patterns[0]=ok",
				"agent.observability.content.redaction.patterns[1]=token=(\\w+")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("agent.observability.content.redaction.patterns[1]"));
	}

	@Test
	void nonPositiveMaxTagValuesFailsStartupNamingTheProperty() {
		this.contextRunner.withPropertyValues("agent.observability.metrics.max-tag-values=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("agent.observability.metrics.max-tag-values"));
	}

}
