package io.github.agentobservability.compatibility.aot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs {@link AotApp} as the build processed it ahead of time, in a JVM of its own with
 * {@code -Dspring.aot.enabled=true}: the generated bean definitions replace the
 * auto-configuration's conditions, and {@code @Traced} must still trace.
 */
class AotSmokeTests {

	@Test
	void theAheadOfTimeProcessedApplicationTraces() throws IOException, InterruptedException {
		assertThat(AotApp.class.getResource("AotApp__ApplicationContextInitializer.class"))
			.as("AOT-generated initializer (spring-boot:process-aot)")
			.isNotNull();
		Path java = Path.of(System.getProperty("java.home"), "bin", "java");
		Process process = new ProcessBuilder(List.of(java.toString(), "-Dspring.aot.enabled=true", "-cp",
				System.getProperty("java.class.path"), AotApp.class.getName(),
				"--management.tracing.sampling.probability=1.0", "--spring.main.banner-mode=off",
				"--spring.ai.openai.api-key=sk-compatibility-test"))
			.redirectErrorStream(true)
			.start();
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("finished within a minute").isTrue();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.exitValue()).as(output).isZero();
		assertThat(output).contains("aot-smoke: hello aot [greet{greeting.name=aot}]");
	}

}
