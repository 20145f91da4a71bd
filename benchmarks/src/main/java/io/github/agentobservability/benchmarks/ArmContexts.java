package io.github.agentobservability.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.agentobservability.autoconfigure.AgentObservabilityAutoConfiguration;
import io.github.agentobservability.autoconfigure.AgentObservabilityExportAutoConfiguration;
import io.github.agentobservability.autoconfigure.AgentObservabilityMetricsAutoConfiguration;
import io.micrometer.observation.ObservationRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.instrumentation.spring.autoconfigure.internal.instrumentation.annotations.InstrumentationAnnotationsAutoConfiguration;
import io.opentelemetry.sdk.trace.SdkTracerProvider;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The application contexts of the arms: real Spring Boot applications (non-web), each
 * made of the auto-configurations that an application using that kind of instrumentation
 * has, listed explicitly rather than scanned so that no arm picks up another arm's
 * instrumentation (the class path holds them all). Every traced arm shares Boot's
 * OpenTelemetry SDK, sampler ({@code management.tracing.sampling.probability}) and batch
 * span processor, whose exporter only counts.
 */
public final class ArmContexts {

	static final String SAMPLED = "management.tracing.sampling.probability=1.0";

	static final String NOT_SAMPLED = "management.tracing.sampling.probability=0";

	private ArmContexts() {
	}

	/**
	 * Starts a non-web application from the given configurations.
	 * @param sources the configurations, among the nested classes below
	 * @param properties extra properties, {@code key=value}
	 * @return the started context
	 */
	public static ConfigurableApplicationContext start(Class<?>[] sources, String... properties) {
		List<String> all = new ArrayList<>(List.of("spring.application.name=bench", "spring.main.banner-mode=off",
				"spring.main.log-startup-info=false", "logging.level.root=WARN",
				// Drops are counted (EndedSpanCounter) and reported once per trial instead.
				"logging.level.io.opentelemetry.sdk.trace.export.BatchSpanProcessor=ERROR"));
		all.addAll(List.of(properties));
		return new SpringApplicationBuilder(sources).web(WebApplicationType.NONE)
			.properties(all.toArray(String[]::new))
			.run();
	}

	public static Class<?>[] sources(Class<?>... sources) {
		return sources;
	}

	/**
	 * Exports every ended span and returns the count of spans exported so far.
	 * @param context the context of an arm with {@link Tracing}
	 * @return the spans exported so far
	 */
	public static long flushAndCount(ConfigurableApplicationContext context) {
		context.getBean(SdkTracerProvider.class).forceFlush().join(10, TimeUnit.SECONDS);
		return context.getBean(CountingSpanExporter.class).getExported();
	}

	/** Spring AOP with CGLIB proxies, as Boot configures it. */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(AopAutoConfiguration.class)
	public static class Aop {

	}

	/**
	 * Boot's Micrometer Observation, Micrometer Tracing over the OpenTelemetry SDK, and a
	 * counting exporter behind Boot's batch span processor.
	 */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ ObservationAutoConfiguration.class, MicrometerTracingAutoConfiguration.class,
			OpenTelemetrySdkAutoConfiguration.class, OpenTelemetryTracingAutoConfiguration.class })
	public static class Tracing {

		@Bean
		CountingSpanExporter countingSpanExporter() {
			return new CountingSpanExporter();
		}

		@Bean
		EndedSpanCounter endedSpanCounter() {
			return new EndedSpanCounter();
		}

	}

	/** Boot's metrics: a {@code SimpleMeterRegistry} and Boot's meter observation handler. */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
			SimpleMetricsExportAutoConfiguration.class })
	public static class Metrics {

	}

	/** The starter's auto-configurations (the AI one has nothing to instrument here). */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ AgentObservabilityAutoConfiguration.class,
			AgentObservabilityExportAutoConfiguration.class, AgentObservabilityMetricsAutoConfiguration.class })
	public static class Starter {

	}

	/**
	 * The {@code @WithSpan} aspect of OpenTelemetry's Spring Boot starter, through its own
	 * auto-configuration, on Boot's OpenTelemetry SDK (its {@code OpenTelemetry} bean), so
	 * that this arm shares the SDK, sampler and batch processor of the others.
	 */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(WithSpanAfterBootSdk.class)
	public static class OpenTelemetryAnnotations {

	}

	/**
	 * OpenTelemetry's {@code InstrumentationAnnotationsAutoConfiguration} is
	 * {@code @ConditionalOnBean(OpenTelemetry.class)} but not ordered after Boot's SDK
	 * auto-configuration (it expects the starter's own), and sorts ahead of it, so it would
	 * back off: imported from here, after Boot's, it sees Boot's {@code OpenTelemetry}.
	 */
	@AutoConfiguration(after = OpenTelemetrySdkAutoConfiguration.class)
	@Import(InstrumentationAnnotationsAutoConfiguration.class)
	public static class WithSpanAfterBootSdk {

	}

	@Configuration(proxyBeanMethods = false)
	public static class InterceptedBean {

		@Bean
		Workloads.ProceedOnlyAspect proceedOnlyAspect() {
			return new Workloads.ProceedOnlyAspect();
		}

		@Bean
		Workloads.Intercepted intercepted() {
			return new Workloads.Intercepted();
		}

	}

	@Configuration(proxyBeanMethods = false)
	public static class HandWrittenSpanBean {

		@Bean
		Workloads.HandWrittenSpan handWrittenSpan(OpenTelemetry openTelemetry) {
			return new Workloads.HandWrittenSpan(openTelemetry);
		}

	}

	@Configuration(proxyBeanMethods = false)
	public static class HandWrittenObservationBean {

		@Bean
		Workloads.HandWrittenObservation handWrittenObservation(ObservationRegistry registry) {
			return new Workloads.HandWrittenObservation(registry);
		}

	}

	@Configuration(proxyBeanMethods = false)
	public static class WithSpanBean {

		@Bean
		Workloads.WithSpanAnnotated withSpanAnnotated() {
			return new Workloads.WithSpanAnnotated();
		}

	}

	@Configuration(proxyBeanMethods = false)
	public static class ObservedBean {

		@Bean
		Workloads.ObservedAnnotated observedAnnotated() {
			return new Workloads.ObservedAnnotated();
		}

	}

	@Configuration(proxyBeanMethods = false)
	public static class TracedBeans {

		@Bean
		Workloads.TracedAnnotated tracedAnnotated() {
			return new Workloads.TracedAnnotated();
		}

		@Bean
		Workloads.TracedWithSpanApi tracedWithSpanApi() {
			return new Workloads.TracedWithSpanApi();
		}

		@Bean
		Workloads.AgentEntryPoint agentEntryPoint() {
			return new Workloads.AgentEntryPoint();
		}

	}

}
