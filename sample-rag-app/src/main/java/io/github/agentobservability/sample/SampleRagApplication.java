package io.github.agentobservability.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * A retrieve-then-generate agent, instrumented by the agent observability starter with
 * nothing but annotations and properties.
 */
@SpringBootApplication
@EnableConfigurationProperties(SampleProperties.class)
public class SampleRagApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleRagApplication.class, args);
	}

}
