package io.github.agentobservability.tracing.internal;

import io.github.agentobservability.tracing.DefaultTracedObservationConvention;
import io.github.agentobservability.tracing.TracedObservationContext;
import io.github.agentobservability.tracing.TracedObservationConvention;
import io.github.agentobservability.tracing.TracingContextRunners;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import io.github.agentobservability.annotation.Traced;
import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationFilter;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static io.github.agentobservability.tracing.TracingContextRunners.span;
import static io.github.agentobservability.tracing.TracingContextRunners.spans;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The spans of {@code @Traced} calls as {@link TracedTracingObservationHandler} makes
 * them, in the real wiring: how they nest with other observations across threads, what
 * reaches them from conventions and filters, and what a call the sampler drops does.
 */
class TracedTracingObservationHandlerTests {

	private final ApplicationContextRunner contextRunner = TracingContextRunners.tracing()
		.withUserConfiguration(WorkConfiguration.class);

	@Test
	void replacesBootsHandlerForTracedCallsOnly() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(TracedTracingObservationHandler.class);
			Work work = context.getBean(Work.class);
			work.nested(context.getBean(ObservationRegistry.class));
			SpanData traced = span(context, "nested");
			SpanData child = span(context, "child.work");
			assertThat(child.getParentSpanId()).isEqualTo(traced.getSpanId());
			assertThat(traced.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
			assertThat(traced.getInstrumentationScopeInfo()).isEqualTo(child.getInstrumentationScopeInfo());
		});
	}

	@Test
	void childObservationNestsUnderTheTracedSpanInsideAnOuterObservation() {
		this.contextRunner.run((context) -> {
			ObservationRegistry registry = context.getBean(ObservationRegistry.class);
			Tracer tracer = context.getBean(Tracer.class);
			AtomicReference<String> currentInside = new AtomicReference<>();
			Observation.createNotStarted("outer", registry).observe(() -> {
				context.getBean(Work.class).nested(registry);
				currentInside.set(tracer.currentSpan().context().spanId());
			});
			SpanData outer = span(context, "outer");
			SpanData traced = span(context, "nested");
			SpanData child = span(context, "child.work");
			assertThat(traced.getParentSpanId()).isEqualTo(outer.getSpanId());
			assertThat(child.getParentSpanId()).isEqualTo(traced.getSpanId());
			assertThat(currentInside).hasValue(outer.getSpanId());
		});
	}

	@Test
	void spanStartedAheadOfTheObservationIsTheOneCurrentAndExported() {
		this.contextRunner.run((context) -> {
			Work work = context.getBean(Work.class);
			Observed observed = work.observe(context.getBean(ObservationRegistry.class));
			assertThat(observed.context()).isInstanceOf(TracedObservationContext.class);
			assertThat(((TracedCall) observed.context()).getStartedSpan()).isNotNull();
			SpanData exported = span(context, "observe");
			assertThat(observed.current().getSpanId()).isEqualTo(exported.getSpanId());
			assertThat(spans(context)).hasSize(1);
		});
	}

	@Test
	void childObservationStartedOnAnotherThreadNestsThroughItsParentObservation() {
		this.contextRunner.run((context) -> {
			ObservationRegistry registry = context.getBean(ObservationRegistry.class);
			context.getBean(Work.class).handOff(registry);
			SpanData traced = span(context, "handOff");
			SpanData child = span(context, "async.work");
			assertThat(child.getParentSpanId()).isEqualTo(traced.getSpanId());
			assertThat(child.getTraceId()).isEqualTo(traced.getTraceId());
		});
	}

	@Test
	void scopeOpenedOnAnotherThreadMakesTheSpanCurrentThereAndIsUndoneOnClose() {
		this.contextRunner.run((context) -> {
			ObservationRegistry registry = context.getBean(ObservationRegistry.class);
			Tracer tracer = context.getBean(Tracer.class);
			Observed observed = context.getBean(Work.class).observe(registry);
			Observation observation = observed.observation();
			CompletableFuture<List<String>> seen = CompletableFuture.supplyAsync(() -> {
				String before = Span.current().getSpanContext().getSpanId();
				String inside;
				String insideMicrometer;
				try (Observation.Scope scope = observation.openScope()) {
					inside = Span.current().getSpanContext().getSpanId();
					insideMicrometer = tracer.currentSpan().context().spanId();
				}
				String after = Span.current().getSpanContext().getSpanId();
				return List.of(before, inside, insideMicrometer, after);
			});
			String invalid = SpanContext.getInvalid().getSpanId();
			String traced = observed.current().getSpanId();
			assertThat(seen.get()).containsExactly(invalid, traced, traced, invalid);
		});
	}

	@Test
	void keyValuesFromFiltersAndConventionsReachTheSpan() {
		this.contextRunner.withBean(ObservationFilter.class,
				() -> (context) -> context.addLowCardinalityKeyValue(KeyValue.of("region", "eu")))
			.withBean(TracedObservationConvention.class, RenamingConvention::new)
			.run((context) -> {
				context.getBean(Work.class).observe(context.getBean(ObservationRegistry.class));
				SpanData renamed = span(context, "renamed");
				assertThat(renamed.getAttributes().get(AttributeKey.stringKey("region"))).isEqualTo("eu");
				assertThat(renamed.getAttributes().get(AttributeKey.stringKey("code.function.name")))
					.isEqualTo(Work.class.getName() + ".observe");
				assertThat(spans(context)).hasSize(1);
			});
	}

	@Test
	void callTheSamplerDropsSkipsItsObservationAndItsChildrenAreDroppedToo() {
		this.contextRunner.withPropertyValues("management.tracing.sampling.probability=0.0").run((context) -> {
			ObservationRegistry registry = context.getBean(ObservationRegistry.class);
			Observed observed = context.getBean(Work.class).observe(registry);
			assertThat(observed.observation()).isNull();
			assertThat(observed.current().isValid()).isTrue();
			assertThat(observed.current().isSampled()).isFalse();
			context.getBean(Work.class).nested(registry);
			assertThat(spans(context)).isEmpty();
			assertThat(Span.current().getSpanContext().isValid()).isFalse();
		});
	}

	@Test
	void agentRunTheSamplerDropsIsStillObservedAndCounted() {
		this.contextRunner.withPropertyValues("management.tracing.sampling.probability=0.0")
			.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class))
			.withBean(SimpleMeterRegistry.class)
			.run((context) -> {
				Observed observed = context.getBean(Work.class).agentRun(context.getBean(ObservationRegistry.class));
				assertThat(observed.context()).isInstanceOf(TracedObservationContext.class);
				assertThat(observed.current().isSampled()).isFalse();
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				assertThat(meters.get("agent.requests").tags("agent", "planner", "outcome", "success").counter().count())
					.isEqualTo(1);
				assertThat(spans(context)).isEmpty();
			});
	}

	@Test
	void failingSpanStarterLeavesTheSpanToTheObservation() {
		this.contextRunner.withBean(FailingStarter.class).run((context) -> {
			Observed observed = context.getBean(Work.class).observe(context.getBean(ObservationRegistry.class));
			assertThat(((TracedCall) observed.context()).getStartedSpan()).isNull();
			assertThat(span(context, "observe").getSpanId()).isEqualTo(observed.current().getSpanId());
		});
	}

	@Test
	void backsOffWithoutMicrometerTracingsOpenTelemetryBridge() {
		TracingContextRunners.tracing()
			.withClassLoader(new FilteredClassLoader("io.micrometer.tracing.otel"))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(TracedMethodInterceptor.class)
				.doesNotHaveBean(TracedTracingObservationHandler.class));
	}

	@Test
	void userHandlerWins() {
		this.contextRunner.withBean(FailingStarter.class)
			.run((context) -> assertThat(context).getBean(TracedTracingObservationHandler.class)
				.isInstanceOf(FailingStarter.class));
	}

	record Observed(Observation.Context context, Observation observation, SpanContext current) {
	}

	static class FailingStarter extends TracedTracingObservationHandler {

		FailingStarter(Tracer tracer, io.opentelemetry.api.trace.Tracer otelTracer) {
			super(tracer, otelTracer);
		}

		@Override
		public StartedSpan start(TracedMethod method) {
			throw new IllegalStateException("no span today");
		}

	}

	static class RenamingConvention extends DefaultTracedObservationConvention {

		@Override
		public String getContextualName(TracedObservationContext context) {
			return "renamed";
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class WorkConfiguration {

		@Bean
		Work work() {
			return new Work();
		}

	}

	static class Work {

		@Traced
		Observed observe(ObservationRegistry registry) {
			Observation current = registry.getCurrentObservation();
			return new Observed((current != null) ? current.getContext() : null, current,
					Span.current().getSpanContext());
		}

		@Traced(agent = "planner")
		Observed agentRun(ObservationRegistry registry) {
			return observe(registry);
		}

		@Traced
		void nested(ObservationRegistry registry) {
			Observation.createNotStarted("child.work", registry).observe(() -> {
			});
		}

		@Traced
		void handOff(ObservationRegistry registry) throws Exception {
			Observation parent = registry.getCurrentObservation();
			AtomicReference<Observation> child = new AtomicReference<>();
			CompletableFuture.runAsync(() -> {
				child.set(Observation.createNotStarted("async.work", registry).parentObservation(parent).start());
				child.get().stop();
			}).get();
		}

	}

}
