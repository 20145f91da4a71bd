package io.github.agentobservability.autoconfigure;

import io.github.agentobservability.tracing.TracedAspect;
import io.github.agentobservability.tracing.TracedMethodValidator;
import io.github.agentobservability.tracing.TracedObservationConvention;
import io.micrometer.observation.ObservationRegistry;
import org.aspectj.weaver.Advice;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of agent observability: the {@code @Traced} aspect on Micrometer's
 * {@link ObservationRegistry}. Backs off as a whole with
 * {@code agent.observability.enabled=false}, and piece by piece when AspectJ or
 * Micrometer's registry is missing.
 */
@AutoConfiguration(afterName = {
		"org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
		"org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration" })
@ConditionalOnBooleanProperty(name = "agent.observability.enabled", matchIfMissing = true)
@EnableConfigurationProperties(AgentObservabilityProperties.class)
public final class AgentObservabilityAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Advice.class)
	@ConditionalOnBean(ObservationRegistry.class)
	static class TracedAspectConfiguration {

		@Bean
		@ConditionalOnMissingBean
		TracedAspect tracedAspect(ObservationRegistry registry, ObjectProvider<TracedObservationConvention> convention) {
			return new TracedAspect(registry, convention.getIfUnique());
		}

		@Bean
		@ConditionalOnMissingBean
		static TracedMethodValidator tracedMethodValidator() {
			return new TracedMethodValidator();
		}

	}

}
