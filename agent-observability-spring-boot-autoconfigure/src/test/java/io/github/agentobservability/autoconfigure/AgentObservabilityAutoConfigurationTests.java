package io.github.agentobservability.autoconfigure;

import io.github.agentobservability.annotation.Traced;
import io.github.agentobservability.metrics.AgentRunMeterObservationHandler;
import io.github.agentobservability.tracing.TracedAspect;
import io.github.agentobservability.tracing.TracedMethodValidator;
import io.github.agentobservability.tracing.TracingContextRunners;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.aspectj.weaver.Advice;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class AgentObservabilityAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = TracingContextRunners.tracing();

	@Test
	void providesTheAspectAndItsValidatorByDefault() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(TracedAspect.class)
			.hasSingleBean(TracedMethodValidator.class)
			.hasSingleBean(AgentObservabilityProperties.class));
	}

	@Test
	void disabledPropertyTurnsTheWholeStarterOff() {
		this.contextRunner.withPropertyValues("agent.observability.enabled=false",
				"agent.observability.exporters.console.enabled=true")
			.run((context) -> assertThat(context).doesNotHaveBean(TracedAspect.class)
				.doesNotHaveBean(TracedMethodValidator.class)
				.doesNotHaveBean(AgentRunMeterObservationHandler.class)
				.doesNotHaveBean(AgentObservabilityProperties.class)
				.doesNotHaveBean("agentObservabilityConsoleSpanProcessor")
				.doesNotHaveBean("agentObservabilityResourceCustomizer"));
	}

	@Test
	void backsOffWithoutAspectJ() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(Advice.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(TracedAspect.class)
				.doesNotHaveBean(TracedMethodValidator.class));
	}

	@Test
	void backsOffWithoutAnObservationRegistry() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(AgentObservabilityAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(TracedAspect.class));
	}

	@Test
	void startsWithoutSpringAiAndActuator() {
		this.contextRunner
			.withClassLoader(new FilteredClassLoader("org.springframework.ai", "org.springframework.boot.actuate"))
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(TracedAspect.class));
	}

	@Test
	void userAspectWins() {
		this.contextRunner.withUserConfiguration(UserAspectConfiguration.class)
			.run((context) -> assertThat(context).getBean(TracedAspect.class)
				.isSameAs(context.getBean("userAspect")));
	}

	@Test
	void tracedCallsStaySpansOnlyWhileOtherObservationsKeepTheirTimers() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class))
			.withBean(SimpleMeterRegistry.class)
			.withBean(Traceable.class)
			.run((context) -> {
				context.getBean(Traceable.class).work();
				Observation.createNotStarted("other.work", context.getBean(ObservationRegistry.class))
					.observe(() -> {
					});
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				assertThat(meters.find("traced").meters()).isEmpty();
				assertThat(meters.find("other.work").timer()).isNotNull();
				assertThat(TracingContextRunners.spans(context)).hasSize(2);
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class UserAspectConfiguration {

		@Bean
		TracedAspect userAspect(ObservationRegistry registry) {
			return new TracedAspect(registry);
		}

	}

	static class Traceable {

		@Traced
		void work() {
		}

	}

}
