package io.github.agentobservability.tracing.internal;

import io.github.agentobservability.tracing.TracingContextRunners;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import io.github.agentobservability.annotation.SpanAttribute;
import io.github.agentobservability.annotation.Traced;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static io.github.agentobservability.tracing.TracingContextRunners.span;
import static io.github.agentobservability.tracing.TracingContextRunners.spans;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

class TracedMethodInterceptorTests {

	private final ApplicationContextRunner contextRunner = TracingContextRunners.tracing()
		.withUserConfiguration(ServicesConfiguration.class);

	@Test
	void spanIsNamedAfterTheMethodByDefault() {
		this.contextRunner.run((context) -> {
			context.getBean(Retriever.class).lookup("q");
			assertThat(spans(context)).extracting(SpanData::getName).containsExactly("lookup");
		});
	}

	@Test
	void spanIsNamedAfterTheAnnotationValueWithConstantAttributes() {
		this.contextRunner.run((context) -> {
			context.getBean(Retriever.class).retrieve("what is tracing?");
			SpanData span = span(context, "document_retrieval");
			assertThat(span.getAttributes().get(AttributeKey.stringKey("component"))).isEqualTo("rag");
			assertThat(span.getAttributes().get(AttributeKey.stringKey("stage"))).isEqualTo("1");
			assertThat(span.getAttributes().get(AttributeKey.stringKey("code.function.name")))
				.isEqualTo(Retriever.class.getName() + ".retrieve");
		});
	}

	@Test
	void successLeavesTheStatusUnsetWithStatusSuccess() {
		this.contextRunner.run((context) -> {
			context.getBean(Retriever.class).lookup("q");
			SpanData span = span(context, "lookup");
			assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
			assertThat(span.getAttributes().get(AttributeKey.stringKey("status"))).isEqualTo("success");
			assertThat(span.getAttributes().get(AttributeKey.stringKey("error.type"))).isNull();
		});
	}

	@Test
	void aStatusTheApplicationSetsIsKept() {
		this.contextRunner.run((context) -> {
			context.getBean(Retriever.class).markedOk();
			SpanData span = span(context, "markedOk");
			assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.OK);
			assertThat(span.getStatus().getDescription()).isEmpty();
		});
	}

	@Test
	void argumentsAreCopiedToAnnotatedAttributesAndNullIsLeftOut() {
		this.contextRunner.run((context) -> {
			Retriever retriever = context.getBean(Retriever.class);
			retriever.retrieve("what is tracing?");
			retriever.retrieve(null);
			List<SpanData> retrievals = spans(context);
			assertThat(retrievals.get(0).getAttributes().get(AttributeKey.stringKey("retrieval.query")))
				.isEqualTo("what is tracing?");
			assertThat(retrievals.get(1).getAttributes().get(AttributeKey.stringKey("retrieval.query"))).isNull();
		});
	}

	@Test
	void errorIsRecordedAndRethrownUnchanged() {
		this.contextRunner.run((context) -> {
			IllegalStateException failure = new IllegalStateException("model unavailable");
			assertThatExceptionOfType(IllegalStateException.class)
				.isThrownBy(() -> context.getBean(Retriever.class).fail(failure))
				.isSameAs(failure);
			SpanData span = span(context, "fail");
			assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
			assertThat(span.getStatus().getDescription()).isEqualTo("model unavailable");
			assertThat(span.getAttributes().get(AttributeKey.stringKey("error.type")))
				.isEqualTo(IllegalStateException.class.getName());
			assertThat(span.getAttributes().get(AttributeKey.stringKey("error.message")))
				.isEqualTo("model unavailable");
			assertThat(span.getAttributes().get(AttributeKey.stringKey("status"))).isEqualTo("error");
			assertThat(span.getEvents()).extracting(EventData::getName).containsExactly("exception");
			assertThat(span.getEvents().get(0).getAttributes().get(AttributeKey.stringKey("exception.type")))
				.isEqualTo(IllegalStateException.class.getName());
		});
	}

	@Test
	void spansNestUnderTheCurrentObservationAndEachOther() {
		this.contextRunner.run((context) -> {
			ObservationRegistry registry = context.getBean(ObservationRegistry.class);
			Observation.createNotStarted("outer", registry).observe(() -> context.getBean(Agent.class).run("q"));
			List<SpanData> all = spans(context);
			SpanData outer = all.stream().filter((span) -> span.getName().equals("outer")).findFirst().orElseThrow();
			SpanData run = all.stream().filter((span) -> span.getName().equals("run")).findFirst().orElseThrow();
			SpanData retrieval = all.stream()
				.filter((span) -> span.getName().equals("document_retrieval"))
				.findFirst()
				.orElseThrow();
			assertThat(run.getParentSpanId()).isEqualTo(outer.getSpanId());
			assertThat(retrieval.getParentSpanId()).isEqualTo(run.getSpanId());
			assertThat(retrieval.getTraceId()).isEqualTo(outer.getTraceId());
		});
	}

	@Test
	void typeLevelAnnotationTracesEveryMethodWithItsAttributesAndPrefix() {
		this.contextRunner.run((context) -> {
			TypeTraced typeTraced = context.getBean(TypeTraced.class);
			typeTraced.first();
			typeTraced.second();
			assertThat(spans(context)).extracting(SpanData::getName).containsExactly("pipeline.first", "override");
			assertThat(span(context, "pipeline.first").getAttributes().get(AttributeKey.stringKey("component")))
				.isEqualTo("pipeline");
			SpanData second = span(context, "override");
			assertThat(second.getAttributes().get(AttributeKey.stringKey("component"))).isEqualTo("own");
			assertThat(second.getAttributes().get(AttributeKey.stringKey("extra"))).isEqualTo("yes");
		});
	}

	@Test
	void completionStageEndsTheSpanWhenItCompletesAndTheScopeStaysOnTheCallingThread() {
		this.contextRunner.run((context) -> {
			ObservationRegistry registry = context.getBean(ObservationRegistry.class);
			CompletableFuture<String> pending = new CompletableFuture<>();
			CompletableFuture<String> result = context.getBean(AsyncWork.class).stage(pending);
			assertThat(registry.getCurrentObservation()).isNull();
			assertThat(spans(context)).isEmpty();
			AtomicReference<Observation> seenByCompletingThread = new AtomicReference<>();
			Thread completer = new Thread(() -> {
				pending.complete("done");
				seenByCompletingThread.set(registry.getCurrentObservation());
			});
			completer.start();
			completer.join();
			assertThat(result.join()).isEqualTo("done");
			assertThat(seenByCompletingThread.get()).isNull();
			SpanData span = span(context, "stage");
			assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
		});
	}

	@Test
	void completionStageFailureIsRecorded() {
		this.contextRunner.run((context) -> {
			CompletableFuture<String> pending = new CompletableFuture<>();
			context.getBean(AsyncWork.class).stage(pending);
			pending.completeExceptionally(new IllegalArgumentException("bad"));
			SpanData span = span(context, "stage");
			assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
			assertThat(span.getAttributes().get(AttributeKey.stringKey("error.type")))
				.isEqualTo(IllegalArgumentException.class.getName());
		});
	}

	@Test
	void completionStageCancellationEndsTheSpanMarkedCancelled() {
		this.contextRunner.run((context) -> {
			CompletableFuture<String> pending = new CompletableFuture<>();
			context.getBean(AsyncWork.class).stage(pending);
			pending.cancel(true);
			SpanData span = span(context, "stage");
			assertThat(span.getAttributes().get(AttributeKey.stringKey("status"))).isEqualTo("cancelled");
			assertThat(span.getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);
		});
	}

	@Test
	void monoEndsTheSpanWhenItTerminatesAndCarriesTheObservationInItsContext() {
		this.contextRunner.run((context) -> {
			Mono<String> mono = context.getBean(AsyncWork.class).mono("value");
			assertThat(spans(context)).isEmpty();
			StepVerifier.create(mono).expectNext("value:micrometer.observation").verifyComplete();
			// The span ends in doFinally, after the subscriber has seen the completion.
			await().untilAsserted(() -> assertThat(spans(context)).hasSize(1));
			assertThat(span(context, "mono").getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
		});
	}

	@Test
	void monoErrorIsRecorded() {
		this.contextRunner.run((context) -> {
			StepVerifier.create(context.getBean(AsyncWork.class).failingMono()).verifyError(IllegalStateException.class);
			await().untilAsserted(() -> assertThat(spans(context)).hasSize(1));
			SpanData span = span(context, "failingMono");
			assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
			assertThat(span.getAttributes().get(AttributeKey.stringKey("error.type")))
				.isEqualTo(IllegalStateException.class.getName());
		});
	}

	@Test
	void fluxCancelledMidwayEndsTheSpanOnceMarkedCancelled() {
		this.contextRunner.run((context) -> {
			Flux<Long> flux = context.getBean(AsyncWork.class).ticks();
			StepVerifier.create(flux).expectNext(0L, 1L).thenCancel().verify(Duration.ofSeconds(5));
			await().untilAsserted(() -> assertThat(spans(context)).hasSize(1));
			SpanData span = span(context, "ticks");
			assertThat(span.getAttributes().get(AttributeKey.stringKey("status"))).isEqualTo("cancelled");
			assertThat(span.hasEnded()).isTrue();
		});
	}

	@Test
	void malformedAttributeFailsStartupNamingTheMethod() {
		new ApplicationContextRunner().withConfiguration(TracingContextRunners.BOOT_AND_STARTER)
			.withUserConfiguration(MalformedConfiguration.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("Invalid @Traced attribute 'no-equals-sign'")
				.hasMessageContaining(Malformed.class.getName() + ".call()"));
	}

	@Test
	void instrumentationFailuresNeverReachTheCaller() {
		this.contextRunner.withBean("throwingHandler", ObservationHandler.class, ThrowingHandler::new)
			.run((context) -> {
				assertThat(context.getBean(Retriever.class).lookup("q")).isEqualTo("found q");
				IllegalStateException failure = new IllegalStateException("own");
				assertThatExceptionOfType(IllegalStateException.class)
					.isThrownBy(() -> context.getBean(Retriever.class).fail(failure))
					.isSameAs(failure);
			});
	}

	static class ThrowingHandler implements ObservationHandler<Observation.Context> {

		@Override
		public void onStart(Observation.Context context) {
			throw new UnsupportedOperationException("broken handler");
		}

		@Override
		public boolean supportsContext(Observation.Context context) {
			return true;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ServicesConfiguration {

		@Bean
		Retriever retriever() {
			return new Retriever();
		}

		@Bean
		Agent agent(Retriever retriever) {
			return new Agent(retriever);
		}

		@Bean
		TypeTraced typeTraced() {
			return new TypeTraced();
		}

		@Bean
		AsyncWork asyncWork() {
			return new AsyncWork();
		}

	}

	static class Retriever {

		@Traced
		void markedOk() {
			io.opentelemetry.api.trace.Span.current().setStatus(StatusCode.OK);
		}

		@Traced
		String lookup(String query) {
			return "found " + query;
		}

		@Traced(value = "document_retrieval", attributes = { "component=rag", "stage = 1" })
		List<String> retrieve(@SpanAttribute("retrieval.query") String query) {
			return List.of("doc1", "doc2");
		}

		@Traced
		void fail(RuntimeException failure) {
			throw failure;
		}

	}

	static class Agent {

		private final Retriever retriever;

		Agent(Retriever retriever) {
			this.retriever = retriever;
		}

		@Traced
		List<String> run(String question) {
			return this.retriever.retrieve(question);
		}

	}

	@Traced(value = "pipeline", attributes = "component=pipeline")
	static class TypeTraced {

		void first() {
		}

		@Traced(value = "override", attributes = { "component=own", "extra=yes" })
		void second() {
		}

	}

	static class AsyncWork {

		@Traced
		CompletableFuture<String> stage(CompletableFuture<String> pending) {
			return pending;
		}

		@Traced
		Mono<String> mono(String value) {
			return Mono.deferContextual((reactorContext) -> Mono
				.just(value + ":" + (reactorContext.hasKey("micrometer.observation") ? "micrometer.observation" : "")));
		}

		@Traced
		Mono<String> failingMono() {
			return Mono.error(new IllegalStateException("reactive failure"));
		}

		@Traced
		Flux<Long> ticks() {
			return Flux.interval(Duration.ofMillis(10));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class MalformedConfiguration {

		@Bean
		Malformed malformed() {
			return new Malformed();
		}

	}

	static class Malformed {

		@Traced(attributes = "no-equals-sign")
		void call() {
		}

	}

}
