package io.github.agentobservability.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;

/**
 * Matches when spans reach the OpenTelemetry SDK: the application's Micrometer
 * {@code Tracer} is the OpenTelemetry bridge's {@code OtelTracer}, or there is no
 * Micrometer {@code Tracer} at all. The SDK's classes are on the classpath whenever the
 * starter is, so their presence says nothing: with Brave, Boot still builds an SDK tracer
 * provider, but no span ever starts on it, and the starter's processors would receive
 * nothing.
 */
final class OnOpenTelemetryTracerCondition extends SpringBootCondition implements ConfigurationCondition {

	private static final String TRACER = "io.micrometer.tracing.Tracer";

	private static final String OTEL_TRACER = "io.micrometer.tracing.otel.bridge.OtelTracer";

	@Override
	public ConfigurationPhase getConfigurationPhase() {
		return ConfigurationPhase.REGISTER_BEAN;
	}

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		ListableBeanFactory beanFactory = context.getBeanFactory();
		Assert.state(beanFactory != null, "No bean factory");
		String other = otherTracer(beanFactory, context.getClassLoader());
		return (other != null) ? ConditionOutcome.noMatch("Micrometer Tracer " + other + " is not an OtelTracer")
				: ConditionOutcome.match("Micrometer Tracer is an OtelTracer, or there is none");
	}

	/**
	 * Describes the first Micrometer {@code Tracer} bean that is not an
	 * {@code OtelTracer}, judged by its declared type.
	 * @param beanFactory the bean factory
	 * @param classLoader the class loader
	 * @return the bean's name and type, or {@code null} if spans reach OpenTelemetry
	 */
	static @Nullable String otherTracer(ListableBeanFactory beanFactory, @Nullable ClassLoader classLoader) {
		if (!ClassUtils.isPresent(TRACER, classLoader)) {
			return null;
		}
		Class<?> tracer = ClassUtils.resolveClassName(TRACER, classLoader);
		Class<?> otelTracer = ClassUtils.isPresent(OTEL_TRACER, classLoader)
				? ClassUtils.resolveClassName(OTEL_TRACER, classLoader) : null;
		for (String name : beanFactory.getBeanNamesForType(tracer, true, false)) {
			Class<?> type = beanFactory.getType(name, false);
			if (type != null && (otelTracer == null || !otelTracer.isAssignableFrom(type))) {
				return "'" + name + "' (" + type.getName() + ")";
			}
		}
		return null;
	}

}
