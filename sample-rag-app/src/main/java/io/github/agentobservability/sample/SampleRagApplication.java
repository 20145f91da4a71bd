package io.github.agentobservability.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A retrieve-then-generate agent, instrumented by the agent observability starter with
 * nothing but annotations and properties.
 */
@SpringBootApplication
public class SampleRagApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleRagApplication.class, args);
	}

}
