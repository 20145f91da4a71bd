package io.github.agentobservability.autoconfigure;

import io.github.agentobservability.ai.ContentRedactor;
import io.github.agentobservability.tracing.internal.TracedAdvisor;
import io.github.agentobservability.tracing.internal.TracedMethodInterceptor;
import io.github.agentobservability.tracing.internal.TracedMethodValidator;
import io.github.agentobservability.tracing.TracedObservationConvention;
import io.github.agentobservability.tracing.internal.TracedSpanStarter;
import io.github.agentobservability.tracing.internal.TracedTracingObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.otel.bridge.OtelTracer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.core.annotation.Order;
import org.springframework.context.annotation.Role;

/**
 * Auto-configuration of agent observability: {@code @Traced} methods observed through
 * Micrometer's {@link ObservationRegistry}. Backs off as a whole with
 * {@code agent.observability.enabled=false}, and when there is no observation registry.
 */
@AutoConfiguration(afterName = {
		"org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
		"org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration",
		"org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration" })
@ConditionalOnBooleanProperty(name = "agent.observability.enabled", matchIfMissing = true)
@EnableConfigurationProperties(AgentObservabilityProperties.class)
public final class AgentObservabilityAutoConfiguration {

	/**
	 * The redactor of everything content capture records, Spring AI's content and agent
	 * input alike. Built whether capture is on or not, so that a wrong pattern fails
	 * startup naming its property.
	 */
	@Bean
	@ConditionalOnMissingBean
	ContentRedactor agentObservabilityContentRedactor(AgentObservabilityProperties properties) {
		return ContentCaptureSettings.redactor(properties.getContent());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(ObservationRegistry.class)
	@ImportRuntimeHints(TracedRuntimeHints.class)
	static class TracedConfiguration {

		@Bean
		@ConditionalOnMissingBean
		TracedMethodInterceptor tracedMethodInterceptor(ObservationRegistry registry,
				ObjectProvider<TracedObservationConvention> convention, ObjectProvider<TracedSpanStarter> spanStarter,
				AgentObservabilityProperties properties, ContentRedactor redactor) {
			TracedMethodInterceptor interceptor = new TracedMethodInterceptor(registry, convention.getIfUnique(),
					(invocation) -> false, spanStarter.getIfUnique());
			interceptor.setAgentInputCapture(ContentCaptureSettings.text(properties.getContent(), redactor));
			return interceptor;
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

		@Bean
		@ConditionalOnMissingBean(name = "agentObservabilityCurrentSpanBinding")
		CurrentSpanBinding agentObservabilityCurrentSpanBinding(ObjectProvider<ObservationRegistry> registry,
				ObjectProvider<Tracer> tracer) {
			return new CurrentSpanBinding(registry, tracer);
		}

	}

	/**
	 * Spans of {@code @Traced} calls made with the OpenTelemetry API rather than through
	 * Boot's default handler: see {@link TracedTracingObservationHandler}. Ordered before
	 * Boot's default tracing handler, which keeps every other observation.
	 * <p>
	 * Only when the application's Micrometer {@link Tracer} is OpenTelemetry's: an
	 * application tracing with Brave may still have the OpenTelemetry SDK on its
	 * classpath (the starter brings it), and spans made there would be lost. With any
	 * other tracer, Boot's default handler traces {@code @Traced} calls too.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ OtelTracer.class, io.opentelemetry.api.trace.Tracer.class })
	@ConditionalOnBean({ OtelTracer.class, io.opentelemetry.api.trace.Tracer.class })
	static class TracedTracingConfiguration {

		@Bean
		@Order(MicrometerTracingAutoConfiguration.DEFAULT_TRACING_OBSERVATION_HANDLER_ORDER - 100)
		@ConditionalOnMissingBean
		TracedTracingObservationHandler tracedTracingObservationHandler(Tracer tracer,
				io.opentelemetry.api.trace.Tracer otelTracer) {
			return new TracedTracingObservationHandler(tracer, otelTracer);
		}

	}

}
