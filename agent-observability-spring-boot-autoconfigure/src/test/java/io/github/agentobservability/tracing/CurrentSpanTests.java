package io.github.agentobservability.tracing;

import java.util.List;

import io.github.agentobservability.annotation.SpanAttribute;
import io.github.agentobservability.annotation.Traced;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Typed attributes from inside a {@code @Traced} method ({@link CurrentSpan}) and from its
 * parameters ({@code @SpanAttribute}), and the span kind.
 */
class CurrentSpanTests {

	private final ApplicationContextRunner contextRunner = TracingContextRunners.tracing().withBean(Work.class);

	@Test
	void attributesSetInsideTheMethodKeepTheirTypes() {
		this.contextRunner.run((context) -> {
			context.getBean(Work.class).retrieve("q");
			Attributes attributes = TracingContextRunners.span(context, "retrieval").getAttributes();
			assertThat(attributes.get(AttributeKey.longKey("retrieval.doc_count"))).isEqualTo(3L);
			assertThat(attributes.get(AttributeKey.doubleKey("retrieval.best_score"))).isEqualTo(0.75);
			assertThat(attributes.get(AttributeKey.booleanKey("retrieval.cached"))).isFalse();
			assertThat(attributes.get(AttributeKey.stringKey("retrieval.index"))).isEqualTo("bm25");
			assertThat(attributes.get(AttributeKey.stringKey("retrieval.doc_count"))).isNull();
		});
	}

	@Test
	void whatTheApplicationSetsWinsOverTheStartersAttributes() {
		this.contextRunner.run((context) -> {
			context.getBean(Work.class).partial();
			SpanData span = TracingContextRunners.span(context, "partial");
			assertThat(span.getAttributes().get(AttributeKey.stringKey("status"))).isEqualTo("partial");
			assertThat(span.getAttributes().asMap().keySet().stream().filter((key) -> key.getKey().equals("status")))
				.hasSize(1);
		});
	}

	@Test
	void markingAnErrorFailsTheOutcomeWithoutThrowing() {
		this.contextRunner.run((context) -> {
			assertThat(context.getBean(Work.class).degraded()).isEqualTo("fallback");
			SpanData span = TracingContextRunners.span(context, "degraded");
			assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
			assertThat(span.getStatus().getDescription()).isEqualTo("index unavailable");
			assertThat(span.getAttributes().get(AttributeKey.stringKey("status"))).isEqualTo("error");
			assertThat(span.getAttributes().get(AttributeKey.stringKey("error.type"))).isEqualTo("_OTHER");
			assertThat(span.getEvents()).extracting("name").contains("exception");
		});
	}

	@Test
	void underAnotherObservationItActsOnTheCurrentSpan() {
		this.contextRunner.run((context) -> {
			Observation.createNotStarted("plain", context.getBean(ObservationRegistry.class))
				.observe(() -> CurrentSpan.setAttribute("plain.count", 2));
			assertThat(TracingContextRunners.span(context, "plain").getAttributes()
				.get(AttributeKey.longKey("plain.count"))).isEqualTo(2L);
		});
	}

	@Test
	void notSampledOrOutsideAnySpanItDoesNothing() {
		this.contextRunner.withPropertyValues("management.tracing.sampling.probability=0").run((context) -> {
			context.getBean(Work.class).retrieve("q");
			CurrentSpan.setAttribute("nowhere", 1);
			CurrentSpan.markError("nowhere");
			assertThat(TracingContextRunners.spans(context)).isEmpty();
		});
		CurrentSpan.setAttribute("unbound", true);
	}

	@Test
	void spanAttributeParametersKeepTheirTypes() {
		this.contextRunner.run((context) -> {
			context.getBean(Work.class).typed(3, 2.5f, true, "text", List.of(1, 2), new String[] { "a", "b" },
					new double[] { 0.5 }, new StringBuilder("other"));
			Attributes attributes = TracingContextRunners.span(context, "typed").getAttributes();
			assertThat(attributes.get(AttributeKey.longKey("p.int"))).isEqualTo(3L);
			assertThat(attributes.get(AttributeKey.doubleKey("p.float"))).isEqualTo(2.5);
			assertThat(attributes.get(AttributeKey.booleanKey("p.bool"))).isTrue();
			assertThat(attributes.get(AttributeKey.stringKey("p.string"))).isEqualTo("text");
			assertThat(attributes.get(AttributeKey.longArrayKey("p.list"))).containsExactly(1L, 2L);
			assertThat(attributes.get(AttributeKey.stringArrayKey("p.array"))).containsExactly("a", "b");
			assertThat(attributes.get(AttributeKey.doubleArrayKey("p.doubles"))).containsExactly(0.5);
			assertThat(attributes.get(AttributeKey.stringKey("p.other"))).isEqualTo("other");
			assertThat(attributes.get(AttributeKey.stringKey("p.int"))).isNull();
		});
	}

	@Test
	void aMethodWrappingARemoteCallCanBeAClientSpan() {
		this.contextRunner.run((context) -> {
			context.getBean(Work.class).remote();
			context.getBean(Work.class).partial();
			assertThat(TracingContextRunners.span(context, "remote").getKind()).isEqualTo(SpanKind.CLIENT);
			assertThat(TracingContextRunners.span(context, "partial").getKind()).isEqualTo(SpanKind.INTERNAL);
		});
	}

	@Test
	void anAgentRunMarkedAsAnErrorCountsAsAFailedRun() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class))
			.withBean(SimpleMeterRegistry.class)
			.run((context) -> {
				context.getBean(Work.class).degradedRun();
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				assertThat(meters.get("agent.requests").tags("agent", "degraded", "outcome", "error").counter().count())
					.isEqualTo(1);
				assertThat(meters.get("agent.requests.errors").tags("agent", "degraded", "error_type", "_OTHER")
					.counter()
					.count()).isEqualTo(1);
			});
	}

	static class Work {

		@Traced(agent = "degraded")
		String degradedRun() {
			CurrentSpan.markError("no answer");
			return "";
		}

		@Traced(value = "remote", kind = Traced.Kind.CLIENT)
		void remote() {
		}

		@Traced("retrieval")
		List<String> retrieve(String query) {
			List<String> passages = List.of("a", "b", "c");
			CurrentSpan.setAttribute("retrieval.doc_count", passages.size());
			CurrentSpan.setAttribute("retrieval.best_score", 0.75);
			CurrentSpan.setAttribute("retrieval.cached", false);
			CurrentSpan.setAttribute("retrieval.index", "bm25");
			return passages;
		}

		@Traced("partial")
		void partial() {
			CurrentSpan.setAttribute("status", "partial");
		}

		@Traced("degraded")
		String degraded() {
			CurrentSpan.recordException(new IllegalStateException("index unavailable"));
			CurrentSpan.markError("index unavailable");
			return "fallback";
		}

		@Traced("typed")
		void typed(@SpanAttribute("p.int") int number, @SpanAttribute("p.float") float decimal,
				@SpanAttribute("p.bool") boolean flag, @SpanAttribute("p.string") String text,
				@SpanAttribute("p.list") List<Integer> list, @SpanAttribute("p.array") String[] array,
				@SpanAttribute("p.doubles") double[] doubles, @SpanAttribute("p.other") CharSequence other) {
		}

	}

}
