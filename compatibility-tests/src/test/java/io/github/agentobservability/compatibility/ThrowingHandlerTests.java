package io.github.agentobservability.compatibility;

import java.time.Duration;
import java.util.List;

import io.github.agentobservability.compatibility.SpanRecording.RecordedSpans;
import io.github.agentobservability.compatibility.SpanRecording.SpanCounter;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * An application {@link ObservationHandler} that throws on {@code @Traced} observations,
 * in each step Micrometer tells handlers of. Micrometer does not catch it, so the handlers
 * after it never hear of that step: the call must still return its result (or the
 * application's own exception), end every span it started, and leave nothing current on
 * the thread, so that a later observation starts a trace of its own.
 */
class ThrowingHandlerTests {

	@ParameterizedTest
	@EnumSource(Step.class)
	void aThrowingHandlerCostsTheTraceButNeverTheCallOrTheThread(Step step) {
		try (ConfigurableApplicationContext context = Apps.run(WebApplicationType.NONE, List.of(App.class),
				"compatibility.throw-in=" + step)) {
			Greeter greeter = context.getBean(Greeter.class);
			assertThat(greeter.greet("ada")).isEqualTo("hello ada");
			Apps.assertNothingCurrent(context);
			assertThat(greeter.greetLater("ada").join()).isEqualTo("hello ada");
			Apps.assertNothingCurrent(context);
			assertThat(greeter.greetReactive("ada").block(Duration.ofSeconds(5))).isEqualTo("hello ada");
			Apps.assertNothingCurrent(context);
			assertThat(context.getBean(GreeterAgent.class).run("ada")).isEqualTo("hello ada");
			Apps.assertNothingCurrent(context);
			assertThatExceptionOfType(Greeter.GreetingFailedException.class).isThrownBy(greeter::fail)
				.withMessage("no greeting today");
			Apps.assertNothingCurrent(context);

			SpanCounter counter = context.getBean(SpanCounter.class);
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(counter.open()).isZero());

			Observation.createNotStarted("later", context.getBean(ObservationRegistry.class)).observe(() -> {
			});
			SpanData later = context.getBean(RecordedSpans.class).named("later").get(0);
			assertThat(later.getParentSpanContext().isValid()).as("the later span has a parent").isFalse();
		}
	}

	enum Step {

		START, SCOPE_OPENED, SCOPE_CLOSED, STOP

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ SpanRecording.class, GreeterBeans.class })
	static class App {

		@Bean
		ObservationHandler<Observation.Context> throwingHandler(
				@org.springframework.beans.factory.annotation.Value("${compatibility.throw-in}") Step step) {
			return new ObservationHandler<>() {

				@Override
				public boolean supportsContext(Observation.Context context) {
					return true;
				}

				@Override
				public void onStart(Observation.Context context) {
					fail(Step.START, context);
				}

				@Override
				public void onScopeOpened(Observation.Context context) {
					fail(Step.SCOPE_OPENED, context);
				}

				@Override
				public void onScopeClosed(Observation.Context context) {
					fail(Step.SCOPE_CLOSED, context);
				}

				@Override
				public void onStop(Observation.Context context) {
					fail(Step.STOP, context);
				}

				private void fail(Step failing, Observation.Context context) {
					if (failing == step && "traced".equals(context.getName())) {
						throw new IllegalStateException("handler failed in " + step);
					}
				}

			};
		}

	}

}
