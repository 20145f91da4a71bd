package io.github.agentobservability.tracing;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.agentobservability.autoconfigure.AgentObservabilityAiAutoConfiguration;
import io.github.agentobservability.autoconfigure.AgentObservabilityAutoConfiguration;
import io.github.agentobservability.autoconfigure.AgentObservabilityExportAutoConfiguration;
import io.github.agentobservability.autoconfigure.AgentObservabilityMetricsAutoConfiguration;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The real wiring of an application with the starter: Boot's observation, tracing and
 * OpenTelemetry SDK auto-configurations, AOP, and ours, with every span sampled and an
 * in-memory exporter in Boot's batch processor.
 */
public final class TracingContextRunners {

	public static final AutoConfigurations BOOT_AND_STARTER = AutoConfigurations.of(AopAutoConfiguration.class,
			ObservationAutoConfiguration.class, MicrometerTracingAutoConfiguration.class,
			OpenTelemetrySdkAutoConfiguration.class, OpenTelemetryTracingAutoConfiguration.class,
			AgentObservabilityAutoConfiguration.class, AgentObservabilityExportAutoConfiguration.class,
			AgentObservabilityMetricsAutoConfiguration.class, AgentObservabilityAiAutoConfiguration.class);

	private TracingContextRunners() {
	}

	public static ApplicationContextRunner tracing() {
		return new ApplicationContextRunner().withConfiguration(BOOT_AND_STARTER)
			.withPropertyValues("management.tracing.sampling.probability=1.0", "spring.application.name=test-app")
			.withUserConfiguration(InMemoryExporterConfiguration.class);
	}

	/**
	 * Exports what has ended so far and returns every span exported.
	 * @param context the application context
	 * @return the spans
	 */
	public static List<SpanData> spans(ApplicationContext context) {
		context.getBean(SdkTracerProvider.class).forceFlush().join(10, TimeUnit.SECONDS);
		return context.getBean(InMemorySpanExporter.class).getFinishedSpanItems();
	}

	public static SpanData span(ApplicationContext context, String name) {
		return spans(context).stream()
			.filter((span) -> span.getName().equals(name))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No span named '" + name + "' in " + spans(context)));
	}

	@Configuration(proxyBeanMethods = false)
	static class InMemoryExporterConfiguration {

		@Bean
		InMemorySpanExporter inMemorySpanExporter() {
			return InMemorySpanExporter.create();
		}

	}

}
