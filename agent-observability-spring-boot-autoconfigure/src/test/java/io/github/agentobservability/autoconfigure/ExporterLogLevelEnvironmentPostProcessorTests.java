package io.github.agentobservability.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class ExporterLogLevelEnvironmentPostProcessorTests {

	private static final String HTTP_EXPORTER_LEVEL = "logging.level."
			+ "io.opentelemetry.exporter.internal.http.HttpExporter";

	private final ExporterLogLevelEnvironmentPostProcessor postProcessor =
			new ExporterLogLevelEnvironmentPostProcessor();

	@Test
	void otelExportersOwnFailureLogIsQuietByDefault() {
		MockEnvironment environment = new MockEnvironment();
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty(HTTP_EXPORTER_LEVEL)).isEqualTo("OFF");
	}

	@Test
	void applicationsOwnLevelWins() {
		MockEnvironment environment = new MockEnvironment().withProperty(HTTP_EXPORTER_LEVEL, "WARN");
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty(HTTP_EXPORTER_LEVEL)).isEqualTo("WARN");
	}

	@Test
	void otelExportersOwnFailureLogIsRestoredWhenQuietingIsOff() {
		MockEnvironment environment = new MockEnvironment()
			.withProperty("agent.observability.exporters.quiet-otel-exporter-log", "false");
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getPropertySources()
			.contains(ExporterLogLevelEnvironmentPostProcessor.PROPERTY_SOURCE_NAME)).isFalse();
		assertThat(environment.getProperty(HTTP_EXPORTER_LEVEL)).isNull();
	}

	@Test
	void nothingIsAddedWhenTheStarterIsDisabled() {
		MockEnvironment environment = new MockEnvironment().withProperty("agent.observability.enabled", "false");
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty(HTTP_EXPORTER_LEVEL)).isNull();
	}

}
