package io.github.agentobservability.tracing.internal;

import java.util.function.Function;

import io.micrometer.observation.Observation;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.util.context.ContextView;

/**
 * Ends the observation of a {@code Mono} or {@code Flux} when it terminates or is
 * cancelled, and puts the observation in the Reactor context so that work done inside the
 * publisher nests under it. Only loaded when Reactor is on the classpath.
 */
final class ReactiveResults {

	private ReactiveResults() {
	}

	static boolean isReactive(Class<?> type) {
		return Mono.class.isAssignableFrom(type) || Flux.class.isAssignableFrom(type);
	}

	static Object observe(Object result, ObservationCompletion completion) {
		if (result instanceof Mono<?> mono) {
			return (completion.isAgentRun() ? mono.doOnNext(completion::output) : mono).doOnError(completion::error)
				.doFinally((signal) -> finish(signal, completion))
				.contextWrite((context) -> context.put(ObservationThreadLocalAccessor.KEY,
						completion.getObservation()));
		}
		if (result instanceof Flux<?> flux) {
			return (completion.isAgentRun() ? flux.doOnNext(completion::output) : flux).doOnError(completion::error)
				.doFinally((signal) -> finish(signal, completion))
				.contextWrite((context) -> context.put(ObservationThreadLocalAccessor.KEY,
						completion.getObservation()));
		}
		completion.stop();
		return result;
	}

	/**
	 * Observes a publisher from its subscription on, as a child of the observation that
	 * the subscriber's Reactor context holds.
	 * @param result the {@code Mono} or {@code Flux}
	 * @param start starts the observation for a parent (or none), and returns its
	 * completion, or {@code null} if the call is not to be observed
	 * @return the publisher to hand to the caller
	 */
	static Object observeOnSubscription(Object result,
			Function<@Nullable Observation, @Nullable ObservationCompletion> start) {
		if (result instanceof Mono<?> mono) {
			return Mono.deferContextual((context) -> {
				ObservationCompletion completion = start.apply(parent(context));
				return (Mono<?>) ((completion != null) ? observe(mono, completion) : mono);
			});
		}
		if (result instanceof Flux<?> flux) {
			return Flux.deferContextual((context) -> {
				ObservationCompletion completion = start.apply(parent(context));
				return (Flux<?>) ((completion != null) ? observe(flux, completion) : flux);
			});
		}
		return result;
	}

	private static @Nullable Observation parent(ContextView context) {
		Object parent = context.getOrDefault(ObservationThreadLocalAccessor.KEY, null);
		return (parent instanceof Observation observation) ? observation : null;
	}

	private static void finish(SignalType signal, ObservationCompletion completion) {
		if (signal == SignalType.CANCEL) {
			completion.cancel();
		}
		else {
			completion.stop();
		}
	}

}
