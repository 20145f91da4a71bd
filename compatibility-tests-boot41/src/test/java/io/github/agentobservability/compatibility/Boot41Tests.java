package io.github.agentobservability.compatibility;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootVersion;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The suite of {@code compatibility-tests/} runs here against Spring Boot 4.1; this
 * checks that it really does.
 */
class Boot41Tests {

	@Test
	void runsOnSpringBoot41() {
		assertThat(SpringBootVersion.getVersion()).startsWith("4.1.");
	}

}
