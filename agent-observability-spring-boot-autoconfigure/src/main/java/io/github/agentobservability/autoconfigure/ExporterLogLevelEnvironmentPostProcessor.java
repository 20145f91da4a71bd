package io.github.agentobservability.autoconfigure;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Quiets the OpenTelemetry exporters' own failure log, which repeats for every failed
 * batch while a backend is down, because the starter logs a failing exporter once (and
 * once more when it recovers) and counts the lost spans in {@code agent.spans.dropped}
 * and {@code agent.spans.export.failed}.
 * <p>
 * A default only: the property source comes last, so any {@code logging.level} the
 * application sets for these loggers wins, and nothing changes with
 * {@code agent.observability.enabled=false} or
 * {@code agent.observability.exporters.quiet-otel-exporter-log=false}. Read from the
 * environment directly: configuration properties are not bound yet.
 */
public class ExporterLogLevelEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	static final String PROPERTY_SOURCE_NAME = "agentObservabilityDefaults";

	private static final Map<String, Object> DEFAULTS = Map.of(
			"logging.level.io.opentelemetry.exporter.internal.http.HttpExporter", "OFF",
			"logging.level.io.opentelemetry.exporter.internal.grpc.GrpcExporter", "OFF");

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		Binder binder = Binder.get(environment);
		if (binder.bind("agent.observability.enabled", Boolean.class).orElse(true)
				&& binder.bind("agent.observability.exporters.quiet-otel-exporter-log", Boolean.class).orElse(true)) {
			environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, DEFAULTS));
		}
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
