package io.github.agentobservability.tracing;

import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

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
			return mono.doOnError(completion::error)
				.doFinally((signal) -> finish(signal, completion))
				.contextWrite((context) -> context.put(ObservationThreadLocalAccessor.KEY,
						completion.getObservation()));
		}
		if (result instanceof Flux<?> flux) {
			return flux.doOnError(completion::error)
				.doFinally((signal) -> finish(signal, completion))
				.contextWrite((context) -> context.put(ObservationThreadLocalAccessor.KEY,
						completion.getObservation()));
		}
		completion.stop();
		return result;
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
