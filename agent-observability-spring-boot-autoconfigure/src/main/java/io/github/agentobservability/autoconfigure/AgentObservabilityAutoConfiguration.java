package io.github.agentobservability.autoconfigure;

import io.github.agentobservability.tracing.TracedAdvisor;
import io.github.agentobservability.tracing.TracedMethodInterceptor;
import io.github.agentobservability.tracing.TracedMethodValidator;
import io.github.agentobservability.tracing.TracedObservationConvention;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;

/**
 * Auto-configuration of agent observability: {@code @Traced} methods observed through
 * Micrometer's {@link ObservationRegistry}. Backs off as a whole with
 * {@code agent.observability.enabled=false}, and when there is no observation registry.
 */
@AutoConfiguration(afterName = {
		"org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
		"org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration" })
@ConditionalOnBooleanProperty(name = "agent.observability.enabled", matchIfMissing = true)
@EnableConfigurationProperties(AgentObservabilityProperties.class)
public final class AgentObservabilityAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(ObservationRegistry.class)
	static class TracedConfiguration {

		@Bean
		@ConditionalOnMissingBean
		TracedMethodInterceptor tracedMethodInterceptor(ObservationRegistry registry,
				ObjectProvider<TracedObservationConvention> convention) {
			return new TracedMethodInterceptor(registry, convention.getIfUnique());
		}

		/**
		 * Infrastructure role: with AspectJ absent, Spring Boot's auto-proxy creator only
		 * applies infrastructure advisors.
		 */
		@Bean
		@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
		@ConditionalOnMissingBean
		static TracedAdvisor tracedAdvisor(ObjectProvider<TracedMethodInterceptor> interceptor) {
			return new TracedAdvisor(interceptor::getObject);
		}

		@Bean
		@ConditionalOnMissingBean
		static TracedMethodValidator tracedMethodValidator() {
			return new TracedMethodValidator();
		}

	}

}
