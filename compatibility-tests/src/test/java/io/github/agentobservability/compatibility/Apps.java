package io.github.agentobservability.compatibility;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.observation.ObservationRegistry;
import io.opentelemetry.api.trace.Span;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Starts the small applications of this suite the way a user's starts: with
 * {@code SpringApplication}, every span sampled.
 */
public final class Apps {

	private static final String[] DEFAULTS = { "management.tracing.sampling.probability=1.0", "server.port=0",
			"spring.main.banner-mode=off", "management.otlp.metrics.export.enabled=false",
			// Spring AI's OpenAI client is on the suite's class path; only OpenAiStub answers it
			"spring.ai.openai.api-key=sk-compatibility-test" };

	private Apps() {
	}

	public static ConfigurableApplicationContext run(WebApplicationType type, List<Class<?>> sources,
			String... properties) {
		List<String> all = new ArrayList<>(List.of(DEFAULTS));
		all.addAll(List.of(properties));
		return new SpringApplicationBuilder(sources.toArray(Class<?>[]::new)).web(type)
			.properties(all.toArray(String[]::new))
			.run();
	}

	/**
	 * Asserts that nothing the instrumentation made is current on this thread any more.
	 * @param context the application
	 */
	public static void assertNothingCurrent(ConfigurableApplicationContext context) {
		assertThat(context.getBean(ObservationRegistry.class).getCurrentObservation()).as("current observation")
			.isNull();
		assertThat(context.getBean(ObservationRegistry.class).getCurrentObservationScope())
			.as("current observation scope")
			.isNull();
		assertThat(Span.current().getSpanContext().isValid()).as("an OpenTelemetry span is current").isFalse();
	}

}
