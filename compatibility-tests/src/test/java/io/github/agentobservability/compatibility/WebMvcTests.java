package io.github.agentobservability.compatibility;

import java.util.List;

import io.github.agentobservability.annotation.Traced;
import org.junit.jupiter.api.Test;

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
import org.springframework.web.client.RestClient;

/**
 * A Spring MVC application with Boot's defaults: a request, the {@code @Traced} method it
 * calls, and the HTTP call that method makes are one trace.
 */
class WebMvcTests {

	@Test
	void requestTracedMethodAndOutgoingCallAreOneTree() throws Exception {
		try (ConfigurableApplicationContext context = Apps.run(WebApplicationType.SERVLET, List.of(App.class))) {
			Traces.assertGreetIsOneTree(context);
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ SpanRecording.class, Controller.class })
	static class App {

		@Bean
		RemoteGreeter remoteGreeter(RestClient.Builder builder, Environment environment) {
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
		String greet(@RequestParam String name) {
			return this.greeter.fetch(name);
		}

		@GetMapping("/hello")
		String hello(@RequestParam String name) {
			return "hello " + name;
		}

	}

	static class RemoteGreeter {

		private final RestClient.Builder builder;

		private final Environment environment;

		RemoteGreeter(RestClient.Builder builder, Environment environment) {
			this.builder = builder;
			this.environment = environment;
		}

		@Traced("greet.remote")
		public String fetch(String name) {
			String base = "http://localhost:" + this.environment.getRequiredProperty("local.server.port");
			return this.builder.baseUrl(base).build().get().uri("/hello?name={name}", name).retrieve().body(String.class);
		}

	}

}
