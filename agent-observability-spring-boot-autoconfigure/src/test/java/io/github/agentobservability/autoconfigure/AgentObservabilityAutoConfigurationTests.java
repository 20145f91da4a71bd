package io.github.agentobservability.autoconfigure;

import io.github.agentobservability.annotation.Traced;
import io.github.agentobservability.metrics.internal.AgentRunMeterObservationHandler;
import io.github.agentobservability.tracing.internal.TracedAdvisor;
import io.github.agentobservability.tracing.internal.TracedMethodInterceptor;
import io.github.agentobservability.tracing.internal.TracedMethodValidator;
import io.github.agentobservability.tracing.internal.TracedTracingObservationHandler;
import io.github.agentobservability.tracing.TracingContextRunners;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.opentelemetry.sdk.trace.data.SpanData;
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
	void providesTheInterceptorAdvisorAndValidatorByDefault() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(TracedMethodInterceptor.class)
			.hasSingleBean(TracedAdvisor.class)
			.hasSingleBean(TracedMethodValidator.class)
			.hasSingleBean(AgentObservabilityProperties.class));
	}

	@Test
	void disabledPropertyTurnsTheWholeStarterOff() {
		this.contextRunner.withPropertyValues("agent.observability.enabled=false",
				"agent.observability.exporters.console.enabled=true")
			.run((context) -> assertThat(context).doesNotHaveBean(TracedMethodInterceptor.class)
				.doesNotHaveBean(TracedAdvisor.class)
				.doesNotHaveBean(TracedMethodValidator.class)
				.doesNotHaveBean(AgentRunMeterObservationHandler.class)
				.doesNotHaveBean(AgentObservabilityProperties.class)
				.doesNotHaveBean("agentObservabilityConsoleSpanProcessor")
				.doesNotHaveBean("agentObservabilityResourceCustomizer"));
	}

	@Test
	void tracesWithoutAspectJThroughBootsInfrastructureProxyCreator() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.aspectj"))
			.withBean(Traceable.class)
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(TracedAdvisor.class);
				context.getBean(Traceable.class).work();
				assertThat(TracingContextRunners.spans(context)).extracting(SpanData::getName).containsExactly("work");
			});
	}

	@Test
	void backsOffWithoutAnObservationRegistry() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(AgentObservabilityAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(TracedMethodInterceptor.class));
	}

	@Test
	void startsWithoutSpringAiAndActuator() {
		this.contextRunner
			.withClassLoader(new FilteredClassLoader("org.springframework.ai", "org.springframework.boot.actuate"))
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(TracedMethodInterceptor.class));
	}

	@Test
	void userInterceptorWins() {
		this.contextRunner.withUserConfiguration(UserInterceptorConfiguration.class)
			.run((context) -> assertThat(context).getBean(TracedMethodInterceptor.class)
				.isSameAs(context.getBean("userInterceptor")));
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

	@Test
	void ownTracingHandlerOnlyWhenTheMicrometerTracerIsOpenTelemetrys() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(TracedTracingObservationHandler.class));
		this.contextRunner.withBean("braveLikeTracer", Tracer.class, () -> Tracer.NOOP)
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(TracedTracingObservationHandler.class)
				.hasSingleBean(TracedMethodInterceptor.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class UserInterceptorConfiguration {

		@Bean
		TracedMethodInterceptor userInterceptor(ObservationRegistry registry) {
			return new TracedMethodInterceptor(registry);
		}

	}

	public static class Traceable {

		@Traced
		public void work() {
		}

	}

}
