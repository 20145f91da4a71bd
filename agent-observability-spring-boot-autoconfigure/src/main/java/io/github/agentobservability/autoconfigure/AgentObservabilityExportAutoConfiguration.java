package io.github.agentobservability.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.agentobservability.autoconfigure.ExportConfigurationCheck.Exporter;
import io.github.agentobservability.export.AgentTracesEndpoint;
import io.github.agentobservability.export.ConsoleSpanExporter;
import io.github.agentobservability.tracing.internal.BaggageSpanAttributes;
import io.github.agentobservability.export.internal.ExportOutcomeSpanExporter;
import io.github.agentobservability.export.JsonLinesSpanExporter;
import io.github.agentobservability.export.RecentTraces;
import io.github.agentobservability.export.OpenSpans;
import io.github.agentobservability.export.internal.RegistrationAwareSpanProcessor;
import io.github.agentobservability.export.internal.SpanExportHooks;
import io.github.agentobservability.export.internal.SpanProcessorMeterProviders;
import io.micrometer.tracing.exporter.SpanExportingPredicate;
import io.micrometer.tracing.exporter.SpanFilter;
import io.micrometer.tracing.otel.bridge.CompositeSpanExporter;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanLimits;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessorBuilder;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingProperties;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.SdkTracerProviderBuilderCustomizer;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetryProperties;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetryResourceAttributes;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of the starter's side of the OpenTelemetry SDK that Spring Boot
 * builds: the service resource attributes, and the console and JSON-lines exporters.
 * <p>
 * Each exporter gets a batch span processor of its own, configured by Boot's
 * {@code management.opentelemetry.tracing.export.*} properties, rather than joining
 * Boot's composite exporter: a slow or dead OTLP backend must not hold up the file. The
 * application's Micrometer {@code SpanExportingPredicate} and {@code SpanFilter} beans
 * apply to them as they do to Boot's exporters.
 * <p>
 * The processors exist only when spans reach the OpenTelemetry SDK (see
 * {@link OnOpenTelemetryTracerCondition}); when an enabled exporter cannot receive spans,
 * {@link ExportConfigurationCheck} says so once at startup.
 */
@AutoConfiguration(after = OpenTelemetryTracingAutoConfiguration.class, afterName = {
		"org.springframework.boot.micrometer.tracing.brave.autoconfigure.BraveAutoConfiguration",
		"org.springframework.boot.micrometer.tracing.autoconfigure.NoopTracerAutoConfiguration" })
@ConditionalOnClass({ SdkTracerProvider.class, SdkTracerProviderBuilderCustomizer.class })
@ConditionalOnBooleanProperty(name = "agent.observability.enabled", matchIfMissing = true)
@EnableConfigurationProperties({ AgentObservabilityProperties.class, OpenTelemetryTracingProperties.class,
		OpenTelemetryProperties.class })
public final class AgentObservabilityExportAutoConfiguration {

	static final AttributeKey<String> SERVICE_VERSION = AttributeKey.stringKey("service.version");

	static final AttributeKey<String> DEPLOYMENT_ENVIRONMENT = AttributeKey.stringKey("deployment.environment.name");

	private static final String JSONL_PREFIX = "agent.observability.exporters.jsonl.";

	private static final String CONSOLE_PROCESSOR = "agentObservabilityConsoleSpanProcessor";

	private static final String JSONL_PROCESSOR = "agentObservabilityJsonLinesSpanProcessor";

	private static final String RECENT_TRACES_PROCESSOR = "agentObservabilityRecentTracesSpanProcessor";

	private static final String BAGGAGE_PROCESSOR = "agentObservabilityBaggageSpanProcessor";

	@Bean
	@ConditionalOnMissingBean(name = "agentObservabilityResourceCustomizer")
	SdkTracerProviderBuilderCustomizer agentObservabilityResourceCustomizer(AgentObservabilityProperties properties,
			OpenTelemetryProperties openTelemetryProperties, Environment environment,
			ObjectProvider<BuildProperties> buildProperties) {
		Map<String, String> explicit = new LinkedHashMap<>();
		new OpenTelemetryResourceAttributes(environment, openTelemetryProperties.getResourceAttributes())
			.applyTo(explicit::put);
		AttributesBuilder attributes = Attributes.builder();
		String version = serviceVersion(properties, environment, buildProperties);
		if (version != null && !explicit.containsKey(SERVICE_VERSION.getKey())) {
			attributes.put(SERVICE_VERSION, version);
		}
		String deployment = properties.getEnvironment();
		if (deployment != null && !explicit.containsKey(DEPLOYMENT_ENVIRONMENT.getKey())) {
			attributes.put(DEPLOYMENT_ENVIRONMENT, deployment);
		}
		Resource resource = Resource.create(attributes.build());
		return (builder) -> builder.addResource(resource);
	}

	/**
	 * Ordered first, so that an application customizer setting span limits of its own
	 * replaces these, cap included.
	 */
	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	@ConditionalOnMissingBean(name = "agentObservabilitySpanLimitsCustomizer")
	SdkTracerProviderBuilderCustomizer agentObservabilitySpanLimitsCustomizer(AgentObservabilityProperties properties) {
		int maxLength = properties.getSpans().getMaxAttributeLength();
		if (maxLength < 1) {
			throw new InvalidConfigurationPropertyValueException("agent.observability.spans.max-attribute-length",
					maxLength, "The maximum attribute length must be positive.");
		}
		SpanLimits limits = SpanLimits.getDefault().toBuilder().setMaxAttributeValueLength(maxLength).build();
		return (builder) -> builder.setSpanLimits(limits);
	}

	private static @Nullable String serviceVersion(AgentObservabilityProperties properties, Environment environment,
			ObjectProvider<BuildProperties> buildProperties) {
		if (properties.getServiceVersion() != null) {
			return properties.getServiceVersion();
		}
		String applicationVersion = environment.getProperty("spring.application.version");
		if (applicationVersion != null) {
			return applicationVersion;
		}
		BuildProperties build = buildProperties.getIfAvailable();
		return (build != null) ? build.getVersion() : null;
	}

	@Bean
	@ConditionalOnMissingBean(name = CONSOLE_PROCESSOR)
	@ConditionalOnBooleanProperty("agent.observability.exporters.console.enabled")
	@Conditional(OnOpenTelemetryTracerCondition.class)
	SpanProcessor agentObservabilityConsoleSpanProcessor(AgentObservabilityProperties properties,
			OpenTelemetryTracingProperties tracingProperties,
			ObjectProvider<SpanProcessorMeterProviders> meterProviders, ObjectProvider<SpanExportHooks> hooks) {
		AgentObservabilityProperties.Console console = properties.getExporters().getConsole();
		if (console.getFormat() == ConsoleSpanExporter.Format.JSON) {
			return batch(new ConsoleSpanExporter(console.getFormat()), null, tracingProperties, meterProviders, hooks,
					"console");
		}
		Duration lateSpanWait = console.getLateSpanWait();
		if (lateSpanWait.isNegative()) {
			throw new InvalidConfigurationPropertyValueException("agent.observability.exporters.console.late-span-wait",
					lateSpanWait, "The wait must not be negative.");
		}
		OpenSpans openSpans = new OpenSpans(tracingProperties.getExport().isIncludeUnsampled());
		return batch(new ConsoleSpanExporter(console.getFormat(), openSpans, lateSpanWait), openSpans,
				tracingProperties, meterProviders, hooks, "console");
	}

	@Bean
	@ConditionalOnMissingBean(name = JSONL_PROCESSOR)
	@ConditionalOnBooleanProperty("agent.observability.exporters.jsonl.enabled")
	@Conditional(OnOpenTelemetryTracerCondition.class)
	SpanProcessor agentObservabilityJsonLinesSpanProcessor(AgentObservabilityProperties properties,
			OpenTelemetryTracingProperties tracingProperties,
			ObjectProvider<SpanProcessorMeterProviders> meterProviders, ObjectProvider<SpanExportHooks> hooks) {
		return batch(jsonLinesExporter(properties.getExporters().getJsonl()), null, tracingProperties, meterProviders,
				hooks, "jsonl");
	}

	/**
	 * The baggage fields of {@code agent.observability.attribution.baggage} on every span;
	 * without fields, the tracer provider does not call it.
	 */
	@Bean
	@ConditionalOnMissingBean(name = BAGGAGE_PROCESSOR)
	@Conditional(OnOpenTelemetryTracerCondition.class)
	SpanProcessor agentObservabilityBaggageSpanProcessor(AgentObservabilityProperties properties) {
		return new BaggageSpanAttributes(properties.getAttribution().getBaggage());
	}

	@Bean
	@ConditionalOnMissingBean(name = "agentObservabilityExportConfigurationCheck")
	ExportConfigurationCheck agentObservabilityExportConfigurationCheck(ConfigurableListableBeanFactory beanFactory,
			Environment environment, AgentObservabilityProperties properties) {
		AgentObservabilityProperties.Exporters exporters = properties.getExporters();
		return new ExportConfigurationCheck(beanFactory, environment,
				new Exporter("agent.observability.exporters.console.enabled", "console exporter", CONSOLE_PROCESSOR,
						exporters.getConsole().isEnabled()),
				new Exporter(JSONL_PREFIX + "enabled", "JSON-lines exporter", JSONL_PROCESSOR,
						exporters.getJsonl().isEnabled()),
				new Exporter(RecentTracesConfiguration.PREFIX + "enabled", "recent traces buffer",
						RECENT_TRACES_PROCESSOR, exporters.getRecentTraces().isEnabled()),
				new Exporter("agent.observability.attribution.baggage", "baggage on spans (for Brave, Boot's "
						+ "management.tracing.baggage.tag-fields tags spans)", BAGGAGE_PROCESSOR,
						!properties.getAttribution().getBaggage().isEmpty(), true));
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(CompositeSpanExporter.class)
	static class SpanExportHooksConfiguration {

		@Bean
		@ConditionalOnMissingBean
		SpanExportHooks agentObservabilitySpanExportHooks(ObjectProvider<SpanExportingPredicate> predicates,
				ObjectProvider<SpanFilter> filters) {
			return new SpanExportHooks(predicates.orderedStream().toList(), filters.orderedStream().toList());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty("agent.observability.exporters.recent-traces.enabled")
	static class RecentTracesConfiguration {

		private static final String PREFIX = "agent.observability.exporters.recent-traces.";

		@Bean
		@ConditionalOnMissingBean
		RecentTraces agentObservabilityRecentTraces(AgentObservabilityProperties properties) {
			AgentObservabilityProperties.RecentTraces recent = properties.getExporters().getRecentTraces();
			if (recent.getMaxTraces() < 1) {
				throw new InvalidConfigurationPropertyValueException(PREFIX + "max-traces", recent.getMaxTraces(),
						"At least one trace must be kept.");
			}
			if (recent.getMaxSpansPerTrace() < 1) {
				throw new InvalidConfigurationPropertyValueException(PREFIX + "max-spans-per-trace",
						recent.getMaxSpansPerTrace(), "At least one span per trace must be kept.");
			}
			return new RecentTraces(recent.getMaxTraces(), recent.getMaxSpansPerTrace());
		}

		@Bean
		@ConditionalOnMissingBean(name = RECENT_TRACES_PROCESSOR)
		@Conditional(OnOpenTelemetryTracerCondition.class)
		SpanProcessor agentObservabilityRecentTracesSpanProcessor(RecentTraces recentTraces,
				OpenTelemetryTracingProperties tracingProperties,
				ObjectProvider<SpanProcessorMeterProviders> meterProviders, ObjectProvider<SpanExportHooks> hooks) {
			return batch(recentTraces.exporter(), null, tracingProperties, meterProviders, hooks, "recent-traces");
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint")
	@ConditionalOnBooleanProperty("agent.observability.exporters.recent-traces.enabled")
	static class RecentTracesEndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnAvailableEndpoint
		AgentTracesEndpoint agentTracesEndpoint(RecentTraces recentTraces) {
			return new AgentTracesEndpoint(recentTraces);
		}

	}

	static JsonLinesSpanExporter jsonLinesExporter(AgentObservabilityProperties.Jsonl jsonl) {
		long maxFileSize = jsonl.getMaxFileSize().toBytes();
		if (maxFileSize <= 0) {
			throw new InvalidConfigurationPropertyValueException(JSONL_PREFIX + "max-file-size", jsonl.getMaxFileSize(),
					"The maximum file size must be positive, for example 50MB.");
		}
		if (jsonl.getMaxFiles() < 1) {
			throw new InvalidConfigurationPropertyValueException(JSONL_PREFIX + "max-files", jsonl.getMaxFiles(),
					"At least one file must be kept.");
		}
		try {
			return new JsonLinesSpanExporter(jsonl.getPath(), maxFileSize, jsonl.getMaxFiles());
		}
		catch (RuntimeException ex) {
			throw new InvalidConfigurationPropertyValueException(JSONL_PREFIX + "path", jsonl.getPath(),
					"The file cannot be written: " + ex.getMessage());
		}
	}

	/**
	 * A batch span processor for one of the starter's exporters, wrapped so that
	 * {@link ExportConfigurationCheck} can tell whether a tracer provider took it. The
	 * outcome is counted after the application's hooks, on what reaches the exporter.
	 * With {@link OpenSpans}, the processor also counts the spans started, ended and
	 * handed to the exporter chain (before the hooks, which may drop some).
	 */
	private static RegistrationAwareSpanProcessor batch(SpanExporter exporter, @Nullable OpenSpans openSpans,
			OpenTelemetryTracingProperties tracingProperties,
			ObjectProvider<SpanProcessorMeterProviders> meterProviders, ObjectProvider<SpanExportHooks> hooks,
			String processor) {
		OpenTelemetryTracingProperties.Export export = tracingProperties.getExport();
		SpanProcessorMeterProviders providers = meterProviders.getIfAvailable();
		MeterProvider meterProvider = (providers != null) ? providers.forProcessor(processor) : null;
		SpanExporter counted = (meterProvider != null) ? new ExportOutcomeSpanExporter(exporter, meterProvider)
				: exporter;
		SpanExportHooks exportHooks = hooks.getIfAvailable();
		SpanExporter hooked = (exportHooks != null) ? exportHooks.apply(counted) : counted;
		BatchSpanProcessorBuilder builder = BatchSpanProcessor
			.builder((openSpans != null) ? openSpans.delivering(hooked) : hooked);
		if (meterProvider != null) {
			builder.setMeterProvider(meterProvider);
		}
		SpanProcessor batch = builder.setExportUnsampledSpans(export.isIncludeUnsampled())
			.setExporterTimeout(export.getTimeout())
			.setMaxExportBatchSize(export.getMaxBatchSize())
			.setMaxQueueSize(export.getMaxQueueSize())
			.setScheduleDelay(export.getScheduleDelay())
			.build();
		return new RegistrationAwareSpanProcessor(
				(openSpans != null) ? SpanProcessor.composite(openSpans, batch) : batch);
	}

}
