package io.github.agentobservability.autoconfigure;

import java.util.Arrays;
import java.util.List;

import io.github.agentobservability.export.internal.RegistrationAwareSpanProcessor;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.BindResult;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.SpanProcessors;
import org.springframework.core.env.Environment;

/**
 * Says once at startup, in one warning per property, what the starter's export settings
 * cannot deliver in this application, instead of leaving an enabled exporter silently
 * empty: spans that never reach the OpenTelemetry SDK (a Micrometer {@code Tracer} other
 * than {@code OtelTracer}, such as Brave's), an application {@link SdkTracerProvider}
 * built without the starter's span processors, and an attribute length cap that the
 * application's own span limits replace.
 */
final class ExportConfigurationCheck implements SmartInitializingSingleton {

	static final String MAX_ATTRIBUTE_LENGTH = "agent.observability.spans.max-attribute-length";

	private static final Log logger = LogFactory.getLog(ExportConfigurationCheck.class);

	private final ConfigurableListableBeanFactory beanFactory;

	private final Environment environment;

	private final List<Exporter> enabledExporters;

	ExportConfigurationCheck(ConfigurableListableBeanFactory beanFactory, Environment environment,
			Exporter... exporters) {
		this.beanFactory = beanFactory;
		this.environment = environment;
		this.enabledExporters = Arrays.stream(exporters).filter(Exporter::enabled).toList();
	}

	@Override
	public void afterSingletonsInstantiated() {
		for (Exporter exporter : this.enabledExporters) {
			check(exporter);
		}
		checkMaxAttributeLength();
	}

	private void check(Exporter exporter) {
		String processorBean = exporter.processorBean();
		// enabled, yet no processor: OnOpenTelemetryTracerCondition did not match
		if (!this.beanFactory.containsBean(processorBean)) {
			String tracer = OnOpenTelemetryTracerCondition.otherTracer(this.beanFactory,
					this.beanFactory.getBeanClassLoader());
			logger.warn(exporter.enabledBy() + ", but the application's Micrometer Tracer"
					+ ((tracer != null) ? " " + tracer : "") + " is not OpenTelemetry's OtelTracer: spans never reach "
					+ "the OpenTelemetry SDK, so the " + exporter.description() + " is off and nothing will be "
					+ "written. Trace with micrometer-tracing-bridge-otel instead of Brave to use it, or turn it off.");
			return;
		}
		// a lazy processor or tracer provider that is not built yet tells nothing
		if (!this.beanFactory.containsSingleton(processorBean)
				|| !(this.beanFactory.getBean(processorBean) instanceof RegistrationAwareSpanProcessor processor)) {
			return;
		}
		List<String> providers = List.of(this.beanFactory.getBeanNamesForType(SdkTracerProvider.class, true, false));
		if (providers.stream().anyMatch((provider) -> !this.beanFactory.containsSingleton(provider))) {
			return;
		}
		if (processor.isRegistered()
				|| providers.stream().anyMatch((provider) -> takes(provider, processorBean, processor))) {
			checkOpenTelemetry(exporter, providers);
			return;
		}
		String reason = providers.isEmpty() ? "there is no OpenTelemetry SdkTracerProvider bean"
				: "the SdkTracerProvider " + ((providers.size() == 1) ? "bean " : "beans ")
						+ String.join(", ", quoted(providers)) + " did not take the starter's span processors";
		logger.warn(exporter.enabledBy() + ", but " + reason + ", so the " + exporter.description()
				+ " will receive no spans. Build the tracer provider with Spring Boot's SpanProcessors bean: "
				+ "spanProcessors.forEach(builder::addSpanProcessor).");
	}

	/**
	 * An application {@link OpenTelemetry} bean built on a tracer provider of its own,
	 * not a bean: Boot's tracer provider, which took the starter's processors, is then
	 * never used.
	 */
	private void checkOpenTelemetry(Exporter exporter, List<String> providers) {
		for (String name : this.beanFactory.getBeanNamesForType(OpenTelemetry.class, true, false)) {
			if (this.beanFactory.containsSingleton(name)
					&& this.beanFactory.getBean(name) instanceof OpenTelemetrySdk sdk && providers.stream()
						.noneMatch((provider) -> this.beanFactory.getBean(provider) == sdk.getSdkTracerProvider())) {
				logger.warn(exporter.enabledBy() + ", but the OpenTelemetry bean '" + name + "' traces with "
						+ "an SdkTracerProvider that is not a bean, so the " + exporter.description()
						+ " will receive no spans. Define that SdkTracerProvider as a bean, built with Spring Boot's "
						+ "SpanProcessors bean: spanProcessors.forEach(builder::addSpanProcessor).");
				return;
			}
		}
	}

	/**
	 * Whether a tracer provider was given the processor through its bean dependencies,
	 * for a provider whose only processor is this one: the SDK then asks it for events
	 * only once a span starts.
	 */
	private boolean takes(String provider, String processorBean, RegistrationAwareSpanProcessor processor) {
		for (String dependency : this.beanFactory.getDependenciesForBean(provider)) {
			if (dependency.equals(processorBean) || (this.beanFactory.isTypeMatch(dependency, SpanProcessors.class)
					&& this.beanFactory.getBean(dependency, SpanProcessors.class).list().contains(processor))) {
				return true;
			}
		}
		return false;
	}

	private void checkMaxAttributeLength() {
		BindResult<Integer> explicit = Binder.get(this.environment).bind(MAX_ATTRIBUTE_LENGTH, Integer.class);
		if (!explicit.isBound()) {
			return;
		}
		for (String name : this.beanFactory.getBeanNamesForType(SdkTracerProvider.class, true, false)) {
			if (!this.beanFactory.containsSingleton(name)) {
				continue;
			}
			int actual = this.beanFactory.getBean(name, SdkTracerProvider.class)
				.getSpanLimits()
				.getMaxAttributeValueLength();
			if (actual != explicit.get()) {
				logger.warn("'" + MAX_ATTRIBUTE_LENGTH + "' has no effect: the SdkTracerProvider bean '" + name + "' "
						+ ((actual != Integer.MAX_VALUE) ? "cuts attribute values at " + actual + " characters"
								: "does not cut attribute values")
						+ ", because the application's own span limits (or tracer provider) replace the starter's. "
						+ "Set the length there with SpanLimitsBuilder#setMaxAttributeValueLength, "
						+ "or remove the property.");
				return;
			}
		}
	}

	private static List<String> quoted(List<String> names) {
		return names.stream().map((name) -> "'" + name + "'").toList();
	}

	/**
	 * One of the starter's exporters.
	 * @param property the property that enables it
	 * @param description what it is called in the log
	 * @param processorBean the name of its span processor bean
	 * @param enabled whether it is enabled
	 * @param listed whether the property lists what to export rather than switching it on
	 */
	record Exporter(String property, String description, String processorBean, boolean enabled, boolean listed) {

		Exporter(String property, String description, String processorBean, boolean enabled) {
			this(property, description, processorBean, enabled, false);
		}

		/**
		 * What the application set: a boolean property to true, or fields in a list.
		 */
		String enabledBy() {
			return "'" + this.property + "' is " + (this.listed ? "set" : "true");
		}

	}

}
