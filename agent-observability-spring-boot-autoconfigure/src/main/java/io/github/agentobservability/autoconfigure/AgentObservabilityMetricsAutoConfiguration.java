package io.github.agentobservability.autoconfigure;

import java.util.List;

import io.github.agentobservability.metrics.internal.MeterAttribution;

import java.time.Duration;

import io.github.agentobservability.export.internal.SpanExportMeterProvider;
import io.github.agentobservability.export.internal.SpanProcessorMeterProviders;
import io.github.agentobservability.metrics.internal.AgentMetrics;
import io.github.agentobservability.metrics.internal.AgentRunMeterObservationHandler;
import io.github.agentobservability.metrics.internal.ConsoleMetricsReporter;
import io.github.agentobservability.metrics.internal.GenAiMetrics;
import io.github.agentobservability.metrics.internal.SpringAiTokenUsageCounterFilter;
import io.github.agentobservability.tracing.internal.TracedMethodValidator;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.MeterObservationHandler;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/**
 * Auto-configuration of the agent meters: agent runs, tokens, cost, model calls and tool
 * calls, on the application's {@link MeterRegistry}, and of the OpenTelemetry GenAI
 * semantic-convention histograms beside them.
 */
@AutoConfiguration(afterName = {
		"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
		"org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration" })
@ConditionalOnClass({ MeterRegistry.class, MeterObservationHandler.class })
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnBooleanProperty(name = "agent.observability.enabled", matchIfMissing = true)
@EnableConfigurationProperties(AgentObservabilityProperties.class)
public final class AgentObservabilityMetricsAutoConfiguration {

	/**
	 * The agent meters, those of every agent a {@code @Traced} method declares existing at
	 * zero from startup.
	 */
	@Bean
	@ConditionalOnMissingBean
	AgentMetrics agentObservabilityAgentMetrics(MeterRegistry registry, AgentObservabilityProperties properties,
			ObjectProvider<ConsoleMetricsReporter> consoleMetrics, ObjectProvider<TracedMethodValidator> validator,
			MeterAttribution attribution) {
		ConsoleMetricsReporter console = consoleMetrics.getIfAvailable();
		AgentMetrics metrics = new AgentMetrics((console != null) ? console.getRegistry() : registry,
				maxTagValues(properties), attribution);
		validator.ifAvailable((declarations) -> declarations.onAgentDeclared(metrics::agentDeclared));
		return metrics;
	}

	/**
	 * Without Micrometer Tracing there is no baggage to read: attribution tags are
	 * {@code none}, the fields still validated.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingClass("io.micrometer.tracing.Tracer")
	static class NoBaggageMeterAttributionConfiguration {

		@Bean
		@ConditionalOnMissingBean
		MeterAttribution agentObservabilityMeterAttribution(AgentObservabilityProperties properties) {
			return new MeterAttribution(MeterTagFields.validated(properties.getAttribution().getMeterTags()),
					maxTagValues(properties), (field) -> null);
		}

	}

	/**
	 * The meter tags that say whom the work was for, from the baggage fields of
	 * {@code agent.observability.attribution.meter-tags}, read through Micrometer's
	 * tracer (OpenTelemetry's or Brave's).
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(io.micrometer.tracing.Tracer.class)
	static class BaggageMeterAttributionConfiguration {

		@Bean
		@ConditionalOnMissingBean
		MeterAttribution agentObservabilityMeterAttribution(AgentObservabilityProperties properties,
				ObjectProvider<io.micrometer.tracing.Tracer> tracer) {
			List<String> fields = MeterTagFields.validated(properties.getAttribution().getMeterTags());
			return new MeterAttribution(fields, maxTagValues(properties), (field) -> {
				io.micrometer.tracing.Tracer current = tracer.getIfAvailable();
				io.micrometer.tracing.Baggage baggage = (current != null) ? current.getBaggage(field) : null;
				return (baggage != null) ? baggage.get() : null;
			});
		}

	}

	static int maxTagValues(AgentObservabilityProperties properties) {
		int maxTagValues = properties.getMetrics().getMaxTagValues();
		if (maxTagValues < 1) {
			throw new InvalidConfigurationPropertyValueException("agent.observability.metrics.max-tag-values",
					maxTagValues, "At least one value per tag must be allowed.");
		}
		return maxTagValues;
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnProperty("agent.observability.exporters.console.metrics-interval")
	ConsoleMetricsReporter agentObservabilityConsoleMetricsReporter(MeterRegistry registry,
			AgentObservabilityProperties properties, ObjectProvider<Clock> clock) {
		Duration interval = properties.getExporters().getConsole().getMetricsInterval();
		if (interval == null || interval.isNegative() || interval.isZero()) {
			throw new InvalidConfigurationPropertyValueException(
					"agent.observability.exporters.console.metrics-interval", interval,
					"The interval must be positive, for example 30s.");
		}
		return new ConsoleMetricsReporter(registry, interval, clock.getIfAvailable(() -> Clock.SYSTEM));
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ MeterProvider.class, BatchSpanProcessor.class })
	static class DroppedSpansConfiguration {

		@Bean
		@ConditionalOnMissingBean
		SpanProcessorMeterProviders agentObservabilitySpanProcessorMeterProviders(MeterRegistry registry) {
			return (processor) -> new SpanExportMeterProvider(registry, processor);
		}

		/**
		 * Spring Boot hands an OpenTelemetry {@link MeterProvider} bean to its own batch
		 * span processor (the one behind OTLP) and to its OTLP exporters. That processor
		 * exists even when it has no exporter (no OTLP endpoint, no {@link SpanExporter}
		 * bean); then its counters, which would only ever read zero, are not registered:
		 * an exporter that is off has no series.
		 */
		@Bean
		@ConditionalOnMissingBean(MeterProvider.class)
		MeterProvider agentObservabilitySpanExportMeterProvider(MeterRegistry registry,
				ListableBeanFactory beanFactory) {
			boolean exporting = beanFactory.getBeanNamesForType(SpanExporter.class, true, false).length > 0;
			return exporting ? new SpanExportMeterProvider(registry, "otlp") : MeterProvider.noop();
		}

	}

	@Bean
	@Order(0)
	@ConditionalOnMissingBean
	AgentRunMeterObservationHandler agentRunMeterObservationHandler(AgentMetrics metrics,
			ObjectProvider<GenAiMetrics> genAiMetrics, MeterAttribution attribution) {
		return new AgentRunMeterObservationHandler(metrics, genAiMetrics.getIfAvailable(), attribution);
	}

	/**
	 * The GenAI semantic-convention metrics, on by default. Their token histogram has the
	 * name of Spring AI's token counter, and Prometheus takes one type per name, so the
	 * counter is dropped; with the property off neither is touched.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = "agent.observability.metrics.semconv.enabled", matchIfMissing = true)
	static class SemconvMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		GenAiMetrics agentObservabilityGenAiMetrics(MeterRegistry registry, AgentObservabilityProperties properties) {
			return new GenAiMetrics(registry, maxTagValues(properties));
		}

		@Bean
		@ConditionalOnMissingBean
		SpringAiTokenUsageCounterFilter agentObservabilitySpringAiTokenUsageCounterFilter() {
			return new SpringAiTokenUsageCounterFilter();
		}

	}

}
