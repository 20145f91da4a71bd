package io.github.agentobservability.compatibility;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.micrometer.tracing.exporter.SpanExportingPredicate;
import io.micrometer.tracing.exporter.SpanFilter;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanLimits;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.SdkTracerProviderBuilderCustomizer;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.SpanProcessors;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Applications that set up tracing their own way: their own tracer provider or
 * OpenTelemetry, exporter-side filters, span limits. The starter keeps to what they set,
 * and where one of its exporters cannot receive spans it says so once, naming the property
 * that enabled it.
 */
@ExtendWith(OutputCaptureExtension.class)
class UserTracingSetupTests {

	private static final String JSONL_WARNING = "'agent.observability.exporters.jsonl.enabled' is true, but";

	@TempDir
	Path directory;

	@Test
	void ownTracerProviderWithoutBootsSpanProcessorsIsToldWhyTheFileStaysEmpty(CapturedOutput output)
			throws IOException {
		Path file = this.directory.resolve("traces.jsonl");
		try (ConfigurableApplicationContext context = run(file, OwnTracerProvider.class)) {
			context.getBean(Greeter.class).greet("ada");
			assertThat(context.getBean(InMemorySpanExporter.class).getFinishedSpanItems()).extracting(SpanData::getName)
				.containsExactly("greet");
		}
		assertThat(output).containsOnlyOnce(JSONL_WARNING).contains("SpanProcessors");
		assertThat(lines(file)).isEmpty();
	}

	@Test
	void ownTracerProviderBuiltWithBootsSpanProcessorsFeedsTheFileWithoutWarning(CapturedOutput output)
			throws IOException {
		Path file = this.directory.resolve("traces.jsonl");
		try (ConfigurableApplicationContext context = run(file, OwnTracerProviderWithSpanProcessors.class)) {
			context.getBean(Greeter.class).greet("ada");
		}
		assertThat(output).doesNotContain(JSONL_WARNING);
		assertThat(lines(file)).singleElement().asString().contains("\"name\":\"greet\"");
	}

	@Test
	void ownOpenTelemetryGetsTheTracedSpansAndIsToldWhyTheFileStaysEmpty(CapturedOutput output) throws IOException {
		Path file = this.directory.resolve("traces.jsonl");
		try (ConfigurableApplicationContext context = run(file, OwnOpenTelemetry.class)) {
			context.getBean(Greeter.class).greet("ada");
			assertThat(context.getBean(InMemorySpanExporter.class).getFinishedSpanItems()).extracting(SpanData::getName)
				.containsExactly("greet");
		}
		assertThat(output).containsOnlyOnce(JSONL_WARNING);
		assertThat(lines(file)).isEmpty();
	}

	@Test
	void spanFilterAndExportingPredicateApplyToTheFileToo() throws IOException {
		Path file = this.directory.resolve("traces.jsonl");
		try (ConfigurableApplicationContext context = run(file, Scrubbing.class)) {
			context.getBean(Greeter.class).greet("ada@example.com");
			context.getBean(Greeter.class).greetLater("ada").join();
		}
		List<String> lines = lines(file);
		assertThat(lines).singleElement()
			.asString()
			.contains("\"name\":\"greet\"")
			.contains("[scrubbed]")
			.doesNotContain("ada@example.com");
	}

	@Test
	void spanLimitsOfTheApplicationAreKept() {
		try (ConfigurableApplicationContext context = Apps.run(WebApplicationType.NONE,
				List.of(App.class, OwnSpanLimits.class))) {
			assertThat(context.getBean(SdkTracerProvider.class).getSpanLimits().getMaxNumberOfAttributes())
				.isEqualTo(3);
			assertThat(context.getBean(SdkTracerProvider.class).getSpanLimits().getMaxAttributeValueLength())
				.isEqualTo(64);
		}
	}

	private ConfigurableApplicationContext run(Path file, Class<?> setup) {
		return Apps.run(WebApplicationType.NONE, List.of(App.class, setup),
				"agent.observability.exporters.jsonl.enabled=true", "agent.observability.exporters.jsonl.path=" + file);
	}

	private static List<String> lines(Path file) throws IOException {
		return Files.exists(file) ? Files.readAllLines(file) : List.of();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

		@Bean
		Greeter greeter() {
			return new Greeter();
		}

	}

	static class OwnTracerProvider {

		@Bean
		InMemorySpanExporter ownExporter() {
			return InMemorySpanExporter.create();
		}

		@Bean
		SdkTracerProvider ownTracerProvider(InMemorySpanExporter exporter) {
			return SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
		}

	}

	static class OwnTracerProviderWithSpanProcessors {

		@Bean
		SdkTracerProvider ownTracerProvider(SpanProcessors spanProcessors) {
			var builder = SdkTracerProvider.builder();
			spanProcessors.forEach(builder::addSpanProcessor);
			return builder.build();
		}

	}

	static class OwnOpenTelemetry {

		@Bean
		InMemorySpanExporter ownExporter() {
			return InMemorySpanExporter.create();
		}

		@Bean
		OpenTelemetry ownOpenTelemetry(InMemorySpanExporter exporter) {
			return OpenTelemetrySdk.builder()
				.setTracerProvider(
						SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
				.setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
				.build();
		}

	}

	@Import(App.class)
	static class Scrubbing {

		@Bean
		SpanFilter scrubNames() {
			return (span) -> span.getTags().containsKey("greeting.name") ? span.setTags(
					java.util.Map.of("greeting.name", "[scrubbed]")) : span;
		}

		@Bean
		SpanExportingPredicate onlyGreet() {
			return (span) -> span.getName().equals("greet");
		}

	}

	static class OwnSpanLimits {

		@Bean
		SdkTracerProviderBuilderCustomizer ownLimits() {
			return (builder) -> builder.setSpanLimits(
					SpanLimits.builder().setMaxNumberOfAttributes(3).setMaxAttributeValueLength(64).build());
		}

	}


}
