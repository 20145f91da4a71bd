package io.github.agentobservability.compatibility.brave;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import brave.handler.MutableSpan;
import io.github.agentobservability.compatibility.Apps;
import io.github.agentobservability.compatibility.Greeter;
import io.github.agentobservability.compatibility.GreeterAgent;
import io.github.agentobservability.compatibility.GreeterBeans;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * An application that traces with Brave ({@code micrometer-tracing-bridge-brave} and
 * Boot's Brave module), run twice by the build: with the starter's OpenTelemetry bridge
 * still on the classpath, and with it excluded. {@code @Traced} spans are Brave's, nest
 * as in any other application, and leave nothing current.
 */
@ExtendWith(OutputCaptureExtension.class)
class BraveTests {

	@Test
	void theClasspathIsTheOneThisRunIsFor() {
		boolean otelBridge = Boolean.getBoolean("compatibility.otel-bridge");
		assertThat(ClassUtils.isPresent("io.micrometer.tracing.otel.bridge.OtelTracer", null)).isEqualTo(otelBridge);
	}

	@Test
	void tracedMethodsAreBraveSpansThatNest() {
		try (ConfigurableApplicationContext context = Apps.run(WebApplicationType.NONE, List.of(App.class))) {
			assertThat(context.getBean(Tracer.class).getClass().getName()).contains("Brave");
			Greeter greeter = context.getBean(Greeter.class);
			assertThat(context.getBean(GreeterAgent.class).run("ada")).isEqualTo("hello ada");
			Observation.createNotStarted("later", context.getBean(ObservationRegistry.class)).observe(() -> {
			});
			RecordingSpanHandler spans = context.getBean(RecordingSpanHandler.class);
			MutableSpan agent = spans.named("invoke_agent greeter");
			MutableSpan greet = spans.named("greet");
			assertThat(greet.parentId()).isEqualTo(agent.id());
			assertThat(greet.traceId()).isEqualTo(agent.traceId());
			assertThat(greet.tag("greeting.name")).isEqualTo("ada");
			assertThat(spans.named("later").parentId()).as("parent of a later observation").isNull();
			assertNothingCurrent(context);
		}
	}

	@Test
	void everyResultKindEndsItsSpanAndFailuresPropagateUnchanged() {
		try (ConfigurableApplicationContext context = Apps.run(WebApplicationType.NONE, List.of(App.class))) {
			Greeter greeter = context.getBean(Greeter.class);
			assertThat(greeter.greetLater("ada").join()).isEqualTo("hello ada");
			assertThat(greeter.greetReactive("ada").block(Duration.ofSeconds(5))).isEqualTo("hello ada");
			assertThatExceptionOfType(Greeter.GreetingFailedException.class).isThrownBy(greeter::fail)
				.withMessage("no greeting today");
			RecordingSpanHandler spans = context.getBean(RecordingSpanHandler.class);
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
				spans.named("greet.later");
				spans.named("greet.reactive");
			});
			assertThat(spans.named("greet.fail").error()).isInstanceOf(Greeter.GreetingFailedException.class);
			assertNothingCurrent(context);
		}
	}

	@Test
	void anEnabledFileExporterThatCannotReceiveSpansIsNamedOnceAtStartup(CapturedOutput output,
			@TempDir Path directory) {
		Path file = directory.resolve("traces.jsonl");
		try (ConfigurableApplicationContext context = Apps.run(WebApplicationType.NONE, List.of(App.class),
				"agent.observability.exporters.jsonl.enabled=true", "agent.observability.exporters.jsonl.path=" + file)) {
			assertThat(context.getBean(Greeter.class).greet("ada")).isEqualTo("hello ada");
			assertThat(context.getBean(RecordingSpanHandler.class).named("greet")).isNotNull();
		}
		assertThat(output).containsOnlyOnce("'agent.observability.exporters.jsonl.enabled' is true, but");
		assertThat(file).doesNotExist();
	}

	private static void assertNothingCurrent(ConfigurableApplicationContext context) {
		assertThat(context.getBean(ObservationRegistry.class).getCurrentObservation()).isNull();
		assertThat(context.getBean(Tracer.class).currentSpan()).isNull();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(GreeterBeans.class)
	static class App {

		@Bean
		RecordingSpanHandler recordingSpanHandler() {
			return new RecordingSpanHandler();
		}

	}

}
