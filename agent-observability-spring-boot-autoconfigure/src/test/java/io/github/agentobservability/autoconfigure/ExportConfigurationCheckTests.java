package io.github.agentobservability.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.github.agentobservability.tracing.TracingContextRunners;
import io.micrometer.tracing.Tracer;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.SpanProcessors;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the starter says at startup when an exporter it was asked for cannot receive
 * spans: the application traces with something other than Boot's OpenTelemetry SDK.
 */
@ExtendWith(OutputCaptureExtension.class)
class ExportConfigurationCheckTests {

	private static final String JSONL_ENABLED = "'agent.observability.exporters.jsonl.enabled'";

	private final ApplicationContextRunner contextRunner = TracingContextRunners.tracing();

	@TempDir
	Path temp;

	@Test
	void bootsOwnTracerProviderTakesTheStartersProcessorsWithoutAWord(CapturedOutput output) {
		this.contextRunner.withPropertyValues("agent.observability.exporters.jsonl.enabled=true",
				"agent.observability.exporters.jsonl.path=" + this.temp.resolve("boot.jsonl"),
				"agent.observability.exporters.console.enabled=true",
				"agent.observability.exporters.recent-traces.enabled=true")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output.getAll()).doesNotContain("agent.observability.exporters");
	}

	@Test
	void userTracerProviderWithoutTheStartersProcessorsIsReportedNamingTheProperty(CapturedOutput output) {
		this.contextRunner.withUserConfiguration(OwnTracerProviderConfiguration.class)
			.withPropertyValues("agent.observability.exporters.jsonl.enabled=true",
					"agent.observability.exporters.jsonl.path=" + this.temp.resolve("unwired.jsonl"))
			.run((context) -> assertThat(context).hasNotFailed());
		String log = output.getAll();
		assertThat(log.split(JSONL_ENABLED, -1)).hasSize(2);
		assertThat(log).contains("WARN")
			.contains("SdkTracerProvider bean 'ownTracerProvider' did not take")
			.contains("spanProcessors.forEach(builder::addSpanProcessor)");
	}

	@Test
	void userTracerProviderWiredWithBootsSpanProcessorsGetsTheFileAndNoWarning(CapturedOutput output)
			throws IOException {
		Path file = this.temp.resolve("wired.jsonl");
		this.contextRunner.withUserConfiguration(WiredTracerProviderConfiguration.class)
			.withPropertyValues("agent.observability.exporters.jsonl.enabled=true",
					"agent.observability.exporters.jsonl.path=" + file)
			.run((context) -> context.getBean(SdkTracerProvider.class)
				.get("test")
				.spanBuilder("wired")
				.startSpan()
				.end());
		assertThat(Files.readString(file)).contains("\"name\":\"wired\"");
		assertThat(output.getAll()).doesNotContain("agent.observability.exporters.jsonl.enabled");
	}

	@Test
	void tracerThatIsNotOpenTelemetrysLeavesNoJsonLinesProcessorAndIsReportedNamingTheProperty(
			CapturedOutput output) {
		Path file = this.temp.resolve("brave.jsonl");
		this.contextRunner.withBean("braveLikeTracer", Tracer.class, () -> Tracer.NOOP)
			.withPropertyValues("agent.observability.exporters.jsonl.enabled=true",
					"agent.observability.exporters.jsonl.path=" + file)
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean("agentObservabilityJsonLinesSpanProcessor"));
		assertThat(file).doesNotExist();
		String log = output.getAll();
		assertThat(log.split(JSONL_ENABLED, -1)).hasSize(2);
		assertThat(log).contains("WARN").contains("'braveLikeTracer'").contains("OtelTracer");
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnTracerProviderConfiguration {

		@Bean
		SdkTracerProvider ownTracerProvider(InMemorySpanExporter exporter) {
			return SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class WiredTracerProviderConfiguration {

		@Bean
		SdkTracerProvider wiredTracerProvider(SpanProcessors spanProcessors) {
			SdkTracerProviderBuilder builder = SdkTracerProvider.builder();
			spanProcessors.forEach(builder::addSpanProcessor);
			return builder.build();
		}

	}

}
