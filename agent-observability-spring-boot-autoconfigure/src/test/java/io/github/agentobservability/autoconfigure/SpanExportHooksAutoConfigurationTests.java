package io.github.agentobservability.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.agentobservability.export.RecentTraces;
import io.github.agentobservability.tracing.TracingContextRunners;
import io.micrometer.tracing.exporter.FinishedSpan;
import io.micrometer.tracing.exporter.SpanExportingPredicate;
import io.micrometer.tracing.exporter.SpanFilter;
import io.micrometer.tracing.exporter.SpanReporter;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application's Micrometer {@link SpanExportingPredicate}, {@link SpanFilter} and
 * {@link SpanReporter} beans and the starter's exporters: what Boot does for OTLP, the
 * file, the console and the recent traces do too.
 */
@ExtendWith(OutputCaptureExtension.class)
class SpanExportHooksAutoConfigurationTests {

	private static final AttributeKey<String> EMAIL = AttributeKey.stringKey("user.email");

	private final ApplicationContextRunner contextRunner = TracingContextRunners.tracing();

	@TempDir
	Path temp;

	@Test
	void spanFilterBeansScrubTheFileTheConsoleAndTheRecentTracesAsTheyDoOtlp(CapturedOutput output)
			throws IOException {
		Path file = this.temp.resolve("scrubbed.jsonl");
		String[] traceId = new String[1];
		this.contextRunner.withBean("scrubEmail", SpanFilter.class, () -> SpanExportHooksAutoConfigurationTests::scrub)
			.withPropertyValues("agent.observability.exporters.jsonl.enabled=true",
					"agent.observability.exporters.jsonl.path=" + file,
					"agent.observability.exporters.console.enabled=true",
					"agent.observability.exporters.recent-traces.enabled=true")
			.run((context) -> {
				SpanData exported = endSpan(context, "signup", "alice@example.com");
				traceId[0] = exported.getTraceId();
				assertThat(exported.getAttributes().get(EMAIL)).isEqualTo("[scrubbed]");
				List<SpanData> recent = context.getBean(RecentTraces.class).trace(traceId[0]);
				assertThat(recent).singleElement()
					.satisfies((span) -> assertThat(span.getAttributes().get(EMAIL)).isEqualTo("[scrubbed]"));
			});
		assertThat(Files.readString(file)).contains("\"user.email\":\"[scrubbed]\"").doesNotContain("alice");
		assertThat(output.getAll()).contains("user.email=[scrubbed]").doesNotContain("alice@example.com");
	}

	@Test
	void spanExportingPredicateBeansKeepRejectedSpansOutOfTheFile() throws IOException {
		Path file = this.temp.resolve("selected.jsonl");
		this.contextRunner
			.withBean("noHealthChecks", SpanExportingPredicate.class,
					() -> (span) -> !span.getName().startsWith("health"))
			.withPropertyValues("agent.observability.exporters.jsonl.enabled=true",
					"agent.observability.exporters.jsonl.path=" + file)
			.run((context) -> {
				startAndEnd(context, "health check", "ops@example.com");
				startAndEnd(context, "ask", "bob@example.com");
			});
		assertThat(Files.readAllLines(file)).singleElement()
			.satisfies((line) -> assertThat(line).contains("\"name\":\"ask\""));
	}

	@Test
	void spanReportersSeeEachSpanOnceHoweverManyExportersTheStarterAdds() {
		List<String> reported = new CopyOnWriteArrayList<>();
		this.contextRunner
			.withBean("collectingReporter", SpanReporter.class, () -> (span) -> reported.add(span.getName()))
			.withPropertyValues("agent.observability.exporters.jsonl.enabled=true",
					"agent.observability.exporters.jsonl.path=" + this.temp.resolve("reported.jsonl"),
					"agent.observability.exporters.console.enabled=true",
					"agent.observability.exporters.recent-traces.enabled=true")
			.run((context) -> {
				endSpan(context, "reported", "carol@example.com");
				assertThat(reported).containsExactly("reported");
			});
	}

	private static FinishedSpan scrub(FinishedSpan span) {
		Map<String, Object> tags = new HashMap<>(span.getTypedTags());
		tags.computeIfPresent(EMAIL.getKey(), (key, value) -> "[scrubbed]");
		return span.setTypedTags(tags);
	}

	private static SpanData endSpan(ConfigurableApplicationContext context, String name, String email) {
		startAndEnd(context, name, email);
		return TracingContextRunners.span(context, name);
	}

	private static void startAndEnd(ConfigurableApplicationContext context, String name, String email) {
		Span span = context.getBean(SdkTracerProvider.class).get("test").spanBuilder(name).startSpan();
		span.setAttribute(EMAIL, email);
		span.end();
	}

}
