package io.github.agentobservability.compatibility;

import java.util.List;

import io.github.agentobservability.annotation.Traced;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * A WebFlux application with Boot's default {@code spring.reactor.context-propagation=limited}:
 * the server observation lives in the Reactor context only, and the {@code @Traced} method
 * is called while the controller assembles its {@code Mono}. The request, the traced
 * method and the call it makes must still be one trace.
 */
class WebFluxTests {

	@Test
	void requestTracedMethodAndOutgoingCallAreOneTree() throws Exception {
		try (ConfigurableApplicationContext context = Apps.run(WebApplicationType.REACTIVE, List.of(App.class))) {
			Traces.assertGreetIsOneTree(context);
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ SpanRecording.class, Controller.class })
	static class App {

		@Bean
		RemoteGreeter remoteGreeter(WebClient.Builder builder, Environment environment) {
			return new RemoteGreeter(builder, environment);
		}

	}

	@RestController
	static class Controller {

		private final RemoteGreeter greeter;

		Controller(RemoteGreeter greeter) {
			this.greeter = greeter;
		}

		@GetMapping("/greet")
		Mono<String> greet(@RequestParam String name) {
			return this.greeter.fetch(name);
		}

		@GetMapping("/hello")
		Mono<String> hello(@RequestParam String name) {
			return Mono.just("hello " + name);
		}

	}

	static class RemoteGreeter {

		private final WebClient.Builder builder;

		private final Environment environment;

		RemoteGreeter(WebClient.Builder builder, Environment environment) {
			this.builder = builder;
			this.environment = environment;
		}

		@Traced("greet.remote")
		public Mono<String> fetch(String name) {
			String base = "http://localhost:" + this.environment.getRequiredProperty("local.server.port");
			return this.builder.baseUrl(base)
				.build()
				.get()
				.uri("/hello?name={name}", name)
				.retrieve()
				.bodyToMono(String.class);
		}

	}

}
