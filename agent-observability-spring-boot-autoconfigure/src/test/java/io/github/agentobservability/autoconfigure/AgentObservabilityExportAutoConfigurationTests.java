package io.github.agentobservability.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.agentobservability.export.AgentTracesEndpoint;
import io.github.agentobservability.export.RecentTraces;
import io.github.agentobservability.tracing.TracingContextRunners;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanLimits;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.SdkTracerProviderBuilderCustomizer;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class AgentObservabilityExportAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = TracingContextRunners.tracing();

	@TempDir
	Path temp;

	@Test
	void exportersAreOffByDefault() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean("agentObservabilityConsoleSpanProcessor")
			.doesNotHaveBean("agentObservabilityJsonLinesSpanProcessor")
			.hasBean("agentObservabilityResourceCustomizer"));
	}

	@Test
	void consoleExporterHasItsOwnProcessorWhenEnabled() {
		this.contextRunner.withPropertyValues("agent.observability.exporters.console.enabled=true")
			.run((context) -> assertThat(context).getBean("agentObservabilityConsoleSpanProcessor")
				.isInstanceOf(SpanProcessor.class));
	}

	@Test
	void consoleTreeOfATraceWaitsForASpanEndingAfterItsLocalRoot(CapturedOutput output) {
		this.contextRunner
			.withPropertyValues("agent.observability.exporters.console.enabled=true",
					"agent.observability.exporters.console.late-span-wait=1m",
					"management.opentelemetry.tracing.export.schedule-delay=1h")
			.run((context) -> {
				SdkTracerProvider tracerProvider = context.getBean(SdkTracerProvider.class);
				var tracer = tracerProvider.get("test");
				Span root = tracer.spanBuilder("http post /api/ask/stream").startSpan();
				Span stream = tracer.spanBuilder("chat stream")
					.setParent(io.opentelemetry.context.Context.root().with(root))
					.startSpan();
				root.end();
				tracerProvider.forceFlush().join(10, TimeUnit.SECONDS);
				String traceId = root.getSpanContext().getTraceId();
				assertThat(output.getAll()).doesNotContain(traceId);
				stream.end();
				// a flush requested while the previous one finishes returns at once: retry
				org.awaitility.Awaitility.await().untilAsserted(() -> {
					tracerProvider.forceFlush().join(10, TimeUnit.SECONDS);
					assertThat(output.getAll()).contains("trace " + traceId + "\n", "└─ http post /api/ask/stream",
							"   └─ chat stream");
				});
				assertThat(output.getAll().split("trace " + traceId, -1)).hasSize(2);
			});
	}

	@Test
	void consoleLateSpanWaitMustNotBeNegative() {
		this.contextRunner
			.withPropertyValues("agent.observability.exporters.console.enabled=true",
					"agent.observability.exporters.console.late-span-wait=-1s")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("agent.observability.exporters.console.late-span-wait"));
	}

	@Test
	void jsonLinesExporterWritesEveryEndedSpanBeforeTheContextCloses() throws IOException {
		Path file = this.temp.resolve("out/agent-traces.jsonl");
		this.contextRunner
			.withPropertyValues("agent.observability.exporters.jsonl.enabled=true",
					"agent.observability.exporters.jsonl.path=" + file,
					"management.opentelemetry.tracing.export.schedule-delay=1h")
			.run((context) -> {
				var tracer = context.getBean(SdkTracerProvider.class).get("test");
				for (int i = 0; i < 25; i++) {
					tracer.spanBuilder("span-" + i).startSpan().end();
				}
			});
		List<String> lines = Files.readAllLines(file);
		assertThat(lines).hasSize(25).allSatisfy((line) -> assertThat(line).startsWith("{\"trace_id\":\""));
	}

	@Test
	void userProcessorWinsOverTheJsonLinesOne() {
		SpanProcessor own = SpanProcessor.composite();
		this.contextRunner.withPropertyValues("agent.observability.exporters.jsonl.enabled=true",
				"agent.observability.exporters.jsonl.path=" + this.temp.resolve("never.jsonl"))
			.withBean("agentObservabilityJsonLinesSpanProcessor", SpanProcessor.class, () -> own)
			.run((context) -> {
				assertThat(context).getBean("agentObservabilityJsonLinesSpanProcessor").isSameAs(own);
				assertThat(this.temp.resolve("never.jsonl")).doesNotExist();
			});
	}

	@Test
	void unwritableJsonLinesPathFailsStartupNamingTheProperty() throws IOException {
		Path notADirectory = Files.createFile(this.temp.resolve("file.txt"));
		this.contextRunner
			.withPropertyValues("agent.observability.exporters.jsonl.enabled=true",
					"agent.observability.exporters.jsonl.path=" + notADirectory.resolve("traces.jsonl"))
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("agent.observability.exporters.jsonl.path"));
	}

	@Test
	void nonPositiveMaxFilesFailsStartupNamingTheProperty() {
		this.contextRunner
			.withPropertyValues("agent.observability.exporters.jsonl.enabled=true",
					"agent.observability.exporters.jsonl.path=" + this.temp.resolve("t.jsonl"),
					"agent.observability.exporters.jsonl.max-files=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("agent.observability.exporters.jsonl.max-files"));
	}

	@Test
	void resourceCarriesServiceNameVersionAndEnvironment() {
		this.contextRunner
			.withPropertyValues("agent.observability.service-version=2.3.4",
					"agent.observability.environment=staging")
			.run((context) -> {
				SpanData span = endOneSpan(context);
				var resource = span.getResource().getAttributes();
				assertThat(resource.get(AttributeKey.stringKey("service.name"))).isEqualTo("test-app");
				assertThat(resource.get(AttributeKey.stringKey("service.version"))).isEqualTo("2.3.4");
				assertThat(resource.get(AttributeKey.stringKey("deployment.environment.name"))).isEqualTo("staging");
			});
	}

	@Test
	void serviceVersionDefaultsToTheBuildVersion() {
		this.contextRunner.withBean(BuildProperties.class, () -> {
			var entries = new java.util.Properties();
			entries.setProperty("version", "1.7.0");
			return new BuildProperties(entries);
		})
			.run((context) -> assertThat(endOneSpan(context).getResource()
				.getAttributes()
				.get(AttributeKey.stringKey("service.version"))).isEqualTo("1.7.0"));
	}

	@Test
	void explicitBootResourceAttributesWin() {
		this.contextRunner
			.withPropertyValues("agent.observability.service-version=2.3.4",
					"management.opentelemetry.resource-attributes.service.version=9.9.9")
			.run((context) -> assertThat(endOneSpan(context).getResource()
				.getAttributes()
				.get(AttributeKey.stringKey("service.version"))).isEqualTo("9.9.9"));
	}

	@Test
	void backsOffWithoutTheOpenTelemetrySdk() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(SdkTracerProvider.class))
			.withPropertyValues("agent.observability.exporters.console.enabled=true")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean("agentObservabilityConsoleSpanProcessor")
				.doesNotHaveBean("agentObservabilityResourceCustomizer"));
	}

	@Test
	void recentTracesAreKeptAndServedByTheEndpointWhenEnabledAndExposed() {
		this.contextRunner
			.withPropertyValues("agent.observability.exporters.recent-traces.enabled=true",
					"management.endpoints.web.exposure.include=agenttraces")
			.run((context) -> {
				SpanData span = endOneSpan(context);
				AgentTracesEndpoint endpoint = context.getBean(AgentTracesEndpoint.class);
				org.awaitility.Awaitility.await()
					.untilAsserted(() -> assertThat(endpoint.trace(span.getTraceId())).isNotNull());
				assertThat(endpoint.trace(span.getTraceId()).spans()).singleElement()
					.satisfies((described) -> assertThat(described.name()).isEqualTo("one"));
				assertThat(endpoint.traces()).extracting(AgentTracesEndpoint.TraceSummary::traceId)
					.contains(span.getTraceId());
				assertThat(endpoint.trace("0af7651916cd43dd8448eb211c80319c")).isNull();
			});
	}

	@Test
	void recentTracesAreOffByDefaultAndTheEndpointNeedsExposure() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(RecentTraces.class));
		this.contextRunner.withPropertyValues("agent.observability.exporters.recent-traces.enabled=true")
			.run((context) -> assertThat(context).hasSingleBean(RecentTraces.class)
				.doesNotHaveBean(AgentTracesEndpoint.class));
	}

	@Test
	void spansDroppedByAFullQueueAreCountedExactlyAndLoggedOnce(CapturedOutput output) throws IOException {
		Path file = this.temp.resolve("drops.jsonl");
		double[] droppedByJsonLines = new double[1];
		CountDownLatch release = new CountDownLatch(1);
		this.contextRunner.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class))
			.withBean(SimpleMeterRegistry.class)
			.withBean("stuckExporter", SpanExporter.class, () -> new StuckExporter(release))
			.withPropertyValues("agent.observability.exporters.jsonl.enabled=true",
					"agent.observability.exporters.jsonl.path=" + file,
					"management.opentelemetry.tracing.export.max-queue-size=4",
					"management.opentelemetry.tracing.export.max-batch-size=4",
					"management.opentelemetry.tracing.export.schedule-delay=1h")
			.run((context) -> {
				var tracer = context.getBean(SdkTracerProvider.class).get("test");
				for (int i = 0; i < 100; i++) {
					tracer.spanBuilder("span-" + i).startSpan().end();
				}
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				// Boot's processor is stuck in its exporter: at most a batch in flight and a
				// full queue are kept, the rest is dropped and counted.
				assertThat(meters.get("agent.spans.dropped").tag("processor", "otlp").counter().count())
					.isGreaterThanOrEqualTo(100 - 8);
				droppedByJsonLines[0] = meters.get("agent.spans.dropped").tag("processor", "jsonl").counter().count();
				release.countDown();
			});
		assertThat(Files.readAllLines(file).size() + droppedByJsonLines[0]).isEqualTo(100);
		assertThat(output.getAll().split("The 'otlp' span processor dropped spans", -1)).hasSize(2);
	}

	@Test
	void aJsonLinesWriteErrorAtRuntimeIsCountedLoggedOnceAndRecoveredFrom(CapturedOutput output) throws IOException {
		Path directory = this.temp.resolve("disk");
		Path file = directory.resolve("agent-traces.jsonl");
		this.contextRunner.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class))
			.withBean(SimpleMeterRegistry.class)
			.withPropertyValues("agent.observability.exporters.jsonl.enabled=true",
					"agent.observability.exporters.jsonl.path=" + file)
			.run((context) -> {
				SdkTracerProvider tracerProvider = context.getBean(SdkTracerProvider.class);
				var tracer = tracerProvider.get("test");
				// the disk "goes away": the file's directory becomes a regular file
				Files.delete(file);
				Files.delete(directory);
				Files.writeString(directory, "not a directory");
				for (int i = 0; i < 3; i++) {
					tracer.spanBuilder("lost-" + i).startSpan().end();
					tracerProvider.forceFlush().join(10, TimeUnit.SECONDS);
				}
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				org.awaitility.Awaitility.await()
					.untilAsserted(() -> assertThat(
							meters.get("agent.spans.export.failed").tag("processor", "jsonl").counter().count())
						.isEqualTo(3));
				Files.delete(directory);
				tracer.spanBuilder("kept").startSpan().end();
				tracerProvider.forceFlush().join(10, TimeUnit.SECONDS);
				assertThat(Files.readString(file)).contains("\"name\":\"kept\"");
			});
		assertThat(output.getAll().split("The 'jsonl' exporter cannot deliver spans", -1)).hasSize(2);
		assertThat(output.getAll()).contains("The 'jsonl' exporter delivers spans again");
	}

	/**
	 * An exporter whose backend never answers until released.
	 */
	static final class StuckExporter implements SpanExporter {

		private final CountDownLatch release;

		StuckExporter(CountDownLatch release) {
			this.release = release;
		}

		@Override
		public CompletableResultCode export(Collection<SpanData> spans) {
			CompletableResultCode result = new CompletableResultCode();
			Thread backend = new Thread(() -> {
				try {
					this.release.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				result.succeed();
			});
			backend.setDaemon(true);
			backend.start();
			return result;
		}

		@Override
		public CompletableResultCode flush() {
			return CompletableResultCode.ofSuccess();
		}

		@Override
		public CompletableResultCode shutdown() {
			return CompletableResultCode.ofSuccess();
		}

	}

	@Test
	void attributeValuesAreBoundedAndHostileOnesStillMakeValidJsonLines() throws IOException {
		Path file = this.temp.resolve("hostile.jsonl");
		String megabyte = "x".repeat(1_000_000);
		String hostile = "ctrl\u0000\u0007\u001b[31m \"quoted\" \\ lone\ud800surrogate\udc00 \u2028";
		this.contextRunner
			.withPropertyValues("agent.observability.spans.max-attribute-length=1000",
					"agent.observability.exporters.jsonl.enabled=true",
					"agent.observability.exporters.jsonl.path=" + file)
			.run((context) -> {
				var tracer = context.getBean(SdkTracerProvider.class).get("test");
				tracer.spanBuilder("hostile")
					.setAttribute("big", megabyte)
					.setAttribute("hostile", hostile)
					.startSpan()
					.end();
				SpanData span = TracingContextRunners.span(context, "hostile");
				assertThat(span.getAttributes().get(AttributeKey.stringKey("big"))).hasSize(1000);
			});
		List<String> lines = Files.readAllLines(file);
		assertThat(lines).singleElement().satisfies((line) -> {
			assertThat(line.length()).isLessThan(4000);
			var json = tools.jackson.databind.json.JsonMapper.builder().build().readTree(line);
			assertThat(json.get("attributes").get("big").asString()).hasSize(1000);
			assertThat(json.get("attributes").get("hostile").asString()).startsWith("ctrl\u0000\u0007");
		});
	}

	@Test
	void attributeValuesAreCappedByDefault() {
		this.contextRunner.run((context) -> assertThat(
				context.getBean(SdkTracerProvider.class).getSpanLimits().getMaxAttributeValueLength())
			.isEqualTo(16384));
	}

	@Test
	void spanLimitsTheApplicationSetsWinOverTheStartersCap(CapturedOutput output) {
		this.contextRunner.withUserConfiguration(ThreeAttributesConfiguration.class).run((context) -> {
			var span = context.getBean(SdkTracerProvider.class).get("test").spanBuilder("five").startSpan();
			for (int i = 0; i < 5; i++) {
				span.setAttribute("attribute-" + i, i);
			}
			span.end();
			assertThat(TracingContextRunners.span(context, "five").getAttributes().size()).isEqualTo(3);
		});
		assertThat(output.getAll()).doesNotContain("agent.observability.spans.max-attribute-length");
	}

	@Test
	void explicitAttributeLengthThatTheApplicationsSpanLimitsOverrideIsReportedOnce(CapturedOutput output) {
		this.contextRunner.withUserConfiguration(ThreeAttributesConfiguration.class)
			.withPropertyValues("agent.observability.spans.max-attribute-length=1000")
			.run((context) -> assertThat(
					context.getBean(SdkTracerProvider.class).getSpanLimits().getMaxNumberOfAttributes())
				.isEqualTo(3));
		assertThat(output.getAll().split("'agent.observability.spans.max-attribute-length' has no effect", -1))
			.hasSize(2);
	}

	@Configuration(proxyBeanMethods = false)
	static class ThreeAttributesConfiguration {

		@Bean
		SdkTracerProviderBuilderCustomizer threeAttributes() {
			return (builder) -> builder
				.setSpanLimits(SpanLimits.getDefault().toBuilder().setMaxNumberOfAttributes(3).build());
		}

	}

	private static SpanData endOneSpan(ConfigurableApplicationContext context) {
		context.getBean(SdkTracerProvider.class).get("test").spanBuilder("one").startSpan().end();
		return TracingContextRunners.span(context, "one");
	}

}
