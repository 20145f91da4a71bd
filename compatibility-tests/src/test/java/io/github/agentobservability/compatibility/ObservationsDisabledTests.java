package io.github.agentobservability.compatibility;

import java.time.Duration;
import java.util.List;

import io.github.agentobservability.compatibility.SpanRecording.RecordedSpans;
import io.github.agentobservability.compatibility.SpanRecording.SpanCounter;
import io.micrometer.observation.ObservationPredicate;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code @Traced} observations switched off by the application, with Boot's property or
 * an {@link ObservationPredicate}: the methods run as if untraced, of every result kind,
 * and no span is started behind the application's back.
 */
class ObservationsDisabledTests {

	@Test
	void disabledByPropertyTracesNothingAndLeavesNothingOpen() {
		try (ConfigurableApplicationContext context = Apps.run(WebApplicationType.NONE, List.of(App.class),
				"management.observations.enable.traced=false")) {
			callEveryKind(context);
		}
	}

	@Test
	void disabledByPredicateTracesNothingAndLeavesNothingOpen() {
		try (ConfigurableApplicationContext context = Apps.run(WebApplicationType.NONE,
				List.of(App.class, RejectTraced.class))) {
			callEveryKind(context);
		}
	}

	private static void callEveryKind(ConfigurableApplicationContext context) {
		Greeter greeter = context.getBean(Greeter.class);
		assertThat(greeter.greet("ada")).isEqualTo("hello ada");
		assertThat(greeter.greetLater("ada").join()).isEqualTo("hello ada");
		assertThat(greeter.greetReactive("ada").block(Duration.ofSeconds(5))).isEqualTo("hello ada");
		assertThat(greeter.greetMany("ada").collectList().block(Duration.ofSeconds(5))).containsExactly("hello",
				"ada");
		assertThat(context.getBean(GreeterAgent.class).run("ada")).isEqualTo("hello ada");
		assertThatExceptionOfType(Greeter.GreetingFailedException.class).isThrownBy(greeter::fail)
			.withMessage("no greeting today");
		Apps.assertNothingCurrent(context);
		SpanCounter counter = context.getBean(SpanCounter.class);
		assertThat(counter.started()).as("spans started").isZero();
		assertThat(context.getBean(RecordedSpans.class).all()).isEmpty();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ SpanRecording.class, GreeterBeans.class })
	static class App {

	}

	static class RejectTraced {

		@Bean
		ObservationPredicate rejectTraced() {
			return (name, context) -> !name.equals("traced");
		}

	}

}
