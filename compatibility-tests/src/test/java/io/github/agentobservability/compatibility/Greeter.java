package io.github.agentobservability.compatibility;

import java.util.concurrent.CompletableFuture;

import io.github.agentobservability.annotation.SpanAttribute;
import io.github.agentobservability.annotation.Traced;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The application's own traced bean: one method of each result kind the starter
 * handles, and one that fails.
 */
public class Greeter {

	@Traced("greet")
	public String greet(@SpanAttribute("greeting.name") String name) {
		return "hello " + name;
	}

	@Traced("greet.later")
	public CompletableFuture<String> greetLater(String name) {
		return CompletableFuture.supplyAsync(() -> "hello " + name);
	}

	@Traced("greet.reactive")
	public Mono<String> greetReactive(String name) {
		return Mono.fromSupplier(() -> "hello " + name).subscribeOn(Schedulers.boundedElastic());
	}

	@Traced("greet.many")
	public Flux<String> greetMany(String name) {
		return Flux.just("hello", name).publishOn(Schedulers.parallel());
	}

	@Traced("greet.fail")
	public String fail() {
		throw new GreetingFailedException("no greeting today");
	}

	/**
	 * The application's own exception, which must reach the caller unchanged.
	 */
	public static class GreetingFailedException extends RuntimeException {

		GreetingFailedException(String message) {
			super(message);
		}

	}

}
